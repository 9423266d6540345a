-- Needs of every contact per month (need_monthly, tickets and posts without a customer included):
-- scenario, intent and reason kept apart; needs.ts resolves reasons through the dictionary.
SELECT toString(month) AS bucket, toString(scenario) AS scenario, toString(intent) AS intent,
       toString(reason_id) AS reason_id, sum(interactions) AS interactions
FROM need_monthly
WHERE month >= {period_from:Date} AND month <= {as_of:Date}
  AND (intent != '' OR reason_id NOT IN ('', 'other', 'no-text'))
GROUP BY bucket, scenario, intent, reason_id
