/**
 * Streamed CSV downloads under the request's query budget: a download whose source stalls or runs
 * out of time ends with a line saying so (never hangs); one that cannot start within the budget
 * answers 422 with the API's message; numbers go out as numbers.
 */
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import type { CsvValue } from '../../src/lib/csv';
import { csvDownload, exportBudget, STOPPED } from '../../src/lib/server/http/csv-export';
import { overBudget } from '../../src/lib/server/http/query-budget';

// A short budget only where running out of it is certain (a source that never answers); ample
// elsewhere, so a busy machine cannot change an outcome.
const budget = { seconds: 0.4, bytes: 2 ** 30 };
const ample = { seconds: 600, bytes: 2 ** 30 };
const fakeDb = { client: { query: async () => 'rows' } } as unknown as Db;

async function* batches(out: CsvValue[][][], then: 'end' | 'stall' | Error): AsyncGenerator<CsvValue[][]> {
	for (const b of out) yield b;
	if (then === 'stall') await new Promise(() => undefined);
	if (then instanceof Error) throw then;
}

/** The body as sent, byte-order mark included (Response.text() drops it). */
const body = async (r: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());

const status = (p: Promise<unknown>) =>
	p.then(
		() => 200,
		(e: { status?: number; body?: { message?: string } }) => ({ status: e.status, message: e.body?.message })
	);

describe('streamed CSV downloads', () => {
	it('writes the header and every batch, numbers as numbers', async () => {
		const res = await csvDownload(
			['id', 'x'],
			batches([[['a', 0.5]], [['b', -2]]], 'end'),
			exportBudget(fakeDb, 'u', ample),
			{}
		);
		expect(res.headers.get('content-type')).toMatch(/text\/csv/);
		expect(await body(res)).toBe('\ufeffid,x\r\na,0.5\r\nb,-2\r\n');
	});

	it('ends a download whose source stalls at the end of the budget, with a line saying why', async () => {
		const res = await csvDownload(['id'], batches([[['a']], [['b']]], 'stall'), exportBudget(fakeDb, 'u', budget), {});
		const lines = (await body(res)).trimEnd().split('\r\n');
		// The first batch always goes out; the next one too unless the budget ran out before it was asked for.
		expect(lines[0]).toBe('\ufeffid');
		expect([['a'], ['a', 'b']]).toContainEqual(lines.slice(1, -1));
		expect(lines.at(-1)).toMatch(
			new RegExp(`^${STOPPED}: This question needs more than the 0.4 s .* Rows above are complete\\.$`)
		);
	});

	it('ends with the reason when the database stops a later query over budget', async () => {
		const res = await csvDownload(['id'], batches([[['a']]], overBudget(budget)), exportBudget(fakeDb, 'u', ample), {});
		expect((await body(res)).trimEnd().split('\r\n').at(-1)).toMatch(
			/^# export stopped: This question needs more than/
		);
	});

	it('answers 422 when not even the first rows come within the budget', async () => {
		expect(await status(csvDownload(['id'], batches([], 'stall'), exportBudget(fakeDb, 'u', budget), {}))).toEqual({
			status: 422,
			message: expect.stringMatching(/narrow the dates or filters/)
		});
		expect(
			await status(csvDownload(['id'], batches([], overBudget(budget)), exportBudget(fakeDb, 'u', budget), {}))
		).toEqual({
			status: 422,
			message: expect.stringMatching(/more than the 0.4 s/)
		});
		const other = new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many questions waiting; slow down.' });
		expect(await status(csvDownload(['id'], batches([], other), exportBudget(fakeDb, 'u', budget), {}))).toEqual({
			status: 429,
			message: 'Too many questions waiting; slow down.'
		});
	});
});
