-- What a rule saw per subject at its last evaluation.
SELECT subject, value, flagged
FROM alert_state FINAL
WHERE rule_id = {rule_id:String}
