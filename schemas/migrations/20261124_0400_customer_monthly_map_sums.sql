-- customer_monthly_mv, same rows, half the work: each count by channel, stage, need and complaint
-- intent was `sumMap` over a pair of one-element arrays built for every interaction; summing
-- one-entry maps (`sumMap(map(k, 1))`) gives the same sorted keys and counts, written as the
-- (keys, values) pair the table stores, with much less work per insert.

DROP VIEW IF EXISTS customer_monthly_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_monthly_mv {on_cluster} TO customer_monthly AS
SELECT
    customer_id, month, interactions, complaints, unresolved, csat_sum, csat_n, sentiment_sum, sentiment_n, last_ts,
    (mapKeys(by_channel), mapValues(by_channel)) AS channels,
    (mapKeys(by_stage), mapValues(by_stage)) AS stages,
    (mapKeys(by_need), mapValues(by_need)) AS needs,
    (mapKeys(by_complaint_intent), mapValues(by_complaint_intent)) AS complaint_intents
FROM (
    SELECT
        customer_id,
        toStartOfMonth(ts) AS month,
        count() AS interactions,
        countIf(is_complaint = 1) AS complaints,
        countIf(outcome NOT IN ('', 'resolved')) AS unresolved,
        sum(assumeNotNull(toFloat64(ifNull(csat_10, 0)))) AS csat_sum,
        count(csat_10) AS csat_n,
        sum(assumeNotNull(toFloat64(ifNull(sentiment, 0)))) AS sentiment_sum,
        count(sentiment) AS sentiment_n,
        max(ts) AS last_ts,
        sumMap(map(toString(channel), toUInt64(1))) AS by_channel,
        sumMap(map(toString(stage), toUInt64(1))) AS by_stage,
        sumMap(map(concat(toString(scenario), '|', toString(intent)), toUInt64(1))) AS by_need,
        sumMapIf(map(toString(intent), toUInt64(1)), is_complaint = 1) AS by_complaint_intent
    FROM interactions
    WHERE customer_id != ''
    GROUP BY customer_id, month
);
