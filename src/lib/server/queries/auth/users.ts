/**
 * Why this exists: local accounts — created by an admin (or the first-start bootstrap), looked up
 * at sign-in, listed on /admin/users. Passwords are only ever stored hashed (auth/password.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ROLES } from '$lib/auth/access';
import { hashPassword } from '../../auth/password';
import sql from './users.sql?raw';

export const USERS_SQL = sql;

const UserRowSchema = z.object({
	user_id: z.string(),
	email: z.string(),
	name: z.string(),
	role: z.enum(ROLES),
	password_hash: z.string(),
	disabled: z.coerce.number().transform((v) => v === 1),
	created_at: z.string()
});
export type UserRow = z.infer<typeof UserRowSchema>;
/** What the API shows of a user: never the hash. */
export type PublicUser = Omit<UserRow, 'password_hash'>;

/** Explicit fields, so nothing else stored on a user (the hash above all) ever leaves the server. */
export const toPublic = (u: UserRow): PublicUser => ({
	user_id: u.user_id,
	email: u.email,
	name: u.name,
	role: u.role,
	disabled: u.disabled,
	created_at: u.created_at
});

export async function listUsers(client: ClickHouseClient, email = ''): Promise<UserRow[]> {
	const rs = await client.query({ query: sql, query_params: { email: email.toLowerCase() }, format: 'JSONEachRow' });
	return z.array(UserRowSchema).parse(await rs.json());
}

export async function findUserByEmail(client: ClickHouseClient, email: string): Promise<UserRow | undefined> {
	return (await listUsers(client, email))[0];
}

export async function countUsers(client: ClickHouseClient): Promise<number> {
	const rs = await client.query({ query: 'SELECT count() AS n FROM users FINAL', format: 'JSONEachRow' });
	const [row] = await rs.json<{ n: string | number }>();
	return Number(row?.n ?? 0);
}

export async function saveUser(
	client: ClickHouseClient,
	user: Omit<UserRow, 'created_at' | 'user_id' | 'password_hash'> & {
		user_id?: string;
		password?: string;
		password_hash?: string;
		created_at?: string;
	}
): Promise<UserRow> {
	const row = {
		user_id: user.user_id ?? randomUUID(),
		email: user.email.toLowerCase(),
		name: user.name,
		role: user.role,
		password_hash: user.password ? await hashPassword(user.password) : (user.password_hash ?? ''),
		disabled: user.disabled ? 1 : 0,
		updated_at: Date.now(),
		...(user.created_at ? { created_at: user.created_at } : {})
	};
	await client.insert({ table: 'users', values: [row], format: 'JSONEachRow' });
	return { ...row, disabled: user.disabled, created_at: user.created_at ?? new Date().toISOString() };
}
