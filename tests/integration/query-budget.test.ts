/**
 * The request budget in the real engine: a query past its time or memory answers 422 (not a hang
 * or a 500), and the budget does not outlive its query — the embedded engine applies settings to
 * its one shared session, and the next (unbudgeted) ingest query must run unlimited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetedDb, FairGate } from '../../src/lib/server/http/query-budget';
import { freshDb } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb();
});
afterAll(() => ctx?.close());

const SLOW = 'SELECT count() FROM numbers(100000000000) WHERE sipHash64(number) % 7 = 3';
const HUNGRY = 'SELECT groupArray(number) FROM numbers(100000000)';
const limits = async () =>
	(
		await (
			await ctx.db.client.query({
				query: "SELECT getSetting('max_execution_time') AS t, toString(getSetting('max_memory_usage')) AS m",
				format: 'JSONEachRow'
			})
		).json<{ t: number; m: string }>()
	)[0];

describe('query budget', () => {
	it('stops a slow query at the time budget with a 422, then leaves other queries unlimited', async () => {
		const db = budgetedDb(ctx.db, 'user-1', { seconds: 1, bytes: 2 ** 30 }, new FairGate(2));
		await expect(db.client.query({ query: SLOW, format: 'JSONEachRow' })).rejects.toMatchObject({
			code: 'UNPROCESSABLE_CONTENT'
		});
		expect(await limits()).toEqual({ t: 0, m: '0' });
	});

	it('stops a query past its memory with a 422', async () => {
		const db = budgetedDb(ctx.db, 'user-2', { seconds: 30, bytes: 64 * 2 ** 20 }, new FairGate(2));
		await expect(db.client.query({ query: HUNGRY, format: 'JSONEachRow' })).rejects.toMatchObject({
			code: 'UNPROCESSABLE_CONTENT',
			message: expect.stringMatching(/64 MB/)
		});
		expect(await limits()).toEqual({ t: 0, m: '0' });
	});
});
