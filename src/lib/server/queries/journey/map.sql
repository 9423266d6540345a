-- Journey cells at four levels in one pass (GROUPING SETS): touchpoint × channel, touchpoint
-- (all channels), stage and the total. `level` tells them apart, since '' is also a real (unassigned) value;
-- grouping() is 1 for a column aggregated away (standard SQL semantics). Sums only: distinct
-- customers come from customers.sql (a coarser roll-up when the filter allows). TRICKY: `src.x`
-- names a column where a bare `x` would mean the alias of the same name.
SELECT
    stage,
    touchpoint,
    channel,
    multiIf(grouping(stage, touchpoint, channel) = 0, 'cell', grouping(stage, touchpoint, channel) = 1, 'touchpoint',
        grouping(stage, touchpoint, channel) = 3, 'stage', 'total') AS level,
    sum(interactions) AS interactions,
    sumIf(src.interactions, has({hv_tiers:Array(String)}, src.tier)) AS hv_interactions,
    sum(complaints) AS complaints,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n,
    sum(csat_low) AS csat_low,
    sum(sent_sum) AS sent_sum,
    sum(sent_n) AS sent_n,
    sum(sent_neg) AS sent_neg,
    sum(fcr_sum) AS fcr_sum,
    sum(fcr_n) AS fcr_n,
    sum(handle_sum) AS handle_sum,
    sum(handle_n) AS handle_n,
    sum(outcome_n) AS outcome_n,
    sum(unresolved) AS unresolved,
    sum(repeat_n) AS repeat_n,
    sum(repeats) AS repeats
FROM ({source}) AS src
GROUP BY GROUPING SETS ((stage, touchpoint, channel), (stage, touchpoint), (stage), ())
