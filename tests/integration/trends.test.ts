/**
 * trends.series, roi.summary and settings against an independent computation in plain JS on a
 * seeded fixture (calls with team, stage, wait, abandonment, NPS), through createCaller.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCaller } from '../../src/lib/server/trpc/router';
import { computeRoi } from '../../src/lib/roi/model';
import { freshDb, ingestRecords, rows } from '../helpers/db';
import { REFERENCE_INPUTS, REFERENCE_RESULT } from '../fixtures/roi-reference';
import { FAKE_CALL_MAPPING, fakeCalls, type FakeCall } from '../helpers/factory';

const TEAMS = ['alpha', 'beta', 'gamma'];
const STAGES = ['purchase', 'delivery', 'after_sales'];

interface Call extends FakeCall {
	team: string;
	stage: string;
	outcome: string;
	nps: number | null;
	wait: number | null;
}

/** The factory's calls plus team, stage, abandonment and NPS, derived from the index (deterministic). */
const calls: Call[] = fakeCalls(700, 11).map((c, i) => ({
	...c,
	team: TEAMS[i % 3]!,
	stage: STAGES[(i * 7) % 3]!,
	outcome: i % 9 === 0 ? 'abandoned' : 'resolved',
	nps: i % 4 === 0 ? i % 11 : null,
	wait: i % 5 === 0 ? null : c.wait_sec
}));

const MAPPING = {
	...FAKE_CALL_MAPPING,
	fields: {
		...FAKE_CALL_MAPPING.fields,
		wait_s: 'wait',
		team: 'team',
		stage: 'stage',
		outcome: 'outcome',
		nps: 'nps'
	}
};

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof createCaller>;
beforeAll(async () => {
	ctx = await freshDb();
	const s = await ingestRecords(ctx, calls, MAPPING, { batchSize: 300 });
	expect(s).toMatchObject({ accepted: calls.length, rejected: 0 });
	caller = createCaller({ db: ctx.db });
});
afterAll(() => ctx.close());

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Local calendar day of an instant in a time zone, independently of ClickHouse. */
const localDay = (iso: string, tz: string) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date(iso)
	);
const monday = (day: string) => {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
	return d.toISOString().slice(0, 10);
};

function expected(rs: Call[]) {
	const csat = rs.filter((r) => r.survey !== null).map((r) => ((r.survey! - 1) / 4) * 10);
	const waited = rs.filter((r) => r.wait !== null);
	const nps = rs.filter((r) => r.nps !== null).map((r) => r.nps!);
	return {
		volume: rs.length,
		csat: mean(csat),
		satisfied: csat.length ? csat.filter((v) => v >= 7.5).length / csat.length : null,
		fcr: mean(rs.filter((r) => r.resolved !== null).map((r) => (r.resolved ? 1 : 0))),
		aht: mean(rs.map((r) => r.talk_sec)),
		firstResponse: null,
		wait: mean(waited.map((r) => r.wait!)),
		abandonment: waited.length ? waited.filter((r) => r.outcome === 'abandoned').length / waited.length : null,
		complaints: rs.filter((r) => r.complaint).length,
		sentiment: mean(rs.filter((r) => r.sentiment !== null).map((r) => r.sentiment!)),
		nps: nps.length ? (100 * (nps.filter((v) => v >= 9).length - nps.filter((v) => v <= 6).length)) / nps.length : null
	};
}

function expectClose(actual: Record<string, unknown>, want: Record<string, number | null>) {
	for (const [k, v] of Object.entries(want)) {
		if (v === null) expect(actual[k], k).toBeNull();
		// The series rounds to 4–5 decimals (2 for seconds): far below what is shown.
		else expect(actual[k] as number, k).toBeCloseTo(v, k === 'aht' || k === 'wait' || k === 'nps' ? 1 : 3);
	}
}

describe('trends.series', () => {
	it('weekly overall series matches an independent computation, with empty weeks filled', async () => {
		const s = await caller.trends.series({ from: '2024-12-16', to: '2025-04-20', interval: 'week', tz: 'UTC' });
		expect(s.groups).toEqual(['']);
		expect(s.rows).toHaveLength(18);
		expect(s.rows[0]).toMatchObject({ bucket: '2024-12-16', volume: 0, csat: null, complaints: 0 });
		for (const row of s.rows.filter((r) => r.volume > 0)) {
			const inWeek = calls.filter((c) => monday(c.started.slice(0, 10)) === row.bucket);
			expectClose(row, expected(inWeek));
		}
		expect(s.rows.reduce((a, r) => a + r.volume, 0)).toBe(calls.length);
	});

	it('breaks down by team and by stage', async () => {
		for (const [breakdown, key] of [
			['team', 'team'],
			['stage', 'stage']
		] as const) {
			const s = await caller.trends.series({
				from: '2025-01-01',
				to: '2025-03-31',
				interval: 'month',
				breakdown,
				tz: 'UTC'
			});
			expect([...s.groups].sort()).toEqual(breakdown === 'team' ? TEAMS : [...STAGES].sort());
			for (const row of s.rows) {
				const rs = calls.filter((c) => c[key] === row.group && c.started.slice(0, 7) === row.bucket.slice(0, 7));
				expectClose(row, expected(rs));
			}
		}
	});

	it('filters to one value of a breakdown', async () => {
		const s = await caller.trends.series({
			from: '2025-01-01',
			to: '2025-03-31',
			interval: 'month',
			breakdown: 'channel',
			value: 'chat',
			tz: 'UTC'
		});
		expect(s.groups).toEqual(['chat']);
		expect(s.rows.reduce((a, r) => a + r.volume, 0)).toBe(calls.filter((c) => c.channel === 'chat').length);
	});

	it('puts contacts on the local day of the chosen time zone', async () => {
		for (const tz of ['Asia/Shanghai', 'America/New_York']) {
			const s = await caller.trends.series({ from: '2025-02-01', to: '2025-02-28', interval: 'day', tz });
			expect(s.tz).toBe(tz);
			for (const row of s.rows) {
				const n = calls.filter((c) => localDay(c.started, tz) === row.bucket).length;
				expect(row.volume, `${tz} ${row.bucket}`).toBe(n);
			}
		}
	});

	it('defaults to the stored time zone', async () => {
		await caller.settings.updateDisplay({ timeZone: 'Asia/Shanghai' });
		expect((await caller.trends.series({ from: '2025-02-01', to: '2025-02-02', interval: 'day' })).tz).toBe(
			'Asia/Shanghai'
		);
		await caller.settings.updateDisplay({ timeZone: 'UTC' });
	});

	it('rejects bad input with BAD_REQUEST', async () => {
		await expect(
			caller.trends.series({ from: '2025-01-01', to: '2025-01-31', tz: 'Mars/Olympus' })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(
			caller.trends.series({ from: '2025-01-01', to: '2025-01-31', breakdown: 'agent' as never })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(caller.trends.forecast({ kpi: 'fcr', horizon: 52 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('the roll-up agrees with the raw table', async () => {
		const [r] = await rows<Record<string, string>>(
			ctx.db,
			`SELECT (SELECT count() FROM interactions) AS raw,
			        (SELECT sum(interactions) FROM kpi_hourly WHERE dim = 'all') AS all_rows,
			        (SELECT sum(interactions) FROM kpi_hourly WHERE dim = 'team') AS team_rows`
		);
		expect(Number(r?.all_rows)).toBe(Number(r?.raw));
		expect(Number(r?.team_rows)).toBe(Number(r?.raw));
	});
});

describe('settings', () => {
	it('settings.get returns targets, ROI assumptions and display defaults', async () => {
		const s = await caller.settings.get();
		expect(s.targets).toEqual({ fcr: 0.75, csat: 8.5, ahtSeconds: 720, firstResponseSeconds: 60 });
		// Defaults fit any data: no currency, no investment, periods from the data.
		expect(s.roi).toMatchObject({ currency: '', investments: [], baseline: null, comparison: null });
		expect(s.display.timeZone).toBe('UTC');
	});

	it('updateTargets changes only the fields given', async () => {
		await caller.settings.updateTargets({ csat: 9 });
		await caller.settings.updateTargets({ fcr: 0.8 });
		expect(await caller.settings.targets()).toEqual({ fcr: 0.8, csat: 9, ahtSeconds: 720, firstResponseSeconds: 60 });
		await caller.settings.updateTargets({ fcr: 0.75, csat: 8.5 });
	});

	it('updateRoiAssumptions validates, merges and stores', async () => {
		await caller.settings.updateRoiAssumptions({ clv: 20_000 });
		await caller.settings.updateRoiAssumptions({ costPerMinute: 15 });
		const s = await caller.settings.get();
		expect(s.roi).toMatchObject({ clv: 20_000, costPerMinute: 15, costPerComplaint: 850 });
		await expect(caller.settings.updateRoiAssumptions({ clv: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(
			caller.settings.updateRoiAssumptions({ baseline: { from: '2025-05-01', to: '2025-01-01' } })
		).rejects.toThrow(/from must not be after to/);
		await expect(caller.settings.updateRoiAssumptions({ nonsense: 1 } as never)).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});

describe('roi.summary', () => {
	it('takes the periods from the data and says what it cannot measure', async () => {
		const r = await caller.roi.summary();
		expect(r.periodsFromData).toBe(true);
		const first = calls.map((c) => c.started.slice(0, 10)).sort()[0]!;
		expect(r.assumptions.baseline.from).toBe(first);
		expect(r.assumptions.comparison.to >= r.assumptions.comparison.from).toBe(true);
		expect(r.assumptions.baseline.to < r.assumptions.comparison.from).toBe(true);
		expect(r.warnings).toEqual(expect.arrayContaining(['currencyUnset', 'noInvestment', 'retentionNoBaseline']));
		expect(r.result.roiPct).toBeNull();
		expect(r.result.paybackMonths).toBeNull();
		// The calls carry no first response: that target is not measured, by no source.
		const fr = r.scorecards.find((s) => s.kpi === 'firstResponse')!;
		expect(fr.current).toBeNull();
		expect(fr.measuredBy).toEqual([]);
		const fcr = r.scorecards.find((s) => s.kpi === 'fcr')!;
		expect(fcr.measuredBy.map((m) => m.channel).sort()).toEqual(['chat', 'email', 'phone']);
		expect(fcr.measuredBy.every((m) => m.source === 'fake-calls')).toBe(true);
	});

	it('never adds up investments in different currencies', async () => {
		await caller.settings.updateRoiAssumptions({
			currency: 'eur',
			investments: [
				{ kind: 'training', amount: 1_000_000, date: '2025-01-15' },
				{ kind: 'technology', amount: 2_000_000, currency: 'USD', date: '2025-02-01' }
			]
		});
		const r = await caller.roi.summary();
		expect(r.assumptions.currency).toBe('EUR');
		expect(r.warnings).toContain('mixedCurrencies');
		expect(r.inputs.investment).toBe(0);
		expect(r.result.roiPct).toBeNull();
		await expect(caller.settings.updateRoiAssumptions({ currency: 'euro' })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});

	it('measures the periods from the data and computes the ROI from them', async () => {
		await caller.settings.updateRoiAssumptions({
			currency: 'CNY',
			investments: [{ kind: 'technology', amount: 41_000_000, date: '2025-02-01' }],
			baseline: { from: '2025-01-01', to: '2025-01-31' },
			comparison: { from: '2025-03-01', to: '2025-03-31' },
			customers: 1000,
			annualContacts: 0
		});
		const r = await caller.roi.summary();
		const jan = calls.filter((c) => c.started.startsWith('2025-01'));
		const mar = calls.filter((c) => c.started.startsWith('2025-03'));
		expect(r.before.contacts).toBe(jan.length);
		expect(r.after.contacts).toBe(mar.length);
		expect(r.before.ahtSeconds).toBeCloseTo(expected(jan).aht!, 6);
		expect(r.after.fcr).toBeCloseTo(expected(mar).fcr!, 6);
		expect(r.after.complaintRate).toBeCloseTo(mar.filter((c) => c.complaint).length / mar.length, 6);
		expect(r.inputs.annualContacts).toBe(Math.round((mar.length * 365) / 31));
		expect(r.inputs.customers).toBe(1000);
		// The benefits, worked out here from the measured levels and the assumptions.
		const a = (await caller.settings.get()).roi;
		const handled = Math.round((mar.filter((c) => c.talk_sec !== null).length * 365) / 31);
		expect(r.inputs.annualHandledContacts).toBe(handled);
		expect(r.result.benefits.handleTime).toBeCloseTo(
			((r.before.ahtSeconds! - r.after.ahtSeconds!) / 60) * handled * a.costPerMinute,
			4
		);
		expect(r.result.benefits.complaints).toBeCloseTo(
			(r.before.complaintRate! - r.after.complaintRate!) * r.inputs.annualContacts * a.costPerComplaint,
			4
		);
		expect(r.result.roiPct).toBeCloseTo((r.result.annualBenefit - 41_000_000) / 41_000_000, 9);
		expect(r.result).toEqual(computeRoi(r.inputs));
		const fcr = r.scorecards.find((s) => s.kpi === 'fcr')!;
		expect(fcr.target).toBe(0.75);
		expect(fcr.progress).toBeCloseTo((fcr.current! - fcr.baseline!) / (0.75 - fcr.baseline!), 9);
		const complaints = r.scorecards.find((s) => s.kpi === 'complaints')!;
		expect(complaints.baseline).toBeCloseTo((jan.filter((c) => c.complaint).length / 31) * 7, 6);
		expect(complaints.target).toBeCloseTo(complaints.baseline! * 0.6, 6);
	});
});

describe('ROI arithmetic', () => {
	it('matches the hand-worked reference case (41M invested, 165M a year, CLTV +18% vs +6%)', () => {
		const r = computeRoi(REFERENCE_INPUTS);
		expect(r.annualBenefit).toBeCloseTo(REFERENCE_RESULT.annualBenefit, 2);
		expect(r.roiPct).toBeCloseTo(REFERENCE_RESULT.roiPct, 9);
		expect(r.paybackMonths).toBeCloseTo(REFERENCE_RESULT.paybackMonths, 9);
		expect(r.npv).toBeCloseTo(REFERENCE_RESULT.npv, 0);
		expect(r.clvChangePct).toBeCloseTo(REFERENCE_RESULT.clvChangePct, 9);
	});
});

describe('HTTP', () => {
	it('answers bad trends input with 400 and a readable message', async () => {
		const input = encodeURIComponent(JSON.stringify({ from: '2025-01-01', to: '2025-01-31', interval: 'hour' }));
		const res = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(`http://x/api/trpc/trends.series?input=${input}`),
			router: appRouter,
			createContext: () => ({ db: ctx.db })
		});
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^interval: Invalid option/);
	});
});

describe('forecasts on a short history (90 days of calls)', () => {
	const get = async (path: string, input: unknown) => {
		const res = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(`http://x/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`),
			router: appRouter,
			createContext: () => ({ db: ctx.db })
		});
		return { status: res.status, body: (await res.json()) as { result?: { data: unknown } } };
	};

	it('answers every daily and weekly forecast and anomaly call with 200, never 500', async () => {
		for (const interval of ['day', 'week'] as const)
			for (const to of [undefined, '2025-01-01', '2025-01-03', '2025-01-12', '2025-02-15'])
				for (const kpi of ['volume', 'csat', 'fcr', 'nps'] as const) {
					const f = await get('trends.forecast', { kpi, interval, horizon: 4, ...(to ? { to } : {}) });
					expect(f.status, `${kpi} ${interval} ${to}`).toBe(200);
					const a = await get('trends.anomalies', { kpis: [kpi], interval, ...(to ? { to } : {}) });
					expect(a.status, `anomalies ${kpi} ${interval} ${to}`).toBe(200);
				}
	});

	it('says "not enough history" instead of drawing an unchecked forecast', async () => {
		// 13 weeks: a 4-week forecast needs 12 weeks before a backtest origin — none is left.
		const weekly = await caller.trends.forecast({ kpi: 'csat', interval: 'week', horizon: 4 });
		expect(weekly.status).toBe('notEnoughHistory');
		expect(weekly.forecast).toEqual([]);
		expect(weekly.backtest.folds).toBe(0);
		expect(weekly.history.length).toBeGreaterThan(10);
		const single = await caller.trends.forecast({ kpi: 'volume', interval: 'day', horizon: 4, to: '2025-01-01' });
		expect(single.status).toBe('notEnoughHistory');
		expect(single.points).toBe(1);
		// 90 days is enough to check a 4-week daily forecast once.
		const daily = await caller.trends.forecast({ kpi: 'fcr', interval: 'day', horizon: 4 });
		expect(daily.status).toBe('ok');
		expect(daily.backtest.folds).toBeGreaterThanOrEqual(1);
		expect(daily.seasonality).toEqual({ yearly: false, weekly: true });
		for (const p of daily.forecast) {
			expect(p.lo95).toBeGreaterThanOrEqual(0);
			expect(p.hi95).toBeLessThanOrEqual(1);
		}
	});

	it('makes no target-date claim on the ROI page from an unchecked forecast', async () => {
		const s = await caller.roi.summary();
		for (const c of s.scorecards) {
			if (c.met || c.target === null) continue;
			expect(c.forecast, c.kpi).toBe('unvalidated');
			expect(c.reachBy, c.kpi).toBeNull();
		}
	});
});
