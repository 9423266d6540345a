-- The audit log, newest first, optionally one action; bounded page.
SELECT at, user_id, email, role, action, target, detail, ip, ok
FROM audit_log
WHERE ({action:String} = '' OR action = {action:String})
ORDER BY at DESC
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
