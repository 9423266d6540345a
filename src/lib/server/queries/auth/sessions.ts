/**
 * Why this exists: server-side sessions. The browser holds a random token in a secure, http-only,
 * same-site cookie; the server stores only the token's SHA-256 with an expiry, so signing out,
 * disabling a user or changing a role revokes sessions on the server at once. Lookups are cached
 * for a few seconds per process so each API call does not pay a query; revocation clears the cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ROLES } from '$lib/auth/access';
import sessionUserSql from './session-user.sql?raw';
import userSessionsSql from './user-sessions.sql?raw';

export const SESSION_USER_SQL = sessionUserSql;
export const USER_SESSIONS_SQL = userSessionsSql;

export const SessionUserSchema = z.object({
	user_id: z.string(),
	email: z.string(),
	name: z.string(),
	role: z.enum(ROLES),
	expires_at: z.string()
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

const CACHE_MS = 5_000;
const cache = new Map<string, { user: SessionUser | null; at: number }>();

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(
	client: ClickHouseClient,
	userId: string,
	hours: number
): Promise<{ token: string; expires: Date }> {
	const token = randomBytes(32).toString('base64url');
	const now = Date.now();
	const expires = new Date(now + hours * 3_600_000);
	await client.insert({
		table: 'sessions',
		values: [
			{
				token_hash: hashToken(token),
				user_id: userId,
				created_at: now,
				expires_at: expires.getTime(),
				revoked: 0,
				updated_at: now
			}
		],
		format: 'JSONEachRow'
	});
	return { token, expires };
}

export async function sessionUser(client: ClickHouseClient, token: string): Promise<SessionUser | null> {
	if (!token || token.length > 200) return null;
	const token_hash = hashToken(token);
	const hit = cache.get(token_hash);
	if (hit && Date.now() - hit.at < CACHE_MS) return hit.user;
	const rs = await client.query({ query: sessionUserSql, query_params: { token_hash }, format: 'JSONEachRow' });
	const [row] = await rs.json();
	const user = row ? SessionUserSchema.parse(row) : null;
	if (cache.size > 10_000) cache.clear();
	cache.set(token_hash, { user, at: Date.now() });
	return user;
}

async function revokeHashes(
	client: ClickHouseClient,
	rows: { token_hash: string; user_id: string; created_at: string; expires_at: string }[]
) {
	if (!rows.length) return;
	const now = Date.now();
	await client.insert({
		table: 'sessions',
		values: rows.map((r) => ({ ...r, revoked: 1, updated_at: now })),
		format: 'JSONEachRow'
	});
	for (const r of rows) cache.delete(r.token_hash);
}

export async function revokeSession(client: ClickHouseClient, token: string, userId: string): Promise<void> {
	const token_hash = hashToken(token);
	const rows = (await userSessions(client, userId)).filter((r) => r.token_hash === token_hash);
	await revokeHashes(client, rows);
	cache.delete(token_hash);
}

/** Revokes every live session of a user (role change, disabling, sign out everywhere). */
export async function revokeUserSessions(client: ClickHouseClient, userId: string): Promise<number> {
	const rows = await userSessions(client, userId);
	await revokeHashes(client, rows);
	return rows.length;
}

async function userSessions(client: ClickHouseClient, user_id: string) {
	const rs = await client.query({ query: userSessionsSql, query_params: { user_id }, format: 'JSONEachRow' });
	return z
		.array(z.object({ token_hash: z.string(), user_id: z.string(), created_at: z.string(), expires_at: z.string() }))
		.parse(await rs.json());
}
