-- Whether a pain point (a touchpoint, or a reason with `rows` keyed by reason) has any contacts:
-- an action can only be put on something the data holds. `rows` is the reason roll-up keyed as the
-- pain point's kind asks (journey/filter keyedRows).
SELECT count() AS n
FROM ({{rows}})
WHERE stage = {stage:String} AND touchpoint = {touchpoint:String}
