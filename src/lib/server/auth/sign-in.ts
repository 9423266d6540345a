/**
 * Why this exists: signing in, one way for the login form and the `auth.signIn` API: the
 * throttle's wait (throttle.ts), constant-work password check (a missing account still costs a
 * hash, so timing does not tell which emails exist), session creation, audit entry.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { env } from '$db/env';
import { audit } from '../queries/auth/audit';
import { createSession, type SessionUser } from '../queries/auth/sessions';
import { findUserByEmail } from '../queries/auth/users';
import { verifyPassword } from './password';
import { describeBurst, failureBursts, loginThrottle } from './throttle';

export type SignInResult =
	| { ok: true; user: SessionUser; token: string; expires: Date }
	| { ok: false; reason: 'invalid' | 'throttled'; retryAfter?: number };

// A valid hash of a random password: checked when the account does not exist.
const DUMMY_HASH = 'scrypt$131072$8$1$1aGm62K6b4eUcpviwphB2Q==$cyBoUkkp6QnI09FXIglAvnGRoE1InvEejkIVSherjBU=';

/** How an attempt waits; tests swap it to record waits instead of sleeping. */
export const waiting = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

let flusher: ReturnType<typeof setInterval> | undefined;

/** Writes the audit rows of failure bursts that are over (all of them with `now` = Infinity). */
export async function flushFailureBursts(client: ClickHouseClient, now = Date.now()): Promise<void> {
	for (const b of failureBursts.due(now))
		await audit(client, {
			email: b.email,
			action: 'sign_in_failed',
			detail: describeBurst(b),
			ip: b.ips.join(', '),
			ok: false
		});
	if (flusher && !failureBursts.size) {
		clearInterval(flusher);
		flusher = undefined;
	}
}

function addToBurst(client: ClickHouseClient, email: string, ip: string): void {
	failureBursts.add(email, ip);
	flusher ??= setInterval(() => void flushFailureBursts(client), 15_000);
	flusher.unref?.();
}

export async function signIn(
	client: ClickHouseClient,
	input: { email: string; password: string },
	ip: string
): Promise<SignInResult> {
	const email = input.email.trim().toLowerCase();
	const keys = { ip, email };
	await flushFailureBursts(client);
	if (!loginThrottle.begin(keys)) {
		addToBurst(client, email, ip);
		return { ok: false, reason: 'throttled', retryAfter: 5 };
	}
	let wait = 0;
	try {
		// The wait comes before the check, and whatever the password: a right one still gets in.
		wait = loginThrottle.delayMs(keys);
		if (wait > 0) await waiting.sleep(wait);
		const user = await findUserByEmail(client, email);
		const valid = await verifyPassword(input.password, user?.password_hash || DUMMY_HASH);
		if (!user || !valid || user.disabled) {
			loginThrottle.fail(keys);
			if (wait > 0) addToBurst(client, email, ip);
			else
				await audit(client, {
					email,
					action: 'sign_in_failed',
					detail: user?.disabled ? 'disabled account' : 'wrong email or password',
					ip,
					ok: false
				});
			return { ok: false, reason: 'invalid' };
		}
		loginThrottle.succeed(keys);
		const { token, expires } = await createSession(client, user.user_id, env().TOUCHMAP_SESSION_HOURS);
		await audit(client, { user_id: user.user_id, email, role: user.role, action: 'sign_in', ip });
		return {
			ok: true,
			token,
			expires,
			user: { user_id: user.user_id, email, name: user.name, role: user.role, expires_at: expires.toISOString() }
		};
	} finally {
		loginThrottle.end(keys);
	}
}
