-- Contact reasons over a range: per stored reason id and week, every summed journey measure
-- (`measures`, $schemas/metrics). The wrapper folds merged ids into their reason and the weeks into
-- a trend. Reads the coarse reason roll-ups only (the page filters by channel and source, which they
-- keep): whole months from reason_coarse_monthly (the week of a monthly row is its month's first
-- Monday-aligned week), the days at the edges from reason_coarse_daily.
SELECT
    reason_id,
    toString(toMonday(day)) AS week,
    {{measures}}
FROM (
    SELECT * FROM reason_coarse_monthly
    WHERE day >= {full_from:Date} AND day < {full_to:Date} AND {{where}}
    UNION ALL
    SELECT * FROM reason_coarse_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT (day >= {full_from:Date} AND day < {full_to:Date}) AND {{where}}
)
GROUP BY reason_id, week
