/**
 * Why this exists: a weekly forecast with its backtest is tens to hundreds of milliseconds of fits,
 * too slow to make while a reader waits. The trends page's weekly forecasts — every trend KPI ×
 * every offered horizon, in the display time zone, up to the latest data — are fitted in the
 * background once per data version instead: after start-up (once the customer views are warm: one
 * background warm at a time), and again when a forecast request finds the data or the time zone
 * changed. The fits queue behind requests' own on the fit worker, and the warm's answers are pinned
 * in the forecast memo until the next warm. Daily forecasts stay on demand.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { baseClient } from '$db/client';
import { env } from '$db/env';
import { FORECAST_HORIZONS, TREND_KPIS } from '$schemas/trends';
import { readDisplay } from '../settings/read';
import { getForecast, trendRange, unpinForecasts } from './forecast';

/** off: disabled; waiting: none begun yet; warming: one running; ready: the latest data's are fitted. */
export type ForecastWarmState = 'off' | 'waiting' | 'warming' | 'ready';

interface Warm {
	/** Display time zone and data fingerprint. */
	key: string;
	ready: boolean;
	done: Promise<void>;
}

let gate: Promise<void> = Promise.resolve();
let current: Warm | undefined;

export function forecastWarmState(): ForecastWarmState {
	if (!env().TOUCHMAP_FORECAST_WARM) return 'off';
	return !current ? 'waiting' : current.ready ? 'ready' : 'warming';
}

/**
 * Fits the page's weekly forecasts for the data as it is now, unless that is done or under way;
 * resolves when they are ready (or the warm failed: it is logged and the next call tries again).
 * `after`: warms begin only once it has settled (the start-up warm of the customer views).
 */
export async function warmForecasts(request: ClickHouseClient, opts: { after?: Promise<unknown> } = {}): Promise<void> {
	if (!env().TOUCHMAP_FORECAST_WARM) return;
	// The database's own client: a warm outlives the request that found the data changed, so it must
	// not run under that request's time budget.
	const client = baseClient(request);
	if (opts.after)
		gate = opts.after.then(
			() => undefined,
			() => undefined
		);
	try {
		await gate;
		const tz = (await readDisplay(client)).timeZone;
		const range = await trendRange(client, tz);
		const key = `${tz}|${range.fingerprint}`;
		// TRICKY: checked and set with no await in between, so concurrent callers start one warm.
		if (current?.key === key) return await current.done;
		const w: Warm = { key, ready: false, done: Promise.resolve() };
		current = w;
		w.done = fill(client, tz, range.max, w);
		await w.done;
	} catch (err) {
		console.error(`touchmap: forecasts: ${(err as Error).message}`);
	}
}

async function fill(client: ClickHouseClient, tz: string, max: string | null, w: Warm): Promise<void> {
	const t0 = Date.now();
	unpinForecasts();
	let failed = 0;
	let inARow = 0;
	for (const kpi of TREND_KPIS)
		for (const horizon of FORECAST_HORIZONS) {
			// Newer data (or another time zone) arrived: its own warm has begun.
			if (current !== w) return;
			try {
				await getForecast(client, { kpi, horizon, interval: 'week' }, tz, { warm: true });
				inARow = 0;
			} catch (err) {
				// One question that fails (a fit stopped as runaway) is left to its request; the
				// database failing again and again ends the warm, and the next request tries again.
				failed++;
				console.error(`touchmap: forecast of ${kpi} for ${horizon} weeks: ${(err as Error).message}`);
				if (++inARow >= 3) {
					if (current === w) current = undefined;
					throw err;
				}
			}
		}
	w.ready = true;
	const n = TREND_KPIS.length * FORECAST_HORIZONS.length - failed;
	console.log(
		`touchmap: forecasts ready for the data up to ${max ?? '—'} (${n} weekly forecasts, ${((Date.now() - t0) / 1000).toFixed(1)} s)`
	);
}
