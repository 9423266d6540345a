-- customer_timeline keeps the first 2,000 characters of each contact's text. `substring` counted
-- bytes: a Chinese text was cut after ~667 characters, and the cut could split a character, so the
-- customer's timeline showed "�" where the text stopped. Rows stored before keep their cut.

DROP VIEW IF EXISTS customer_timeline_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_timeline_mv {on_cluster} TO customer_timeline AS
SELECT customer_id, ts, interaction_id, source, channel, stage, touchpoint, scenario, intent,
       is_complaint, outcome, csat_10, sentiment, substringUTF8(text, 1, 2000) AS text
FROM interactions
WHERE customer_id != '';
