-- The customer's value tier, carried on each interaction: the loader fills it from the CRM when it
-- writes the row, as it fills segment and region. journey_daily_mv used to look the tier up itself,
-- by aggregating the whole `customers` table (argMax per customer) and hash-joining it for every
-- insert block: a hash table of every customer per block, so a connector writing small batches
-- paid it again and again. The meaning is unchanged: the tier at insert time, '' for anonymous contacts.
--
-- Rows stored before this migration read '' here (journey_daily already holds their tier); a
-- re-score (ingest/text/rescore.ts), the only path that writes stored rows again, fills it from the
-- CRM as the view did.

ALTER TABLE interactions {on_cluster} ADD COLUMN IF NOT EXISTS tier LowCardinality(String) AFTER segment;

DROP VIEW IF EXISTS journey_daily_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_daily_mv {on_cluster} TO journey_daily AS
SELECT
    toDate(i.ts) AS day,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.channel AS channel,
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
    countIf(toUInt32OrZero(i.attributes['reopens']) > 0) AS repeats
FROM interactions AS i
GROUP BY day, stage, touchpoint, channel, segment, region, scenario, intent, tier;
