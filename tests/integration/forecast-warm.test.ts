/**
 * The background forecast warm on the demo data set: it fits every question the trends page asks
 * (every KPI × offered horizon, weekly, display time zone, latest data) so they are answered with no
 * fit, keeps them however many other questions follow, and begins again when a forecast request
 * finds new data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemoIfEmpty } from '../../ingest/demo/load';
import { createCaller } from '../../src/lib/server/trpc/router';
import { FORECAST_HORIZONS, TREND_KPIS } from '../../schemas/trends';
import { forecastCacheSize, getForecast } from '../../src/lib/server/queries/trends/forecast';
import { closeFitWorker, fitJobCount, fitThread } from '../../src/lib/server/queries/trends/fit-worker';
import { getTrendRange } from '../../src/lib/server/queries/trends/series';
import { forecastWarmState, warmForecasts } from '../../src/lib/server/queries/trends/warm';
import { freshDb } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof createCaller>;
beforeAll(async () => {
	// Off for the other test files (vite.config.ts); this one is about it.
	process.env.TOUCHMAP_FORECAST_WARM = '1';
	ctx = await freshDb();
	await loadDemoIfEmpty(ctx.db, { customers: 300, seed: 42, sourceDir: join(ctx.dir, 'demo-source') });
	caller = createCaller({ db: ctx.db });
});
afterAll(async () => {
	vi.useRealTimers();
	await closeFitWorker();
	await ctx.close();
});

/** Asks every question of the trends page (its forecast and anomalies) and returns the fits that took. */
async function askThePage(): Promise<number> {
	const jobs = fitJobCount();
	const { max } = await caller.trends.range();
	for (const kpi of TREND_KPIS)
		for (const horizon of FORECAST_HORIZONS) {
			const f = await caller.trends.forecast({ kpi, horizon, interval: 'week' });
			expect(f.forecast).toHaveLength(f.status === 'ok' ? horizon : 0);
			await caller.trends.anomalies({ kpis: [kpi], interval: 'week', to: max! });
		}
	return fitJobCount() - jobs;
}

describe('forecast warm', () => {
	it('fits the page’s weekly forecasts ahead, on the worker, and keeps them', async () => {
		expect(forecastWarmState()).toBe('waiting');
		const jobs = fitJobCount();
		await warmForecasts(ctx.db.client);
		expect(forecastWarmState()).toBe('ready');
		expect(fitThread()).toBe('worker');
		// A fit and a backtest per KPI and horizon with data (the demo has no NPS).
		expect(fitJobCount() - jobs).toBeGreaterThanOrEqual(
			TREND_KPIS.length - 1 + (TREND_KPIS.length - 1) * FORECAST_HORIZONS.length
		);
		expect(await askThePage()).toBe(0);

		// Many other questions (other time zones and end days) do not push the warm's answers out.
		const { pinned } = forecastCacheSize();
		expect(pinned).toBeGreaterThan(TREND_KPIS.length);
		for (const tz of ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin']) {
			const { min } = await getTrendRange(ctx.db.client, tz);
			for (let d = 0; d < 56; d++) {
				const to = new Date(Date.parse(`${min}T00:00:00Z`) + d * 864e5).toISOString().slice(0, 10);
				await getForecast(ctx.db.client, { kpi: 'volume', horizon: 4, interval: 'week', to, tz }, tz, {
					backtest: false
				});
			}
		}
		const size = forecastCacheSize();
		expect(size.pinned).toBe(pinned);
		expect(size.entries).toBeLessThanOrEqual(300 + pinned);
		expect(size.entries).toBeGreaterThan(300);
		expect(await askThePage()).toBe(0);
	}, 600_000);

	it('begins again when a forecast request finds new data', async () => {
		const { max } = await caller.trends.range();
		await ctx.db.client.insert({
			table: 'interactions',
			format: 'JSONEachRow',
			values: [
				{ interaction_id: 'new-1', source: 'tickets', source_id: 'new-1', ts: `${max} 06:00:00.000`, channel: 'email' }
			]
		});
		// The data's range is read at most once a second: a little later, as a reader would come.
		vi.setSystemTime(Date.now() + 60_000);
		const jobs = fitJobCount();
		await caller.trends.forecast({ kpi: 'volume', horizon: 12 });
		await vi.waitFor(() => expect(forecastWarmState()).toBe('warming'));
		await warmForecasts(ctx.db.client);
		expect(forecastWarmState()).toBe('ready');
		expect(fitJobCount() - jobs).toBeGreaterThanOrEqual((TREND_KPIS.length - 1) * (1 + FORECAST_HORIZONS.length));
		expect(fitThread()).toBe('worker');
		expect(await askThePage()).toBe(0);
	}, 600_000);
});
