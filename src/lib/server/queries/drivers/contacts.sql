-- Contact outcomes summed per driver cell over the months of a range (driver_cells is monthly).
-- Where a source gave no touchpoint, the contact reason's current name stands in for it (the inner
-- query resolves stage and touchpoint through the reason dictionary, as the journey map does).
-- The rows carry the outcome's response count, sum and sum of squares (n, s, q), from a fixed map.
SELECT
    if(touchpoint = '', '', concat(stage, ' / ', touchpoint)) AS touchpoint,
    toString(channel) AS channel,
    toString(segment) AS segment,
    toString(tier) AS tier,
    toString(fcr) AS fcr,
    toString(transferred) AS transferred,
    toString(wait_band) AS wait,
    toString(handle_band) AS handle,
    sum(n) AS n,
    sum(s) AS s,
    sum(q) AS q
FROM (
    {{rows}}
)
GROUP BY touchpoint, channel, segment, tier, fcr, transferred, wait, handle
HAVING n > 0
