/**
 * Why this exists: signing in, one way for the login form and the `auth.signIn` API: throttle
 * check, constant-work password check (a missing account still costs a hash, so timing does not
 * tell which emails exist), session creation, audit entry.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { env } from '$db/env';
import { audit } from '../queries/auth/audit';
import { createSession, type SessionUser } from '../queries/auth/sessions';
import { findUserByEmail } from '../queries/auth/users';
import { verifyPassword } from './password';
import { loginThrottle } from './throttle';

export type SignInResult =
	| { ok: true; user: SessionUser; token: string; expires: Date }
	| { ok: false; reason: 'invalid' | 'throttled'; retryAfter?: number };

// A valid hash of a random password: checked when the account does not exist.
const DUMMY_HASH = 'scrypt$131072$8$1$1aGm62K6b4eUcpviwphB2Q==$cyBoUkkp6QnI09FXIglAvnGRoE1InvEejkIVSherjBU=';

export async function signIn(
	client: ClickHouseClient,
	input: { email: string; password: string },
	ip: string
): Promise<SignInResult> {
	const email = input.email.trim().toLowerCase();
	const keys = [`ip:${ip}`, `email:${email}`];
	const wait = loginThrottle.retryAfter(keys);
	if (wait > 0) {
		await audit(client, { email, action: 'sign_in_failed', detail: 'throttled', ip, ok: false });
		return { ok: false, reason: 'throttled', retryAfter: wait };
	}
	const user = await findUserByEmail(client, email);
	const valid = await verifyPassword(input.password, user?.password_hash || DUMMY_HASH);
	if (!user || !valid || user.disabled) {
		loginThrottle.fail(keys);
		await audit(client, {
			email,
			action: 'sign_in_failed',
			detail: user?.disabled ? 'disabled account' : 'wrong email or password',
			ip,
			ok: false
		});
		return { ok: false, reason: 'invalid' };
	}
	loginThrottle.succeed([`email:${email}`]);
	const { token, expires } = await createSession(client, user.user_id, env().TOUCHMAP_SESSION_HOURS);
	await audit(client, { user_id: user.user_id, email, role: user.role, action: 'sign_in', ip });
	return {
		ok: true,
		token,
		expires,
		user: { user_id: user.user_id, email, name: user.name, role: user.role, expires_at: expires.toISOString() }
	};
}
