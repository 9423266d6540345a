-- One customer's contacts, newest first (customer_timeline is sorted by customer, ts).
SELECT
    toString(ts) AS ts, interaction_id, toString(source) AS source, toString(channel) AS channel,
    toString(stage) AS stage, toString(touchpoint) AS touchpoint, toString(scenario) AS scenario,
    toString(intent) AS intent, is_complaint, toString(outcome) AS outcome, csat_10, sentiment, text
FROM customer_timeline
WHERE customer_id = {id:String}
ORDER BY ts DESC
LIMIT {limit:UInt32}
