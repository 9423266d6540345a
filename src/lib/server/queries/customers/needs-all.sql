-- Needs of all known customers per month, from the small contact_mix_monthly roll-up.
SELECT toString(month) AS bucket, concat(toString(scenario), '|', toString(intent)) AS need, sum(interactions) AS interactions
FROM contact_mix_monthly
WHERE month >= {period_from:Date} AND month <= {as_of:Date}
GROUP BY bucket, need
