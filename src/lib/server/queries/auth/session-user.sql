-- The signed-in user behind a session token (hash), if the session is live and the user enabled.
SELECT u.user_id AS user_id, u.email AS email, u.name AS name, u.role AS role, s.expires_at AS expires_at
FROM (SELECT user_id, expires_at, revoked FROM sessions FINAL WHERE token_hash = {token_hash:String}) AS s
INNER JOIN (SELECT user_id, email, name, role, disabled FROM users FINAL) AS u ON u.user_id = s.user_id
WHERE s.revoked = 0 AND s.expires_at > now64(3) AND u.disabled = 0
LIMIT 1
