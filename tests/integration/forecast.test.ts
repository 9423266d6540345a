/**
 * Forecasts, anomalies and the hourly roll-up on the demo data set (1,000 customers, two years with
 * weekly seasonality and shopping-festival peaks), through createCaller.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../ingest/demo/load';
import { createCaller } from '../../src/lib/server/trpc/router';
import { LEVELS_SQL, CHURN_SQL, CUSTOMER_VALUE_SQL } from '../../src/lib/server/queries/roi/summary';
import { RANGE_SQL, seriesSql } from '../../src/lib/server/queries/trends/series';
import { TREND_KPIS } from '../../schemas/trends';
import { expectParses, freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof createCaller>;
beforeAll(async () => {
	ctx = await freshDb();
	await loadDemoIfEmpty(ctx.db, { customers: 1000, seed: 42, sourceDir: join(ctx.dir, 'demo-source') });
	caller = createCaller({ db: ctx.db });
});
afterAll(() => ctx.close());

describe('trends.forecast on the demo KPIs', () => {
	it('beats seasonal-naive (MASE < 1) for every KPI with data, by rolling-origin backtest', async () => {
		const scores: Record<string, number | null> = {};
		for (const kpi of TREND_KPIS) {
			const f = await caller.trends.forecast({ kpi, horizon: 12 });
			scores[kpi] = f.backtest.mase;
			if (kpi === 'nps') {
				// The demo has no NPS source: no forecast rather than a made-up one.
				expect(f.forecast).toEqual([]);
				continue;
			}
			expect(f.backtest.folds, kpi).toBe(4);
			expect(f.backtest.mase, kpi).toBeLessThan(1);
			expect(f.backtest.coverage95, kpi).toBeGreaterThan(0.5);
		}
		console.log('MASE per KPI:', scores);
	});

	it('returns the chosen horizon of weeks with nested 80% / 95% bands after the history', async () => {
		const f = await caller.trends.forecast({ kpi: 'volume', horizon: 8 });
		expect(f.forecast).toHaveLength(8);
		const last = f.history.at(-1)!.bucket;
		expect(f.forecast[0]!.bucket > last).toBe(true);
		expect(new Date(`${f.forecast[0]!.bucket}T00:00:00Z`).getUTCDay()).toBe(1); // Mondays
		for (const p of f.forecast) {
			expect(p.lo95).toBeLessThanOrEqual(p.lo80 + 1e-9);
			expect(p.lo80).toBeLessThanOrEqual(p.mean + 1e-9);
			expect(p.mean).toBeLessThanOrEqual(p.hi80 + 1e-9);
			expect(p.hi80).toBeLessThanOrEqual(p.hi95 + 1e-9);
			expect(p.lo95).toBeGreaterThanOrEqual(0);
		}
	});

	it('expects the 11.11 peak next year (festivals as holidays)', async () => {
		const f = await caller.trends.forecast({ kpi: 'volume', horizon: 26 });
		const peak = f.forecast.find((p) => p.bucket === '2026-11-09');
		const before = f.forecast.filter((p) => p.bucket >= '2026-10-12' && p.bucket <= '2026-10-26');
		expect(peak).toBeDefined();
		expect(peak!.mean).toBeGreaterThan(1.3 * Math.max(...before.map((p) => p.mean)));
	});

	it('keeps rates inside [0, 1]', async () => {
		const f = await caller.trends.forecast({ kpi: 'fcr', horizon: 26 });
		expect(f.forecast.every((p) => p.lo95 >= 0 && p.hi95 <= 1)).toBe(true);
	});
});

describe('trends.anomalies', () => {
	it('lists history points outside their expected 95% band, with size and direction', async () => {
		const list = await caller.trends.anomalies({ kpis: ['volume', 'complaints'] });
		expect(list.length).toBeGreaterThan(0);
		for (const a of list) {
			expect(a.value < a.lo95 || a.value > a.hi95).toBe(true);
			expect(a.direction).toBe(a.value > a.hi95 ? 'above' : 'below');
			expect(Math.sign(a.size)).toBe(a.direction === 'above' ? 1 : -1);
		}
		// Sorted by size, largest first.
		const sizes = list.map((a) => Math.abs(a.size));
		expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
	});
});

describe('kpi_hourly roll-up', () => {
	it('holds, for every breakdown and hour, the sums of the raw rows (the view pre-aggregates, then fans out)', async () => {
		const measures = `sum(interactions) AS n, sum(csat_n) AS csat_n, round(sum(csat_sum), 3) AS csat_sum,
			sum(satisfied) AS satisfied, sum(wait_n) AS wait_n, sum(abandoned) AS abandoned, sum(complaints) AS complaints,
			sum(sentiment_n) AS sentiment_n, sum(promoters) AS promoters, sum(nps_n) AS nps_n`;
		const stored = await rows<Record<string, string>>(
			ctx.db,
			`SELECT dim, value, hour, ${measures} FROM kpi_hourly GROUP BY dim, value, hour ORDER BY dim, value, hour`
		);
		const raw = await rows<Record<string, string>>(
			ctx.db,
			`SELECT dim, value, hour, ${measures} FROM (
				SELECT d.1 AS dim, d.2 AS value, toStartOfHour(toDateTime(ts, 'UTC')) AS hour, 1 AS interactions,
					csat_10 IS NOT NULL AS csat_n, toFloat64(ifNull(csat_10, 0)) AS csat_sum,
					ifNull(csat_10 >= 7.5, 0) AS satisfied, wait_s IS NOT NULL AS wait_n,
					outcome = 'abandoned' AND wait_s IS NOT NULL AS abandoned, is_complaint AS complaints,
					sentiment IS NOT NULL AS sentiment_n, ifNull(nps >= 9, 0) AS promoters, nps IS NOT NULL AS nps_n
				FROM interactions
				ARRAY JOIN [('all', ''), ('channel', channel), ('team', team), ('segment', segment), ('stage', stage)] AS d)
			GROUP BY dim, value, hour ORDER BY dim, value, hour`
		);
		expect(stored.length).toBeGreaterThan(1000);
		expect(new Set(stored.map((r) => r.dim))).toEqual(new Set(['all', 'channel', 'team', 'segment', 'stage']));
		// Compared row by row, so a failure names a few rows instead of diffing thousands.
		const key = (r: Record<string, string>) => `${r.dim}|${r.value}|${r.hour}`;
		const expected = new Map(raw.map((r) => [key(r), JSON.stringify(r)]));
		expect(stored.filter((r) => expected.get(key(r)) !== JSON.stringify(r)).slice(0, 5)).toEqual([]);
		expect(stored.length).toBe(raw.length);
	});

	it.each([
		['series (day)', seriesSql('day')],
		['series (week)', seriesSql('week')],
		['series (month)', seriesSql('month')],
		['range', RANGE_SQL],
		['roi levels', LEVELS_SQL],
		['roi churn', CHURN_SQL],
		['roi customer value', CUSTOMER_VALUE_SQL]
	])('%s SQL parses in ClickHouse', async (_name, sql) => {
		await expectParses(ctx.db, sql, {
			dim: 'all',
			value: '',
			from: '2025-01-01',
			to: '2025-01-31',
			to_excl: '2025-02-01 00:00:00',
			tz: 'UTC'
		});
	});
});
