-- Customer paths: each sampled customer's contacts in the range, in time order, as a sequence of
-- nodes (stage, or stage/touchpoint) with consecutive repeats collapsed, cut to the chosen depth
-- steps; counted per distinct path and number of channels used (1, 2, 3+).
-- journey_steps is sorted by (hash of customer, customer, ts): grouping by customer streams in key
-- order. Repeats are dropped by comparing seq with itself shifted one step (first node kept: nodes are
-- never ''), not with seq[i - 1] inside the lambda: a lambda that reads a whole array column copies it
-- once per element, so a customer with n contacts would cost n². `node` comes from a fixed map
-- keyed by the level enum (`stage` is the stage as the map resolves it); `sample` is a SAMPLE clause computed by the server (never user input):
-- the share of customers read; `where` is the journey filter over rows without a tier.
SELECT path, least(channels, 3) AS channels, count() AS customers
FROM
(
    SELECT
        customer_id,
        arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((ts, {{node}})))) AS seq,
        arraySlice(arrayFilter((x, prev) -> x != prev, seq, arrayPushFront(arrayPopBack(seq), '')), 1, {depth:UInt8}) AS path,
        uniqExact(channel) AS channels
    FROM journey_steps {{sample}}
    WHERE ts >= toDateTime({from:Date}, 'UTC') AND ts < toDateTime({to:Date} + 1, 'UTC') AND {{stage}} != ''
        AND {{where}}
    GROUP BY customer_id
)
GROUP BY path, channels
ORDER BY customers DESC
LIMIT 20000
