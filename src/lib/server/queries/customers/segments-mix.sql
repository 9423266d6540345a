-- Segment portrait, contact side of all known customers over the period (contact_mix_monthly is
-- small); everyone else is this minus the segment. `measures` is every measure of the roll-up
-- ($schemas/metrics). Per month, like the segment side.
SELECT
    toString(month) AS bucket,
    {{measures}},
    sumMap([toString(channel)], [interactions]) AS channels,
    sumMap([toString(stage)], [interactions])   AS stages,
    sumMap([concat(toString(scenario), '|', toString(intent))], [interactions]) AS needs
FROM contact_mix_monthly
WHERE month >= {period_from:Date} AND month <= {as_of:Date}
GROUP BY bucket
-- Sums keep the column names (aliases would shadow the columns inside sumMap).
SETTINGS prefer_column_name_to_alias = 1
