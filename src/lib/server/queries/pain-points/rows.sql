-- One touchpoint's raw interactions in a range: the table is sorted by (stage, touchpoint, ts), so
-- this reads that touchpoint's granules only. `key` picks the touchpoint by bound stage and
-- touchpoint parameters; `where` is the shared raw-row filter; `order`, the
-- ordering and limit, comes from a fixed map (verbatims: the most negative first, a few per source;
-- page: newest first).
SELECT
    interaction_id,
    customer_id,
    source,
    channel,
    toString(ts) AS at,
    sentiment,
    csat_10 AS csat,
    is_complaint,
    language,
    text,
    outcome,
    fcr,
    handle_s,
    segment,
    region
FROM interactions
WHERE {{key}}
    AND ts >= toDateTime64({from:Date}, 3, 'UTC') AND ts < toDateTime64({to:Date} + 1, 3, 'UTC')
    AND {{where}}
{{order}}
