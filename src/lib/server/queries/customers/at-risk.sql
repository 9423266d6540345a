-- At-risk customers ranked by value × risk, from churn_scores (one row per customer not yet
-- churned). `hv` is the high-value subquery (high-value.sql); `signal` and `order` come from fixed
-- maps keyed by zod enums (at-risk.ts).
SELECT
    customer_id,
    score,
    value,
    score * value AS priority,
    customer_id IN ({{hv}}) AS high_value,
    toString(segment) AS segment,
    toString(tier) AS tier,
    toString(region) AS region,
    days_since_last,
    complaints_90d,
    repeat_complaints,
    unresolved_90d,
    sentiment_delta,
    reasons,
    count() OVER () AS total
FROM churn_scores FINAL
WHERE score >= {min_risk:Float64}
  AND ({group:String} = 'all' OR (customer_id IN ({{hv}})) = ({group:String} = 'high_value'))
  AND ({segment:String} = '' OR segment = {segment:String})
  AND ({tier:String} = '' OR tier = {tier:String})
  AND {{signal}}
ORDER BY {{order}}, customer_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
