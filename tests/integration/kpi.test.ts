import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCaller } from '../../src/lib/server/trpc/router';
import { freshDb, ingestRecords } from '../helpers/db';
import { FAKE_CALL_MAPPING, fakeCalls, type FakeCall } from '../helpers/factory';

let ctx: Awaited<ReturnType<typeof freshDb>>;
const calls = fakeCalls(600, 7);
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
	ctx = await freshDb();
	const s = await ingestRecords(ctx, calls, FAKE_CALL_MAPPING, { batchSize: 250 });
	expect(s).toMatchObject({ accepted: 600, rejected: 0 });
	caller = createCaller({ db: ctx.db });
});
afterAll(() => ctx.close());

/** The expected answer, computed from the factory records without ClickHouse. */
function expected(rows: FakeCall[]) {
	const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
	return {
		interactions: rows.length,
		customers: new Set(rows.map((r) => r.account)).size,
		csat: mean(rows.filter((r) => r.survey !== null).map((r) => ((r.survey! - 1) / 4) * 10)),
		fcr: mean(rows.filter((r) => r.resolved !== null).map((r) => (r.resolved ? 1 : 0))),
		avgHandleSeconds: mean(rows.map((r) => r.talk_sec)),
		avgFirstResponseSeconds: null,
		complaints: rows.filter((r) => r.complaint).length,
		sentiment: mean(rows.filter((r) => r.sentiment !== null).map((r) => r.sentiment!))
	};
}

function expectClose(actual: Record<string, number | null>, want: Record<string, number | null>) {
	for (const [k, v] of Object.entries(want)) {
		if (v === null) expect(actual[k], k).toBeNull();
		else expect(actual[k], k).toBeCloseTo(v, 4);
	}
}

const inRange = (from: string, to: string) => (c: FakeCall) =>
	c.started.slice(0, 10) >= from && c.started.slice(0, 10) <= to;

describe('kpi.summary', () => {
	it('matches an independent computation over the whole range', async () => {
		expectClose(await caller.kpi.summary({ from: '2025-01-01', to: '2025-12-31' }), expected(calls));
	});

	it('honours the date range (inclusive) and the channel filter', async () => {
		const got = await caller.kpi.summary({ from: '2025-02-01', to: '2025-02-28', channels: ['phone', 'email'] });
		expectClose(got, expected(calls.filter(inRange('2025-02-01', '2025-02-28')).filter((c) => c.channel !== 'chat')));
	});

	it('honours the segment filter', async () => {
		const got = await caller.kpi.summary({ from: '2025-01-01', to: '2025-12-31', segment: 'business' });
		expectClose(got, expected(calls.filter((c) => c.segment === 'business')));
	});

	it('returns zeros and nulls for a range without data', async () => {
		expect(await caller.kpi.summary({ from: '2020-01-01', to: '2020-01-31' })).toEqual({
			interactions: 0,
			customers: 0,
			csat: null,
			fcr: null,
			avgHandleSeconds: null,
			avgFirstResponseSeconds: null,
			complaints: 0,
			sentiment: null
		});
	});

	it('rejects bad input with BAD_REQUEST and a readable message', async () => {
		await expect(caller.kpi.summary({ from: '2025-13-01', to: '2025-01-01' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		await expect(caller.kpi.summary({ from: '2025-02-01', to: '2025-01-01' })).rejects.toThrow(
			/from must not be after to/
		);
	});
});

describe('roll-ups', () => {
	it('monthly rows (built from daily rows) agree with the daily ones and the raw table', async () => {
		const rs = await ctx.db.client.query({
			query: `SELECT
				(SELECT count() FROM interactions) AS raw,
				(SELECT sum(interactions) FROM kpi_daily) AS daily,
				(SELECT sum(interactions) FROM kpi_monthly) AS monthly,
				(SELECT uniqCombinedMerge(14)(customers) FROM kpi_monthly WHERE day = '2025-02-01') AS feb_customers,
				(SELECT uniqExact(customer_id) FROM interactions WHERE toStartOfMonth(ts) = '2025-02-01') AS feb_exact`,
			format: 'JSONEachRow'
		});
		const [r] = await rs.json<Record<string, number>>();
		expect(Number(r?.daily)).toBe(calls.length);
		expect(Number(r?.monthly)).toBe(calls.length);
		expect(Number(r?.raw)).toBe(calls.length);
		expect(Number(r?.feb_customers)).toBe(Number(r?.feb_exact));
	});
});

describe('kpi.trend', () => {
	it('fills empty weekly buckets and sums to the total', async () => {
		const rows = await caller.kpi.trend({ from: '2024-12-16', to: '2025-04-20', interval: 'week' });
		expect(rows[0]).toMatchObject({ bucket: '2024-12-16', interactions: 0, csat: null });
		expect(rows.at(-1)?.bucket).toBe('2025-04-14');
		expect(rows).toHaveLength(18);
		expect(rows.every((r) => new Date(`${r.bucket}T00:00:00Z`).getUTCDay() === 1)).toBe(true); // Mondays
		expect(rows.reduce((a, r) => a + r.interactions, 0)).toBe(calls.length);
	});

	it('reads whole weeks from the weekly roll-up and the edges from days: each week as the records say', async () => {
		// Wednesday to Wednesday, across two month ends (weeks that run into a new month are two rows).
		const [from, to] = ['2025-01-08', '2025-03-05'];
		const monday = (day: string) => {
			const d = new Date(`${day}T00:00:00Z`);
			d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
			return d.toISOString().slice(0, 10);
		};
		const rows = await caller.kpi.trend({ from, to, interval: 'week' });
		const inside = calls.filter(inRange(from, to));
		expect(rows.map((r) => r.bucket)).toEqual([...new Set(inside.map((c) => monday(c.started.slice(0, 10))))].sort());
		for (const r of rows) {
			const week = inside.filter((c) => monday(c.started.slice(0, 10)) === r.bucket);
			const { interactions, customers, csat, complaints, sentiment } = expected(week);
			expectClose(r as unknown as Record<string, number | null>, {
				interactions,
				customers,
				csat,
				complaints,
				sentiment
			});
		}
		const [weekly] = await ctx.db.client
			.query({ query: 'SELECT sum(interactions) AS n FROM kpi_weekly', format: 'JSONEachRow' })
			.then((rs) => rs.json<{ n: string }>());
		expect(Number(weekly!.n)).toBe(calls.length);
	});

	it('counts per month match the records', async () => {
		const rows = await caller.kpi.trend({ from: '2025-01-01', to: '2025-03-31', interval: 'month' });
		expect(rows.map((r) => r.bucket)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
		expect(rows[1]?.interactions).toBe(calls.filter(inRange('2025-02-01', '2025-02-28')).length);
	});
});

describe('kpi.channelMix and kpi.range', () => {
	it('gives shares that sum to 1', async () => {
		const mix = await caller.kpi.channelMix({ from: '2025-01-01', to: '2025-12-31' });
		expect(mix.map((m) => m.channel).sort()).toEqual(['chat', 'email', 'phone']);
		expect(mix.reduce((a, m) => a + m.share, 0)).toBeCloseTo(1, 6);
		expect(mix.find((m) => m.channel === 'chat')?.interactions).toBe(calls.filter((c) => c.channel === 'chat').length);
	});

	it('reports the first and last day with data', async () => {
		const days = calls.map((c) => c.started.slice(0, 10)).sort();
		expect(await caller.kpi.range()).toEqual({ min: days[0], max: days.at(-1) });
	});
});

describe('settings.targets', () => {
	it('defaults to the reference targets and stores updates', async () => {
		expect(await caller.settings.targets()).toEqual({
			fcr: 0.75,
			csat: 8.5,
			ahtSeconds: 720,
			firstResponseSeconds: 60
		});
		await caller.settings.updateTargets({ fcr: 0.8 });
		expect(await caller.settings.targets()).toMatchObject({ fcr: 0.8, csat: 8.5 });
		await expect(caller.settings.updateTargets({ fcr: 3 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});

describe('HTTP /api/trpc', () => {
	const call = (url: string) =>
		fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(url),
			router: appRouter,
			createContext: () => ({ db: ctx.db })
		});

	it('answers a plain JSON GET (curl-able, no transformer)', async () => {
		const input = encodeURIComponent(JSON.stringify({ from: '2025-01-01', to: '2025-12-31', channels: ['chat'] }));
		const res = await call(`http://x/api/trpc/kpi.summary?input=${input}`);
		expect(res.status).toBe(200);
		const body = (await res.json()) as { result: { data: { interactions: number } } };
		expect(body.result.data.interactions).toBe(calls.filter((c) => c.channel === 'chat').length);
	});

	it('answers bad input with 400, a readable message and no stack trace', async () => {
		const input = encodeURIComponent(JSON.stringify({ from: 'yesterday', to: '2025-12-31', channels: ['fax'] }));
		const res = await call(`http://x/api/trpc/kpi.summary?input=${input}`);
		expect(res.status).toBe(400);
		const text = await res.text();
		expect(text).not.toMatch(/stack|node_modules|at .*\.ts:/);
		const body = JSON.parse(text) as { error: { message: string; data: { code: string } } };
		expect(body.error.data.code).toBe('BAD_REQUEST');
		expect(body.error.message).toMatch(/^from: Invalid ISO date/);
		expect(body.error.message).toMatch(/channels\.0: Invalid option/);
	});

	it('answers malformed JSON input with 400', async () => {
		const res = await call('http://x/api/trpc/kpi.summary?input=%7Bnot-json');
		expect(res.status).toBe(400);
	});
});
