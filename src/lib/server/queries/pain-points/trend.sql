-- Sums per time bucket and touchpoint for sparklines and the detail trend: `measures` is every
-- summed journey measure ($schemas/metrics). The bucket expression and table come from a fixed map
-- keyed by the interval (week: daily rows; month: monthly rows); `where` is the journey filter.
SELECT
    toString({{bucket}}) AS bucket,
    stage,
    touchpoint,
    -- TRICKY: `src.x` names a column where a bare `x` would mean the alias of the same name.
    sumIf(src.interactions, has({complaint_sources:Array(String)}, src.source)) AS complaint_measured,
    sumIf(src.complaint_like, NOT has({complaint_sources:Array(String)}, src.source)) AS complaint_like,
    {{measures}}
FROM {{table}} AS src
WHERE day BETWEEN {bucket_from:Date} AND {to:Date} AND stage != ''
    AND ({one:UInt8} = 0 OR (stage = {stage:String} AND touchpoint = {touchpoint:String}))
    AND {{where}}
GROUP BY bucket, stage, touchpoint
ORDER BY bucket
