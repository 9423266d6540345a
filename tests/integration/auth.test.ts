import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/auth/access';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { listAudit } from '../../src/lib/server/queries/auth/audit';
import { sessionUser, type SessionUser } from '../../src/lib/server/queries/auth/sessions';
import { saveUser } from '../../src/lib/server/queries/auth/users';
import { createCaller } from '../../src/lib/server/trpc/router';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
const PASSWORD = 'integration-pass-1';

/** A caller as an HTTP request would be: with the session's user and enforcement on. */
const as = (user: SessionUser | null, extra: { token?: string; cookies?: (string | null)[] } = {}) =>
	createCaller({
		db: ctx.db,
		auth: {
			user,
			enforced: true,
			ip: '10.0.0.9',
			token: extra.token,
			setSession: (token) => extra.cookies?.push(token)
		}
	});

async function userWith(role: Role, email = `${role}@example.com`): Promise<SessionUser> {
	await saveUser(ctx.db.client, { email, name: role, role, disabled: false, password: PASSWORD });
	const r = await signIn(ctx.db.client, { email, password: PASSWORD }, '10.0.0.1');
	if (!r.ok) throw new Error('sign-in failed');
	return r.user;
}

beforeAll(async () => {
	ctx = await freshDb();
	await ctx.db.client.insert({
		table: 'customers',
		format: 'JSONEachRow',
		values: [
			{ customer_id: 'C-1', source: 'crm', name: 'Jane Doe', email: 'jane.doe@example.com', phone: '+1 415 555 0100' }
		]
	});
});
afterAll(() => ctx.close());

describe('sessions', () => {
	it('signs in through the API, sets the cookie, and the token finds the user until sign-out', async () => {
		await userWith('strategist');
		const cookies: (string | null)[] = [];
		const me = await as(null, { cookies }).auth.signIn({ email: 'Strategist@Example.com', password: PASSWORD });
		expect(me).toEqual({ email: 'strategist@example.com', name: 'strategist', role: 'strategist' });
		const token = cookies[0]!;
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const user = await sessionUser(ctx.db.client, token);
		expect(user).toMatchObject({ email: 'strategist@example.com', role: 'strategist' });
		// The database holds only a hash of the token.
		const stored = await rows<{ token_hash: string }>(ctx.db, 'SELECT token_hash FROM sessions');
		expect(stored.some((s) => s.token_hash === token)).toBe(false);

		await as(user, { token, cookies }).auth.signOut();
		expect(cookies.at(-1)).toBeNull();
		expect(await sessionUser(ctx.db.client, token)).toBeNull();
	});

	it('refuses a wrong password with 401 and throttles guessing with 429', async () => {
		await userWith('product', 'guess@example.com');
		const caller = as(null);
		for (let i = 0; i < 5; i++)
			await expect(
				caller.auth.signIn({ email: 'guess@example.com', password: 'wrong-password' })
			).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
		// Even the right password waits now.
		await expect(caller.auth.signIn({ email: 'guess@example.com', password: PASSWORD })).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS'
		});
		const failed = await listAudit(ctx.db.client, { action: 'sign_in_failed', limit: 50, offset: 0 });
		expect(failed.filter((e) => e.email === 'guess@example.com')).toHaveLength(6);
	});

	it('revokes every session of a user whose role changes', async () => {
		const admin = await userWith('admin');
		const exec = await userWith('executive');
		const r = await signIn(ctx.db.client, { email: exec.email, password: PASSWORD }, '10.0.0.2');
		if (!r.ok) throw new Error('sign-in failed');
		expect(await sessionUser(ctx.db.client, r.token)).not.toBeNull();
		await as(admin).auth.updateUser({ email: exec.email, role: 'product' });
		expect(await sessionUser(ctx.db.client, r.token)).toBeNull();
	});
});

describe('roles on procedures', () => {
	it('answers 401 signed out, 403 for a role without access, and runs for one with access', async () => {
		const exec = await userWith('executive', 'exec2@example.com');
		const admin = await userWith('admin', 'admin2@example.com');
		await expect(as(null).kpi.range()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		await expect(as(exec).auth.users()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(exec).settings.updateTargets({ fcr: 0.9 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await as(exec).kpi.range()).toHaveProperty('min');
		const users = await as(admin).auth.users();
		expect(users.length).toBeGreaterThanOrEqual(2);
		expect(Object.keys(users[0]!).sort()).toEqual(['created_at', 'disabled', 'email', 'name', 'role', 'user_id']);
	});

	it('audits every change with its input, passwords hidden', async () => {
		const admin = await userWith('admin', 'admin3@example.com');
		await as(admin).settings.updateTargets({ fcr: 0.8 });
		await as(admin).auth.createUser({
			email: 'new@example.com',
			name: 'New',
			role: 'product',
			password: 'a-long-password'
		});
		const changes = await listAudit(ctx.db.client, { action: 'change', limit: 10, offset: 0 });
		expect(changes.map((c) => c.target)).toEqual(expect.arrayContaining(['settings.updateTargets', 'auth.createUser']));
		const create = changes.find((c) => c.target === 'auth.createUser')!;
		expect(create.email).toBe('admin3@example.com');
		expect(create.detail).toContain('"password":"***"');
		expect(create.detail).not.toContain('a-long-password');
	});
});

describe('privacy', () => {
	it('shows a customer masked, reveals to an admin with a reason, and records the reveal', async () => {
		const admin = await userWith('admin', 'admin4@example.com');
		const strategist = await userWith('strategist', 'strat4@example.com');
		expect(await as(admin).privacy.customer({ customerId: 'C-1' })).toEqual({
			customer_id: 'C-1',
			name: 'J••• D••',
			email: 'j•••@e•••.com',
			phone: '•••• 0100'
		});
		await expect(as(admin).privacy.revealCustomer({ customerId: 'C-1', reason: 'why' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		await expect(
			as(strategist).privacy.revealCustomer({ customerId: 'C-1', reason: 'customer asked on the phone' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const pii = await as(admin).privacy.revealCustomer({ customerId: 'C-1', reason: 'customer asked on the phone' });
		expect(pii).toEqual({
			customer_id: 'C-1',
			name: 'Jane Doe',
			email: 'jane.doe@example.com',
			phone: '+1 415 555 0100'
		});
		const [reveal] = await listAudit(ctx.db.client, { action: 'pii_reveal', limit: 5, offset: 0 });
		expect(reveal).toMatchObject({ email: 'admin4@example.com', target: 'C-1', detail: 'customer asked on the phone' });
	});

	it('enforces per-source retention with a TTL on interactions', async () => {
		const admin = await userWith('admin', 'admin5@example.com');
		await as(admin).privacy.updateRetention({ retention: { social: 30, crm_tickets: 365 } });
		const [ddl] = await rows<{ statement: string }>(ctx.db, 'SHOW CREATE TABLE interactions');
		expect(ddl!.statement).toContain("multiIf(source = 'crm_tickets', 365, source = 'social', 30, 1000000)");
		expect((await as(admin).privacy.retention()).retention).toEqual({ social: 30, crm_tickets: 365 });
		await expect(as(admin).privacy.updateRetention({ retention: { "x'; DROP": 3 } })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});
