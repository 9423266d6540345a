-- Segment portrait, contact side of the high-value segment (the `hv` part, high-value.sql): one
-- customer's months are adjacent in customer_monthly (sorted by customer), so the IN-set reads only
-- the segment's granules. `measures` is every measure of the roll-up ($schemas/metrics). Per month,
-- so a kept portrait answers any period (segments.ts adds the months up).
SELECT
    toString(month) AS bucket,
    {{measures}},
    sumMap(channels) AS channels,
    sumMap(stages)   AS stages,
    sumMap(needs)    AS needs
FROM customer_monthly
WHERE customer_id IN ({{hv}})
  AND month >= {period_from:Date} AND month <= {as_of:Date}
GROUP BY bucket
-- Sums keep the column names (aliases would shadow the columns inside sumMap).
SETTINGS prefer_column_name_to_alias = 1
