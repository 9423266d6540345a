import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/auth/access';
import { flushFailureBursts, signIn, waiting } from '../../src/lib/server/auth/sign-in';
import { listAudit } from '../../src/lib/server/queries/auth/audit';
import { sessionUser, type SessionUser } from '../../src/lib/server/queries/auth/sessions';
import { saveUser } from '../../src/lib/server/queries/auth/users';
import { createCaller } from '../../src/lib/server/trpc/router';
import { painPointId } from '../../schemas/journey';
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
		const [out] = await listAudit(ctx.db.client, { action: 'sign_out', limit: 5, offset: 0 });
		expect(out).toMatchObject({ email: 'strategist@example.com', role: 'strategist', ip: '10.0.0.9' });
	});

	it('refuses a wrong password with 401 and slows guessing, never refusing the right password', async () => {
		await userWith('product', 'guess@example.com');
		const waits: number[] = [];
		const sleep = waiting.sleep;
		waiting.sleep = async (ms) => void waits.push(ms);
		try {
			await expect(
				as(null).auth.signIn({ email: 'guess@example.com', password: 'wrong-password' })
			).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			// Guesses from many addresses: each waits longer, up to the account's cap.
			for (let i = 0; i < 7; i++) {
				const r = await signIn(ctx.db.client, { email: 'guess@example.com', password: 'wrong' }, `198.51.100.${i}`);
				expect(r).toEqual({ ok: false, reason: 'invalid' });
			}
			expect(waits).toEqual([1000, 2000, 4000, 8000, 15_000]);
			// The owner, elsewhere, still gets in with the right password (after the wait).
			expect((await signIn(ctx.db.client, { email: 'guess@example.com', password: PASSWORD }, '10.0.0.77')).ok).toBe(
				true
			);

			// Five failures from one address slow it down; a success from it clears it for everyone behind it.
			await userWith('strategist', 'nat@example.com');
			for (let i = 0; i < 5; i++)
				await signIn(ctx.db.client, { email: 'typo@example.com', password: 'x' }, '192.0.2.1');
			waits.length = 0;
			const ok = await signIn(ctx.db.client, { email: 'nat@example.com', password: PASSWORD }, '192.0.2.1');
			expect(ok.ok).toBe(true);
			expect(waits).toEqual([4000]);
			await signIn(ctx.db.client, { email: 'other@example.com', password: 'x' }, '192.0.2.1');
			expect(waits).toEqual([4000]);
		} finally {
			waiting.sleep = sleep;
		}
		// Throttled failures are one audit row per burst: 3 single rows, then one row for the 5 waited ones.
		await flushFailureBursts(ctx.db.client, Infinity);
		const failed = await listAudit(ctx.db.client, { action: 'sign_in_failed', limit: 50, offset: 0 });
		const guess = failed.filter((e) => e.email === 'guess@example.com');
		expect(guess).toHaveLength(4);
		expect(guess.map((e) => e.detail).filter((d) => d.startsWith('throttled'))).toEqual([
			expect.stringMatching(/^throttled: 5 failed attempts from 5 addresses, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC$/)
		]);
	}, 300_000); // each attempt costs a full scrypt hash

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

	it("masks customers' names in their own words, and keeps known names out of topics", async () => {
		const admin = await userWith('admin', 'admin6@example.com');
		await ctx.db.client.insert({
			table: 'customers',
			format: 'JSONEachRow',
			values: [{ customer_id: 'C-2', source: 'crm', name: 'Olga Petrova', email: '', phone: '' }]
		});
		const texts = [
			'Hi, this is Jane Doe: the refund for my parcel never arrived',
			'Jane Doe again, refund still missing, call (555) 010 - 9999',
			'refund missing, ask Olga Petrova, or write jane dot doe at example dot com',
			'JANE here, refund missing for weeks, Olga Petrova knows'
		];
		const day = (i: number) => `2026-03-0${i + 1} 10:00:00.000`;
		await ctx.db.client.insert({
			table: 'interactions',
			format: 'JSONEachRow',
			values: [
				...texts.map((text, i) => ({
					interaction_id: `i-${i}`,
					customer_id: 'C-1',
					ts: day(i),
					text,
					touchpoint: 'refund request'
				})),
				...Array.from({ length: 8 }, (_, i) => ({
					interaction_id: `b-${i}`,
					customer_id: '',
					ts: day(i % 4),
					text: 'the app works fine today',
					touchpoint: 'app login'
				}))
			].map((r) => ({
				...r,
				source: 'tickets',
				source_id: r.interaction_id,
				channel: 'email',
				stage: 'after_sales',
				language: 'en',
				sentiment: -0.5,
				csat_scale_min: 1,
				csat_scale_max: 5
			}))
		});
		const NAMES = /jane|doe|olga|petrova|555|9999/i;
		const c360 = await as(admin).customers.get({ id: 'C-1' });
		expect(c360.timeline.map((t) => t.text)).toHaveLength(4);
		for (const t of c360.timeline) expect(t.text).not.toMatch(/jane|doe|555|010/i);
		expect(c360.timeline.find((t) => t.interactionId === 'i-0')!.text).toBe(
			'Hi, this is J••• D••: the refund for my parcel never arrived'
		);
		const filter = { from: '2026-03-01', to: '2026-03-31' };
		const pp = await as(admin).painPoints.get({ id: painPointId('after_sales', 'refund request'), filter });
		expect(pp.interactions.rows.map((r) => r.text).filter((t) => t.includes('refund'))).toHaveLength(4);
		for (const r of [...pp.interactions.rows, ...pp.verbatims]) expect(r.text).not.toMatch(/jane|doe|555|010/i);
		const topics = await as(admin).text.topics({ ...filter, touchpoint: 'refund request', limit: 50 });
		expect(topics.terms.map((t) => t.term)).toContain('refund');
		expect(topics.terms.filter((t) => NAMES.test(t.term))).toEqual([]);
	});

	it('enforces per-source retention with a TTL on interactions', async () => {
		const admin = await userWith('admin', 'admin5@example.com');
		await as(admin).privacy.updateRetention({ retention: { social: 30, crm_tickets: 365 } });
		const [ddl] = await rows<{ statement: string }>(ctx.db, 'SHOW CREATE TABLE interactions');
		expect(ddl!.statement).toContain("multiIf(source = 'crm_tickets', 365, source = 'social', 30, 1000000)");
		expect((await as(admin).privacy.retention()).retention).toEqual({ social: 30, crm_tickets: 365 });
		await expect(as(admin).privacy.updateRetention({ retention: { '': 3 } })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		// A source with an odd name: its old rows go too.
		const odd = "O'Brien/CRM ü \\ 📞";
		await ctx.db.client.insert({
			table: 'interactions',
			format: 'JSONEachRow',
			values: [
				{ interaction_id: 'old-odd', source: odd, source_id: '1', ts: '2020-01-01 00:00:00.000' },
				{ interaction_id: 'old-plain', source: 'kept', source_id: '1', ts: '2020-01-01 00:00:00.000' }
			]
		});
		await as(admin).privacy.updateRetention({ retention: { [odd]: 30 } });
		await ctx.db.client.command({ query: 'OPTIMIZE TABLE interactions FINAL' });
		const left = await rows<{ interaction_id: string }>(
			ctx.db,
			"SELECT interaction_id FROM interactions WHERE interaction_id LIKE 'old-%' ORDER BY interaction_id"
		);
		expect(left.map((r) => r.interaction_id)).toEqual(['old-plain']);
	});
});
