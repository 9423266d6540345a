-- Latest version of every rule, destination or subscription of one kind, removed ones left out.
SELECT id, body
FROM alert_config FINAL
WHERE kind = {kind:String} AND deleted = 0
ORDER BY id
