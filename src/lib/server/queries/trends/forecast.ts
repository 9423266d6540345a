/**
 * Why this exists: `trends.forecast` and `trends.anomalies`. Reads a KPI's whole history from the
 * hourly roll-up (through getTrendSeries), fits the forecaster (model.ts) and returns history with
 * its expected band, the forecast with 80% / 95% bands, and the rolling-origin backtest scores.
 * Fits run on the fit worker (fit-worker.ts), never in the thread that serves requests. They are
 * cached per input and data fingerprint: the same question on the same data is answered from
 * memory, and new data (a different fingerprint) is fitted afresh. The trends page's weekly
 * forecasts are fitted ahead, once per fingerprint (warm.ts).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { perSecond } from '../../kept';
import {
	AnomaliesInputSchema,
	ForecastInputSchema,
	KPI_META,
	TREND_KPIS,
	type Anomaly,
	type AnomaliesInput,
	type Forecast,
	type ForecastInput,
	type TrendKpi,
	type TrendRow
} from '$schemas/trends';
import { KPIS } from '$schemas/metrics';
import { backtestOffThread, fitPredictOffThread } from './fit-worker';
import { futureBuckets, minTrainOf, widen, type Band, type SeriesPoint } from './model';
import { getTrendRange, getTrendSeries } from './series';

/** The longest horizon offered, in weeks: fits forecast this far and are sliced per request. */
const MAX_WEEKS = 26;

/** Plausible range of each KPI, so bands never show a 110% FCR or negative minutes. */
export const CLIP = Object.fromEntries(TREND_KPIS.map((k) => [k, [...KPIS[k].range]])) as Record<
	TrendKpi,
	[number, number]
>;

/** A bucket with no contacts has no KPI value at all (not a zero CSAT, not zero complaints). */
export function kpiValue(row: TrendRow, kpi: TrendKpi): number | null {
	return row.volume === 0 ? null : row[kpi];
}

interface History {
	points: Record<TrendKpi, SeriesPoint[]>;
	fingerprint: string;
}

const ranges = perSecond((client, tz) => getTrendRange(client, tz));

/**
 * The data's range and fingerprint in a time zone, read at most once a second per database
 * (perSecond): the ROI page's five forecasts and a forecast's check for new data share one read.
 */
export function trendRange(request: ClickHouseClient, tz: string) {
	return ranges.get(request, tz);
}

/**
 * Whole buckets of the overall series up to `to` (a partial first or last week would look like a
 * dip), every KPI. Cached by the data's fingerprint (one cheap range query), so the ROI scorecards'
 * five forecasts and repeated forecast requests do not re-read two years of roll-up rows.
 */
async function history(
	client: ClickHouseClient,
	interval: 'day' | 'week',
	tz: string,
	to: string | undefined,
	warm: boolean
): Promise<History | null> {
	const range = await trendRange(client, tz);
	if (!range.min || !range.max) return null;
	const min = range.min;
	const last = to && to < range.max ? to : range.max;
	if (last < min) return null;
	return memo(
		`history|${interval}|${tz}|${last}|${range.fingerprint}`,
		async () => {
			const s = await getTrendSeries(client, { from: min, to: last, interval, tz }, tz);
			const addDays = (d: string, n: number) =>
				new Date(Date.parse(`${d}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);
			const rows = s.rows.filter((r) => interval === 'day' || (r.bucket >= min && addDays(r.bucket, 6) <= last));
			const points = Object.fromEntries(
				TREND_KPIS.map((k) => [k, rows.map((r) => ({ bucket: r.bucket, value: kpiValue(r, k) }))])
			) as Record<TrendKpi, SeriesPoint[]>;
			return { points, fingerprint: `${last}:${range.fingerprint}` };
		},
		warm
	);
}

interface Fit {
	history: SeriesPoint[];
	band: Band;
	future: string[];
}

/** Entries kept besides those of the latest warm, oldest dropped first. */
const MAX_CACHE = 300;
const cache = new Map<string, Promise<unknown>>();
/** Entries of the latest warm: never dropped for room, so other questions cannot push them out. */
const pinned = new Set<string>();
function memo<T>(key: string, make: () => Promise<T>, pin = false): Promise<T> {
	if (pin) pinned.add(key);
	const hit = cache.get(key);
	if (hit) return hit as Promise<T>;
	const p = make().catch((err) => {
		cache.delete(key);
		pinned.delete(key);
		throw err;
	});
	cache.set(key, p);
	if (cache.size - pinned.size > MAX_CACHE)
		for (const k of cache.keys())
			if (!pinned.has(k)) {
				cache.delete(k);
				break;
			}
	return p;
}
export function clearForecastCache() {
	cache.clear();
	pinned.clear();
}
/** A new warm begins: the last one's entries become ordinary (and, being the oldest, go first). */
export function unpinForecasts() {
	pinned.clear();
}
/** Entries kept now, and how many of them a warm pinned. */
export function forecastCacheSize(): { entries: number; pinned: number } {
	return { entries: cache.size, pinned: pinned.size };
}

function fit(h: History, kpi: TrendKpi, bucketDays: 1 | 7, key: string, warm: boolean): Promise<Fit | null> {
	return memo(
		`fit|${kpi}|${key}`,
		async () => {
			const series = h.points[kpi];
			const known = series.filter((p) => p.value !== null).length;
			if (known < 1) return null;
			const last = series.at(-1)!.bucket;
			const future = futureBuckets(last, (MAX_WEEKS * 7) / bucketDays, bucketDays);
			const band = await fitPredictOffThread(
				series,
				[...series.map((p) => p.bucket), ...future],
				{ bucketDays, clip: CLIP[kpi] },
				warm
			);
			return { history: series, band, future };
		},
		warm
	);
}

export async function getForecast(
	client: ClickHouseClient,
	raw: ForecastInput,
	defaultTz = 'UTC',
	/** warm: asked by the background warm — its fits wait behind requests', its entries are pinned. */
	opts: { backtest?: boolean; folds?: number; step?: number; warm?: boolean } = {}
): Promise<Forecast> {
	const warm = opts.warm ?? false;
	const input = ForecastInputSchema.parse(raw);
	const tz = input.tz ?? defaultTz;
	const bucketDays = input.interval === 'day' ? 1 : 7;
	const h = await history(client, input.interval, tz, input.to, warm);
	const empty: Forecast = {
		kpi: input.kpi,
		interval: input.interval,
		model: 'none',
		status: 'noData',
		fallback: null,
		seasonality: { yearly: false, weekly: false },
		points: 0,
		history: [],
		forecast: [],
		backtest: { folds: 0, mase: null, coverage80: null, coverage95: null, model: 'none' }
	};
	if (!h) return empty;
	// The fingerprint names the last day used, so a `to` at or past the data's end shares the fits
	// of no `to` (the trends page's anomalies and forecast).
	const key = `${input.interval}|${tz}|${h.fingerprint}`;
	const f = await fit(h, input.kpi, bucketDays, key, warm);
	if (!f)
		return { ...empty, history: h.points[input.kpi].map((p) => ({ ...p, expected: null, lo95: null, hi95: null })) };
	const steps = (input.horizon * 7) / bucketDays;
	const bt =
		opts.backtest === false
			? empty.backtest
			: await memo(
					`bt|${input.kpi}|${steps}|${opts.folds}|${opts.step}|${key}`,
					() =>
						backtestOffThread(
							f.history,
							steps,
							{ bucketDays, clip: CLIP[input.kpi], folds: opts.folds, step: opts.step },
							warm
						),
					warm
				);
	// The bands' widths as the backtest's errors calibrated them, where it had enough of them.
	const band = 'widths' in bt && bt.widths ? widen(f.band, CLIP[input.kpi], bt.widths) : f.band;
	const n = f.history.length;
	const points = f.history.filter((p) => p.value !== null).length;
	// A forecast nobody could check is not drawn: without a backtest fold it would be a guess in a
	// confident band. Anomaly flags (backtest off) still read the in-sample band.
	const validated = bt.folds > 0 || (opts.backtest === false && points >= minTrainOf(steps));
	return {
		kpi: input.kpi,
		interval: input.interval,
		model: f.band.model,
		status: validated ? 'ok' : 'notEnoughHistory',
		fallback: f.band.fallback,
		seasonality: f.band.seasonality,
		points,
		history: f.history.map((p, i) => ({
			bucket: p.bucket,
			value: p.value,
			expected: band.mean[i]!,
			lo95: band.lo95[i]!,
			hi95: band.hi95[i]!
		})),
		forecast: validated
			? f.future.slice(0, steps).map((bucket, i) => ({
					bucket,
					mean: band.mean[n + i]!,
					lo80: band.lo80[n + i]!,
					hi80: band.hi80[n + i]!,
					lo95: band.lo95[n + i]!,
					hi95: band.hi95[n + i]!
				}))
			: [],
		backtest: {
			folds: bt.folds,
			mase: bt.mase,
			relMae: 'relMae' in bt ? bt.relMae : null,
			coverage80: bt.coverage80,
			coverage95: bt.coverage95,
			model: f.band.model
		}
	};
}

/** History points outside their expected 95% band; size in band half-widths beyond the edge. */
export function findAnomalies(kpi: TrendKpi, f: Pick<Forecast, 'history'>): Anomaly[] {
	const out: Anomaly[] = [];
	for (const p of f.history) {
		if (p.value === null || p.expected === null || p.lo95 === null || p.hi95 === null) continue;
		if (p.value >= p.lo95 && p.value <= p.hi95) continue;
		const above = p.value > p.hi95;
		const half = Math.max(1e-9, (p.hi95 - p.lo95) / 2);
		out.push({
			bucket: p.bucket,
			kpi,
			value: p.value,
			expected: p.expected,
			lo95: p.lo95,
			hi95: p.hi95,
			size: (above ? p.value - p.hi95 : p.value - p.lo95) / half,
			direction: above ? 'above' : 'below'
		});
	}
	return out;
}

export async function getAnomalies(
	client: ClickHouseClient,
	raw: AnomaliesInput,
	defaultTz = 'UTC'
): Promise<Anomaly[]> {
	const input = AnomaliesInputSchema.parse(raw);
	const kpis = input.kpis ?? [...TREND_KPIS];
	const out: Anomaly[] = [];
	// One KPI at a time: the fits share one worker, so asking for all at once only queues them.
	for (const kpi of kpis) {
		const f = await getForecast(
			client,
			{ kpi, interval: input.interval, horizon: 4, to: input.to, tz: input.tz },
			defaultTz,
			{ backtest: false }
		);
		// A band from a dozen points or fewer flags noise, not anomalies.
		if (f.points >= minTrainOf(0) && f.fallback !== 'short') out.push(...findAnomalies(kpi, f));
	}
	return out.sort((a, b) => Math.abs(b.size) - Math.abs(a.size) || a.bucket.localeCompare(b.bucket));
}

export { KPI_META };
