-- All accounts, newest state of each (FINAL), for the admin's user list and sign-in.
SELECT user_id, email, name, role, password_hash, disabled, created_at
FROM users FINAL
WHERE ({email:String} = '' OR email = {email:String})
ORDER BY email
