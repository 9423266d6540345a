-- Customer paths: each sampled customer's contacts in the range, in time order, as a sequence of
-- nodes (stage, or stage/touchpoint) with consecutive repeats collapsed, cut to the chosen depth
-- steps; counted per distinct path and number of channels used (1, 2, 3+).
-- journey_steps is sorted by (hash of customer, customer, ts): grouping by customer streams in key
-- order. The SAMPLE clause is a number computed by the server (never user input): the share of customers read.
SELECT path, least(channels, 3) AS channels, count() AS customers
FROM
(
    SELECT
        customer_id,
        arraySort(x -> x.1, groupArray((ts, {node}))) AS steps,
        arrayMap(x -> x.2, steps) AS seq,
        arraySlice(arrayFilter((x, i) -> i = 1 OR x != seq[i - 1], seq, arrayEnumerate(seq)), 1, {depth:UInt8}) AS path,
        uniqExact(channel) AS channels
    FROM journey_steps {sample}
    WHERE ts >= toDateTime({from:Date}, 'UTC') AND ts < toDateTime({to:Date} + 1, 'UTC') AND stage != ''
        AND {where}
    GROUP BY customer_id
)
GROUP BY path, channels
ORDER BY customers DESC
LIMIT 20000
