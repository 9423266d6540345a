/**
 * What keeps one request from taking the server down: dates outside ClickHouse's calendar refused
 * by the one shared date schema, date loops on numbers and bounded, a batch costing its calls,
 * a query queue fair between users, a time and memory budget per request, and the one CSV writer.
 */
import { describe, expect, it } from 'vitest';
import { KpiFilterSchema } from '../../schemas/kpi';
import { JourneyFilterSchema } from '../../schemas/journey';
import { RoiAssumptionsUpdateSchema } from '../../schemas/roi';
import { TextTopicsInputSchema } from '../../schemas/text';
import { TrendSeriesInputSchema } from '../../schemas/trends';
import { csvCell, csvLine, figure, toCsv } from '../../src/lib/csv';
import { budgetedDb, FairGate } from '../../src/lib/server/http/query-budget';
import { callsIn, limitKey, RateLimiter } from '../../src/lib/server/http/rate-limit';
import { wholeMonths } from '../../src/lib/server/queries/kpi/filter';
import { previousPeriod } from '../../src/lib/server/queries/journey/filter';
import { wholeWeeks } from '../../src/lib/server/queries/kpi/filter';
import { readable } from '../../src/lib/server/trpc/init';
import type { Db } from '../../db/client';

describe('dates', () => {
	it.each([
		['9999-12-24', '9999-12-31'],
		['0000-01-01', '0000-01-07'],
		['1969-12-31', '1970-01-31'],
		['2149-06-01', '2149-06-06'],
		['2106-02-06', '2106-02-06']
	])('refuses %s..%s in every date filter, naming the field', (from, to) => {
		for (const schema of [JourneyFilterSchema, KpiFilterSchema, TextTopicsInputSchema, TrendSeriesInputSchema]) {
			const r = schema.safeParse({ from, to });
			expect(r.success).toBe(false);
			expect(readable(r.error!)).toMatch(/^(from|to): must lie between 1970-01-02 and 2106-02-05/);
		}
	});

	it('accepts the first and last day, and checks stored ROI periods the same way', () => {
		expect(JourneyFilterSchema.safeParse({ from: '1970-01-02', to: '1974-12-31' }).success).toBe(true);
		expect(KpiFilterSchema.safeParse({ from: '2101-01-01', to: '2106-02-05' }).success).toBe(true);
		const roi = RoiAssumptionsUpdateSchema.safeParse({ baseline: { from: '9999-01-01', to: '9999-12-31' } });
		expect(roi.success).toBe(false);
	});

	it('counts whole weeks on numbers: at the last day ClickHouse holds it ends, and it never spins', () => {
		const full = wholeMonths('2106-01-20', '2106-02-05');
		expect(wholeWeeks('2106-01-20', '2106-02-05', full)).toEqual(['2106-01-25']);
		// Far outside the accepted range (the old string loop never ended here): bounded, still right.
		expect(wholeWeeks('9999-12-20', '9999-12-31', { full_from: '9999-12-20', full_to: '9999-12-20' })).toEqual([
			'9999-12-20'
		]);
		expect(wholeWeeks('2026-03-02', '2026-03-15', { full_from: '2026-03-01', full_to: '2026-03-01' })).toEqual([
			'2026-03-02',
			'2026-03-09'
		]);
		expect(() => wholeWeeks('nope', '2026-01-01', full)).toThrow(RangeError);
	});

	it('cuts the previous period at the first day ClickHouse holds', () => {
		expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-01-29', to: '2026-02-28' });
		expect(previousPeriod('1970-01-02', '1970-01-31')).toEqual({ from: '1970-01-02', to: '1970-01-02' });
	});
});

describe('batches and fairness', () => {
	it('counts a batched request as its calls', () => {
		expect(callsIn(new URL('http://x/api/trpc/journey.map'))).toBe(1);
		expect(callsIn(new URL('http://x/api/trpc/journey.map,kpi.range,kpi.summary?batch=1'))).toBe(3);
		const r = new RateLimiter(10, 100);
		expect(r.take('a', 0, 60)).toBe(0);
		expect(r.take('a', 0, 60)).toBe(2); // 40 left: 20 more tokens take 2 s
		expect(r.take('a', 0, 40)).toBe(0);
		expect(r.take('b', 0, 500)).toBe(0); // larger than a full bucket: through, at its fullest
		expect(r.take('b', 0, 1)).toBeGreaterThan(0);
	});

	it('limits each signed-in user on their own, and calls without a session per address', () => {
		const r = new RateLimiter(1, 10);
		const office = '10.0.0.7';
		// One user's batch of ten empties their bucket, wherever they call from…
		expect(r.take(limitKey('u1', office), 0, 10)).toBe(0);
		expect(r.take(limitKey('u1', '10.9.9.9'), 0, 1)).toBe(1);
		// …and a colleague behind the same address, or an anonymous caller there, keeps theirs.
		expect(r.take(limitKey('u2', office), 0, 10)).toBe(0);
		expect(r.take(limitKey(undefined, office), 0, 10)).toBe(0);
		expect(r.take(limitKey(undefined, office), 0, 1)).toBe(1);
		expect(limitKey('10.0.0.7', office)).not.toBe(limitKey(undefined, office)); // a user id never poses as an address
	});

	it("runs another user's one call before the rest of a 150-call flood", async () => {
		const gate = new FairGate(2, 1, 200);
		const order: string[] = [];
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const calls = Array.from({ length: 150 }, (_, i) =>
			gate.run('flood', async () => {
				order.push(`flood-${i}`);
				if (i === 0) await held;
			})
		);
		await Promise.resolve();
		const other = gate.run('other', async () => void order.push('other'));
		expect(gate.state()).toEqual({ running: 2, waiting: 149 });
		release();
		await Promise.all([...calls, other]);
		expect(order.indexOf('other')).toBeLessThanOrEqual(2);
		expect(gate.state()).toEqual({ running: 0, waiting: 0 });
	});

	it('refuses calls past what one user may have waiting', async () => {
		const gate = new FairGate(1, 1, 2);
		const first = gate.run('a', () => new Promise((r) => setTimeout(r, 20)));
		const queued = [gate.run('a', async () => 1), gate.run('a', async () => 2)];
		await expect(gate.run('a', async () => 3)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
		await Promise.all([first, ...queued]);
	});

	it('refuses a call that waited past its limit with 503, and runs the others in turn', async () => {
		const gate = new FairGate(1, 1, 10);
		let release!: () => void;
		const first = gate.run('a', () => new Promise<string>((r) => (release = () => r('first'))));
		const impatient = gate.run('b', async () => 'impatient', 10);
		const patient = gate.run('c', async () => 'patient');
		await expect(impatient).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: /busy/ });
		expect(gate.state()).toEqual({ running: 1, waiting: 1 });
		release();
		expect(await Promise.all([first, patient])).toEqual(['first', 'patient']);
		expect(gate.state()).toEqual({ running: 0, waiting: 0 });
	});

	it("gives each query the request's remaining time and the memory cap, and answers 422 past them", async () => {
		const seen: Record<string, unknown>[] = [];
		const client = {
			query: async (p: { clickhouse_settings?: Record<string, unknown> }) => {
				seen.push(p.clickhouse_settings ?? {});
				if (seen.length === 2) throw Object.assign(new Error('Timeout exceeded'), { code: '159' });
				return 'rows';
			},
			close: () => 'closed'
		};
		const db = budgetedDb({ client } as unknown as Db, 'u', { seconds: 5, bytes: 2 ** 30 }, new FairGate(2));
		expect(await db.client.query({ query: 'SELECT 1' })).toBe('rows');
		expect(seen[0]).toMatchObject({
			max_execution_time: 5,
			max_memory_usage: String(2 ** 30),
			timeout_overflow_mode: 'throw'
		});
		await expect(db.client.query({ query: 'SELECT 2' })).rejects.toMatchObject({
			code: 'UNPROCESSABLE_CONTENT',
			message: expect.stringMatching(/more than the 5 s and 1024 MB a request may use/)
		});
		expect(await db.client.close()).toBe('closed');
	});
});

describe('CSV', () => {
	it.each([
		['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
		['@SUM(A1:A9)', "'@SUM(A1:A9)"],
		['+cmd|/C calc', "'+cmd|/C calc"],
		['-2+3', "'-2+3"],
		['\tx', "'\tx"],
		['\rx', `"'\rx"`],
		['-1.5', '-1.5'],
		[-3, '-3'],
		['1e+21', '1e+21'],
		['ok', 'ok'],
		[null, '']
	])('writes %j as %s', (v, out) => expect(csvCell(v)).toBe(out));

	it('writes figures as numbers, rounded, and no figure as an empty cell', () => {
		expect(csvLine([figure(0.1, 4), figure(2 / 3, 3), figure(-0.05, 3), figure(null, 2), figure(NaN, 2)])).toBe(
			'0.1,0.667,-0.05,,\r\n'
		);
	});

	it('quotes RFC 4180 style, one line per row', () => {
		expect(csvLine(['a,b', 'say "hi"', null, 3])).toBe('"a,b","say ""hi""",,3\r\n');
		expect(toCsv([['a'], ['=1']])).toBe("a\r\n'=1\r\n");
	});
});
