/**
 * The answer cache (src/lib/server/trpc/answer-cache.ts) on a real embedded ClickHouse: a repeated
 * HTTP-style call is answered from the cache, new data and any mutation are seen at once, roles
 * do not share answers, and in-process callers always compute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetedDb } from '../../src/lib/server/http/query-budget';
import { createCaller } from '../../src/lib/server/trpc/router';
import { freshDb, ingestRecords } from '../helpers/db';
import { FAKE_CALL_MAPPING, fakeCalls } from '../helpers/factory';

let ctx: Awaited<ReturnType<typeof freshDb>>;
const calls = fakeCalls(400, 3);

const load = (rows: typeof calls, name: string) => ingestRecords(ctx, rows, FAKE_CALL_MAPPING, { name });

/**
 * A caller like the API route makes for a request (sign-in off, as the bench and demos run): each
 * request gets its own budgeted client wrapping the database's.
 */
const http = (role?: 'admin' | 'executive') =>
	createCaller({
		db: budgetedDb(ctx.db, role ?? '127.0.0.1'),
		auth: {
			enforced: !!role,
			ip: '127.0.0.1',
			user: role ? ({ user_id: role, email: `${role}@x`, role, name: role } as never) : null
		}
	});

let range: { from: string; to: string };
beforeAll(async () => {
	ctx = await freshDb();
	expect((await load(calls.slice(0, 300), 'a.ndjson')).accepted).toBe(300);
	// Wide enough for every factory record, whichever part is loaded.
	range = { from: '2015-01-01', to: '2034-12-31' };
});
afterAll(() => ctx.close());

describe('answer cache', () => {
	it('returns the same answer object for a repeated call and sees new data at once', async () => {
		const first = await http().kpi.summary(range);
		const again = await http().kpi.summary(range);
		expect(again).toBe(first); // the kept answer itself, not a recomputation
		expect(first.interactions).toBe(300);
		expect((await load(calls.slice(300), 'b.ndjson')).accepted).toBe(100);
		await new Promise((r) => setTimeout(r, 1100)); // the data version is read at most once a second
		expect((await http().kpi.summary(range)).interactions).toBe(400);
	});

	it('starts afresh after a mutation and keeps roles apart', async () => {
		const a = await http('admin').kpi.summary(range);
		expect(await http('admin').kpi.summary(range)).toBe(a);
		expect(await http('executive').kpi.summary(range)).not.toBe(a);
		await http('admin').settings.updateDisplay({ timeZone: 'Asia/Shanghai' });
		expect(await http('admin').kpi.summary(range)).not.toBe(a);
	});

	it('never caches in-process callers', async () => {
		const caller = createCaller({ db: ctx.db });
		expect(await caller.kpi.summary(range)).not.toBe(await caller.kpi.summary(range));
	});
});
