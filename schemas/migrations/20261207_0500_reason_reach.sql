-- What the pain-point severity model needs beyond the journey measures, on the reason roll-up the
-- journey map reads (see docs/journey.md, "Severity"):
--   authors       distinct anonymous authors (social profile, handle or author attribute of a contact
--                 without a customer id): reach counts people the CRM does not know.
--   unattributed  contacts with neither a customer id nor an author: each counts as one person.
--   complaint_like  strongly negative (sentiment ≤ −0.5) or complaint-language (intent complaint)
--                 contacts: stands in for the complaint flag of sources that have none.
-- Rows stored before this migration carry empty values: reach falls back to their contacts only
-- after a re-ingest fills these columns.

ALTER TABLE reason_daily {on_cluster}
    ADD COLUMN IF NOT EXISTS authors AggregateFunction(uniqCombined(14), String),
    ADD COLUMN IF NOT EXISTS unattributed SimpleAggregateFunction(sum, UInt64),
    ADD COLUMN IF NOT EXISTS complaint_like SimpleAggregateFunction(sum, UInt64);

ALTER TABLE reason_monthly {on_cluster}
    ADD COLUMN IF NOT EXISTS authors AggregateFunction(uniqCombined(14), String),
    ADD COLUMN IF NOT EXISTS unattributed SimpleAggregateFunction(sum, UInt64),
    ADD COLUMN IF NOT EXISTS complaint_like SimpleAggregateFunction(sum, UInt64);

DROP VIEW IF EXISTS reason_daily_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_daily_mv {on_cluster} TO reason_daily AS
SELECT
    toDate(i.ts) AS day,
    i.reason_id AS reason_id,
    i.source AS source,
    i.channel AS channel,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', i.tier) AS tier,
    count() AS interactions,
    uniqCombinedStateIf(14)(i.customer_id, i.customer_id != '') AS customers,
    countIf(i.is_complaint = 1) AS complaints,
    sum(assumeNotNull(toFloat64(ifNull(i.csat_10, 0)))) AS csat_sum,
    count(i.csat_10) AS csat_n,
    countIf(ifNull(i.csat_10, 10) <= 4) AS csat_low,
    sum(assumeNotNull(toFloat64(ifNull(i.sentiment, 0)))) AS sent_sum,
    count(i.sentiment) AS sent_n,
    countIf(ifNull(i.sentiment, 0) < -0.25) AS sent_neg,
    sum(assumeNotNull(toUInt64(ifNull(i.fcr, 0)))) AS fcr_sum,
    count(i.fcr) AS fcr_n,
    sum(assumeNotNull(toFloat64(ifNull(i.handle_s, 0)))) AS handle_sum,
    count(i.handle_s) AS handle_n,
    countIf(i.outcome != '') AS outcome_n,
    countIf(i.outcome IN ('unresolved', 'escalated', 'transferred', 'abandoned')) AS unresolved,
    countIf(mapContains(i.attributes, 'reopens')) AS repeat_n,
    countIf(toUInt32OrZero(i.attributes['reopens']) > 0) AS repeats,
    uniqCombinedStateIf(14)(
        multiIf(i.attributes['profile'] != '', i.attributes['profile'], i.attributes['handle'] != '', i.attributes['handle'], i.attributes['author']),
        i.customer_id = '' AND (i.attributes['profile'] != '' OR i.attributes['handle'] != '' OR i.attributes['author'] != '')
    ) AS authors,
    countIf(i.customer_id = '' AND i.attributes['profile'] = '' AND i.attributes['handle'] = '' AND i.attributes['author'] = '') AS unattributed,
    countIf(ifNull(i.sentiment, 0) <= -0.5 OR i.intent = 'complaint') AS complaint_like
FROM interactions AS i
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;

DROP VIEW IF EXISTS reason_monthly_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_monthly_mv {on_cluster} TO reason_monthly AS
SELECT
    toStartOfMonth(day) AS day,
    reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier,
    sum(interactions) AS interactions,
    uniqCombinedMergeState(14)(customers) AS customers,
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
    sum(repeats) AS repeats,
    uniqCombinedMergeState(14)(authors) AS authors,
    sum(unattributed) AS unattributed,
    sum(complaint_like) AS complaint_like
FROM reason_daily
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;

-- Backfill the new columns for what was stored before (once: skipped when any row carries them):
-- rows with the same key and only these columns set (every other sum 0, no customer), which the
-- roll-up adds to the stored rows; the monthly view follows.
INSERT INTO reason_daily (day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier,
    interactions, complaints, csat_sum, csat_n, csat_low, sent_sum, sent_n, sent_neg, fcr_sum, fcr_n, handle_sum,
    handle_n, outcome_n, unresolved, repeat_n, repeats, authors, unattributed, complaint_like)
SELECT
    toDate(i.ts) AS day,
    i.reason_id AS reason_id,
    i.source AS source,
    i.channel AS channel,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', i.tier) AS tier,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    uniqCombinedStateIf(14)(
        multiIf(i.attributes['profile'] != '', i.attributes['profile'], i.attributes['handle'] != '', i.attributes['handle'], i.attributes['author']),
        i.customer_id = '' AND (i.attributes['profile'] != '' OR i.attributes['handle'] != '' OR i.attributes['author'] != '')
    ) AS authors,
    countIf(i.customer_id = '' AND i.attributes['profile'] = '' AND i.attributes['handle'] = '' AND i.attributes['author'] = '') AS unattributed,
    countIf(ifNull(i.sentiment, 0) <= -0.5 OR i.intent = 'complaint') AS complaint_like
FROM interactions AS i
WHERE (SELECT sum(unattributed) + sum(complaint_like) FROM reason_daily) = 0
    AND (SELECT uniqCombinedMerge(14)(authors) FROM reason_daily) = 0
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;
