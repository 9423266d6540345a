-- Weekly sums per unit (a touchpoint, or a reason) around a done date: what the difference in
-- differences compares. `rows` is the daily reason roll-up keyed as the action's kind asks
-- (journey/filter keyedRows); `measures` every summed journey measure ($schemas/metrics).
-- Complaint-like contacts stand in for the complaint flag of sources without one, as in severity.
SELECT
    toString(toMonday(day)) AS week,
    stage,
    touchpoint,
    -- TRICKY: `src.x` names a column where a bare `x` would mean the alias of the same name.
    sumIf(src.interactions, has({complaint_sources:Array(String)}, src.source)) AS complaint_measured,
    sumIf(src.complaint_like, NOT has({complaint_sources:Array(String)}, src.source)) AS complaint_like,
    {{measures}}
FROM ({{rows}}) AS src
WHERE day BETWEEN {from:Date} AND {to:Date} AND stage != '' AND touchpoint != ''
GROUP BY week, stage, touchpoint
