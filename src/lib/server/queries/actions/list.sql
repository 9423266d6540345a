-- Every action's newest version (a create or an edit writes a whole row; merges keep one later).
SELECT
    id,
    title,
    target,
    target_kind,
    stage,
    touchpoint,
    kpi,
    owner,
    toString(due) AS due,
    status,
    toString(done_at) AS done_at,
    expected_effect,
    cost,
    notes,
    created_by,
    toString(created_at) AS created_at,
    updated_by,
    toString(updated_at) AS updated_at,
    version
FROM actions
WHERE ({id:String} = '' OR id = {id:String})
ORDER BY id, version DESC
LIMIT 1 BY id
