-- The first step of a two-step read of one touchpoint's rows: their sort key and id, chosen by
-- `order` (which may sort, limit and LIMIT BY on any column) from the columns it names only; the
-- rows with their text are then read by these keys (rows.sql), which the primary index finds.
SELECT stage, touchpoint, ts, interaction_id
FROM interactions
WHERE {{key}}
    AND ts >= toDateTime64({from:Date}, 3, 'UTC') AND ts < toDateTime64({to:Date} + 1, 3, 'UTC')
    AND {{where}}
{{order}}
