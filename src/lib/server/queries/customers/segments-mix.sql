-- Segment portrait, contact side of all known customers over the period (contact_mix_monthly is
-- small); everyone else is this minus the segment.
SELECT
    sum(interactions)  AS interactions,
    sum(complaints)    AS complaints,
    sum(unresolved)    AS unresolved,
    sum(csat_sum)      AS csat_sum,
    sum(csat_n)        AS csat_n,
    sum(sentiment_sum) AS sentiment_sum,
    sum(sentiment_n)   AS sentiment_n,
    sumMap([toString(channel)], [interactions]) AS channels,
    sumMap([toString(stage)], [interactions])   AS stages,
    sumMap([concat(toString(scenario), '|', toString(intent))], [interactions]) AS needs
FROM contact_mix_monthly
WHERE month >= {period_from:Date} AND month <= {as_of:Date}
-- Sums keep the column names (aliases would shadow the columns inside sumMap).
SETTINGS prefer_column_name_to_alias = 1
