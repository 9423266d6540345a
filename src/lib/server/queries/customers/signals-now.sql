-- Churn early-warning signals now, per group (high-value segment vs everyone else), over all CRM
-- customers: quiet (account older than the quiet window and no interaction in it), repeated
-- complaints of the same type within the repeat window ending at as_of, falling sentiment (mean of
-- the last 3 months below the 3 before by sentiment_drop, ≥ 2 readings each), and unresolved
-- contacts in the months of the quiet window (≥ 2, and at least half of the customer's contacts
-- there: one open ticket among thirty is no warning).
WITH
    toDateTime64({as_of:Date}, 3, 'UTC') + INTERVAL 1 DAY AS end_ts,
    end_ts - INTERVAL {quiet_days:UInt16} DAY AS quiet_from,
    addMonths(toStartOfMonth({as_of:Date}), -2) AS recent_from,
    addMonths(toStartOfMonth({as_of:Date}), -5) AS prior_from
SELECT
    customer_id IN ({{hv}}) AS is_hv,
    count() AS customers,
    countIf(ifNull(account_opened < toDate(quiet_from), 1) AND customer_id NOT IN (
        SELECT customer_id FROM customer_monthly
        WHERE month >= toStartOfMonth(quiet_from)
        GROUP BY customer_id HAVING max(last_ts) >= quiet_from
    )) AS quiet,
    countIf(customer_id IN ({{repeat}})) AS repeat_complaints,
    countIf(customer_id IN (
        SELECT customer_id FROM customer_monthly
        WHERE month >= prior_from AND month <= {as_of:Date}
        GROUP BY customer_id
        HAVING sumIf(sentiment_n, month >= recent_from) >= 2 AND sumIf(sentiment_n, month < recent_from) >= 2
           AND sumIf(sentiment_sum, month >= recent_from) / sumIf(sentiment_n, month >= recent_from)
               <= sumIf(sentiment_sum, month < recent_from) / sumIf(sentiment_n, month < recent_from) - {sentiment_drop:Float64}
    )) AS falling_sentiment,
    countIf(customer_id IN (
        SELECT customer_id FROM customer_monthly
        WHERE month >= toStartOfMonth(quiet_from) AND month <= {as_of:Date}
        GROUP BY customer_id
        HAVING sum(unresolved) >= 2 AND sum(unresolved) * 2 >= sum(interactions)
    )) AS unresolved
FROM customers FINAL
GROUP BY is_hv
