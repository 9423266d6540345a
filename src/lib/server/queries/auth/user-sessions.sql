-- Live sessions of one user, to revoke them all (role change, disabling, "sign out everywhere").
SELECT token_hash, user_id, created_at, expires_at
FROM sessions FINAL
WHERE user_id = {user_id:String} AND revoked = 0 AND expires_at > now64(3)
