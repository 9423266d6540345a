/**
 * Why this exists: the forecasting engine behind `trends.forecast`, `trends.anomalies`, the ROI
 * "target reached when" estimates and `npm run eval:forecast`. The point forecast is a maintained
 * library's: Prophet from @bsull/augurs (Rust compiled to WASM, with Prophet's Stan model as WASM from
 * @bsull/augurs-prophet-wasmstan) — piecewise-linear trend, Fourier seasonality and the shopping
 * festivals as holidays. Around it this module keeps forecasts honest:
 *
 * - bounded KPIs are fitted on a logit scale of their range (CSAT 0–10, rates 0–1, sentiment −1–1),
 *   open-ended ones on a log scale, so neither a forecast nor its band can leave the range;
 * - a seasonal term only with two full periods of history (yearly: two years; weekly: two weeks);
 * - the trend is damped beyond the last point, so a year's drift is not extrapolated for ever;
 * - the bands are empirical: quantiles of the model's own out-of-sample errors on the history
 *   (one extra fit with the last stretch held back) by steps ahead, never Prophet's in-sample band,
 *   which covered too little;
 * - any failure of the library (a WASM trap on a short or constant series) falls back to simple
 *   exponential smoothing, with a note saying so.
 *
 * TRICKY: the WASM is loaded from the package folder with readFileSync + initSync, never fetched:
 * it must work offline, in vitest, in tsx scripts and in the adapter-node server build (where the
 * package stays external in node_modules).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { festivalHolidays } from './festivals';

type ProphetModule = typeof import('@bsull/augurs/prophet');
type Optimizer = (typeof import('@bsull/augurs-prophet-wasmstan'))['optimizer'];

let loaded: Promise<{ Prophet: ProphetModule['Prophet']; optimizer: Optimizer }> | undefined;

/** Loads the WASM once per process, on first use. */
export function loadProphet() {
	loaded ??= (async () => {
		const require = createRequire(import.meta.url);
		const dir = dirname(require.resolve('@bsull/augurs/prophet'));
		const mod: ProphetModule = await import('@bsull/augurs/prophet');
		mod.initSync({ module: readFileSync(join(dir, 'prophet_bg.wasm')) });
		const { optimizer } = await import('@bsull/augurs-prophet-wasmstan');
		return { Prophet: mod.Prophet, optimizer };
	})();
	return loaded;
}

export const PROPHET_MODEL = 'Prophet (augurs): damped trend + festivals';
export const SIMPLE_MODEL = 'Simple exponential smoothing';

export interface SeriesPoint {
	/** Bucket start, YYYY-MM-DD. */
	bucket: string;
	value: number | null;
}

/** Why a fit is not Prophet's: the history was too short or constant, or the library failed. */
export type FallbackReason = 'short' | 'constant' | 'library';

export interface Band {
	mean: number[];
	lo80: number[];
	hi80: number[];
	lo95: number[];
	hi95: number[];
	/** The model that produced it (Prophet or the simple fallback). */
	model: string;
	fallback: FallbackReason | null;
	/** The library's error message when it failed. */
	error: string | null;
	seasonality: { yearly: boolean; weekly: boolean };
	/** The point forecast on the fitted scale and the error scale at each point (see `widen`). */
	zMean: number[];
	zScale: number[];
}

export interface FitOptions {
	/** Bucket length in days: 1 (daily) or 7 (weekly). */
	bucketDays: 1 | 7;
	/** Values outside cannot occur (e.g. [0, 1] for a rate). */
	clip?: [number, number];
}

const DAY_S = 86_400;
const toSeconds = (bucket: string) => Date.parse(`${bucket}T00:00:00Z`) / 1000;
const fromSeconds = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

function yearsOf(seconds: number[]): number[] {
	const ys = seconds.map((s) => new Date(s * 1000).getUTCFullYear());
	const lo = Math.min(...ys);
	const hi = Math.max(...ys);
	return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

interface Scale {
	to: (v: number) => number;
	from: (z: number) => number;
}

/**
 * The scale a KPI is fitted on. A range bounded on both sides gets a logit of the position in the
 * range (squeezed a little inside, so a week at 100% stays finite); a range bounded below only gets
 * a log, so a band is multiplicative and never negative; no range, no change.
 */
export function scaleFor(clip?: [number, number]): Scale {
	if (!clip) return { to: (v) => v, from: (z) => z };
	const [lo, hi] = clip;
	if (Number.isFinite(hi) && hi < Number.MAX_VALUE) {
		const w = hi - lo;
		const eps = 0.002;
		return {
			to: (v) => {
				const u = Math.min(1 - eps, Math.max(eps, (v - lo) / w));
				return Math.log(u / (1 - u));
			},
			// The squeezed edges read back as the bound itself, so a band can reach a week at exactly 0%.
			from: (z) => {
				const u = 1 / (1 + Math.exp(-z));
				return u <= eps * 1.0001 ? lo : u >= 1 - eps * 1.0001 ? hi : lo + w * u;
			}
		};
	}
	return { to: (v) => Math.log1p(Math.max(0, v - lo)), from: (z) => lo + Math.expm1(Math.max(0, z)) };
}

/** Two full periods before a seasonal term is fitted: a shape seen once is noise. */
export function seasonalityFor(spanDays: number, bucketDays: 1 | 7) {
	return { yearly: spanDays >= 2 * 364, weekly: bucketDays === 1 && spanDays >= 14 };
}

/** Per-bucket damping of the trend beyond the last point: after a quarter the drift has mostly stopped. */
const dampingOf = (bucketDays: number) => Math.pow(0.85, bucketDays / 7);

interface PointFit {
	/** Point forecast on the fitted scale, over history then `at`. */
	history: number[];
	at: number[];
	model: string;
	fallback: FallbackReason | null;
	error: string | null;
}

/**
 * Simple exponential smoothing on the fitted scale: the level, with α picked by one-step error. It
 * cannot fail on any series with a point, which is why it is the fallback.
 */
export function smoothing(z: number[], steps: number): { history: number[]; at: number[] } {
	if (!z.length) return { history: [], at: Array(steps).fill(NaN) };
	let best = { alpha: 0.3, sse: Infinity };
	for (const alpha of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1]) {
		let level = z[0]!;
		let sse = 0;
		for (let t = 1; t < z.length; t++) {
			sse += (z[t]! - level) ** 2;
			level += alpha * (z[t]! - level);
		}
		if (sse < best.sse) best = { alpha, sse };
	}
	const history: number[] = [];
	let level = z[0]!;
	for (const v of z) {
		history.push(level);
		level += best.alpha * (v - level);
	}
	return { history, at: Array(steps).fill(level) };
}

const SEED = 42;

let failures = 0;
/** Fits in this thread whose default optimiser failed (refitted with Newton); see fit-worker.ts. */
export const optimiserFailures = () => failures;

async function prophetPoint(
	ds: number[],
	z: number[],
	target: number[],
	bucketDays: 1 | 7,
	seasonality: { yearly: boolean; weekly: boolean }
): Promise<{ history: number[]; at: number[] }> {
	const { Prophet, optimizer } = await loadProphet();
	const holidays = festivalHolidays(yearsOf([...ds, ...target]), bucketDays);
	const make = () =>
		new Prophet({
			optimizer,
			// Point forecasts only: the bands come from out-of-sample errors (see the module comment).
			uncertaintySamples: 0,
			holidays,
			// A low-order, damped yearly shape: a higher order fits noise with two years or a little more.
			yearlySeasonality: seasonality.yearly ? { type: 'fourier', order: 3 } : { type: 'manual', enabled: false },
			seasonalityPriorScale: 1,
			weeklySeasonality: { type: 'manual', enabled: seasonality.weekly },
			dailySeasonality: { type: 'manual', enabled: false },
			changepointPriorScale: 0.05
		});
	let model = make();
	try {
		try {
			// A fixed seed: the optimiser's start is random, and the same data must give the same forecast.
			model.fit({ ds, y: z }, { seed: SEED });
		} catch {
			failures++;
			// TRICKY: the default L-BFGS line search occasionally fails on flat, noisy series ("Line
			// search failed to achieve a sufficient decrease"); Newton then converges. A model that
			// failed to fit cannot be fitted again ("seasonality with the same name"): start afresh.
			model.free();
			model = make();
			model.fit({ ds, y: z }, { algorithm: 'newton', seed: SEED });
		}
		const p = model.predict({ ds: [...ds, ...target] });
		const yhat = p.yhat.point;
		const trend = p.trend.point;
		if (yhat.length !== ds.length + target.length || !yhat.every(Number.isFinite))
			throw new Error('Prophet returned no finite forecast');
		// Damped trend: beyond the last point the slope of the last stretch fades geometrically.
		const n = ds.length;
		const lastT = trend[n - 1]!;
		const slope = n > 1 ? (trend[n - 1]! - trend[n - 2]!) / ((ds[n - 1]! - ds[n - 2]!) / (bucketDays * DAY_S)) : 0;
		const phi = dampingOf(bucketDays);
		const at = target.map((t, i) => {
			const k = n + i;
			if (t <= ds[n - 1]!) return yhat[k]!;
			const steps = (t - ds[n - 1]!) / (bucketDays * DAY_S);
			const damped = (slope * phi * (1 - Math.pow(phi, steps))) / (1 - phi);
			return yhat[k]! - (trend[k]! - lastT) + damped;
		});
		return { history: yhat.slice(0, n), at };
	} finally {
		model.free();
	}
}

/** Origins of the out-of-sample check behind the bands. */
const CALIBRATION_ORIGINS = 3;

/** Points Prophet needs before it is worth fitting; below, the simple model. */
const MIN_PROPHET = 8;

async function pointFit(
	ds: number[],
	z: number[],
	target: number[],
	opts: FitOptions,
	seasonality: { yearly: boolean; weekly: boolean }
): Promise<PointFit> {
	const simple = (fallback: FallbackReason, error: string | null = null): PointFit => {
		const s = smoothing(z, target.length);
		return { ...s, model: SIMPLE_MODEL, fallback, error };
	};
	if (z.length < MIN_PROPHET) return simple('short');
	if (z.every((v) => v === z[0])) return simple('constant');
	try {
		return {
			...(await prophetPoint(ds, z, target, opts.bucketDays, seasonality)),
			model: PROPHET_MODEL,
			fallback: null,
			error: null
		};
	} catch (err) {
		return simple('library', err instanceof Error ? err.message : String(err));
	}
}

/** The q-quantile of xs (linear interpolation); xs non-empty. */
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Fits on the known points of `history` and returns the point forecast with 80% and 95% bands over
 * `at` (bucket starts, history or future).
 *
 * The bands: the model is fitted once more without the last `hold` known points and its errors on
 * them, by steps ahead, give how fast the error grows; their spread, pooled over the in-sample
 * residuals for the first steps, sets the width. In-sample points get the one-step band.
 */
export async function fitPredict(history: SeriesPoint[], at: string[], opts: FitOptions): Promise<Band> {
	const scale = scaleFor(opts.clip);
	const known = history.filter((p): p is { bucket: string; value: number } => p.value !== null);
	const ds = known.map((p) => toSeconds(p.bucket));
	const z = known.map((p) => scale.to(p.value));
	const target = at.map(toSeconds);
	const span = ds.length ? (ds.at(-1)! - ds[0]!) / DAY_S : 0;
	const seasonality = seasonalityFor(span, opts.bucketDays);
	const main = await pointFit(ds, z, target, opts, seasonality);

	const stepOf = (t: number) => (ds.length ? Math.max(0, Math.round((t - ds.at(-1)!) / (opts.bucketDays * DAY_S))) : 0);
	const resid = z.map((v, i) => v - main.history[i]!).filter(Number.isFinite);
	// Out-of-sample errors by step: refits without the last `hold` points (as many steps as asked for,
	// within a third of the history), and again from origins half a hold earlier (same model
	// family), so the width is not one stretch's luck.
	const maxStep = Math.max(0, ...target.map(stepOf));
	const hold = Math.min(
		Math.max(4, maxStep > 0 ? maxStep : Math.round(z.length / 3)),
		Math.round(z.length / 3),
		Math.max(0, z.length - MIN_PROPHET),
		60
	);
	const oos: { step: number; err: number }[] = [];
	if (hold >= 4 && main.fallback !== 'constant') {
		for (let c = 0; c < CALIBRATION_ORIGINS; c++) {
			const cut = z.length - hold - c * Math.round(hold / 2);
			if (cut < MIN_PROPHET) break;
			const end = Math.min(z.length, cut + hold);
			const calSeason = seasonalityFor((ds[cut - 1]! - ds[0]!) / DAY_S, opts.bucketDays);
			const cal =
				main.fallback === null
					? await pointFit(ds.slice(0, cut), z.slice(0, cut), ds.slice(cut, end), opts, calSeason)
					: smoothing(z.slice(0, cut), end - cut);
			for (let i = 0; i < end - cut; i++) {
				const step = Math.round((ds[cut + i]! - ds[cut - 1]!) / (opts.bucketDays * DAY_S));
				const err = z[cut + i]! - cal.at[i]!;
				if (Number.isFinite(err)) oos.push({ step, err });
			}
		}
	}
	// Error spread grows with the steps ahead like √(1 + g·step) (a wandering level); g from the
	// out-of-sample errors against the in-sample spread, never below 0.
	const rms = (xs: number[]) => (xs.length ? Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length) : 0);
	const sigma0 = rms(resid) * Math.sqrt(resid.length / Math.max(1, resid.length - 3));
	let g = 0;
	if (oos.length && sigma0 > 0) {
		// Least squares of err² / σ0² − 1 = g·step through the origin.
		let num = 0;
		let den = 0;
		for (const o of oos) {
			num += (o.err ** 2 / sigma0 ** 2 - 1) * o.step;
			den += o.step * o.step;
		}
		g = Math.max(0, num / den);
	}
	// Standardised out-of-sample errors give the band's multipliers: their own tails, not a normal's
	// (in-sample residuals join them when there are few; with fewer still, a normal's).
	const std = [
		...(oos.length >= 20 ? [] : resid.map((r) => (sigma0 > 0 ? Math.abs(r) / sigma0 : 0))),
		...oos.map((o) => (sigma0 > 0 ? Math.abs(o.err) / (sigma0 * Math.sqrt(1 + g * o.step)) : 0))
	];
	const k80 = std.length >= 20 ? quantile(std, 0.8) : 1.2816;
	const k95 = std.length >= 20 ? quantile(std, 0.95) : 1.96;

	const zScale = target.map((t) => sigma0 * Math.sqrt(1 + g * stepOf(t)));
	return widen(
		{
			mean: [],
			lo80: [],
			hi80: [],
			lo95: [],
			hi95: [],
			model: main.model,
			fallback: main.fallback,
			error: main.error,
			seasonality: main.fallback ? { yearly: false, weekly: false } : seasonality,
			zMean: main.at.slice(0, target.length),
			zScale
		},
		opts.clip,
		{ k80, k95 }
	);
}

/** Multipliers of the error scale that give the 80% and 95% bands. */
export interface Widths {
	k80: number;
	k95: number;
}

/** The band's values for these multipliers: zMean ± k·zScale, read back on the KPI's own scale. */
export function widen(band: Band, clipTo: [number, number] | undefined, w: Widths): Band {
	const scale = scaleFor(clipTo);
	const clip = (v: number) => (clipTo ? Math.min(clipTo[1], Math.max(clipTo[0], v)) : v);
	const at = (k: number) => band.zMean.map((zm, i) => clip(scale.from(zm + k * band.zScale[i]!)));
	return { ...band, mean: at(0), lo80: at(-w.k80), hi80: at(w.k80), lo95: at(-w.k95), hi95: at(w.k95) };
}

/** Scores a conformal width needs before it replaces the model's own. */
const MIN_CONFORMAL = 20;

/**
 * Split-conformal widths from standardised out-of-sample errors (|error| / error scale): the
 * ⌈(n + 1)·q⌉-th smallest score, so that a new error falls within it with probability ≥ q.
 */
export function conformalWidths(scores: number[]): Widths | null {
	if (scores.length < MIN_CONFORMAL) return null;
	const s = [...scores].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.ceil((s.length + 1) * q) - 1)]!;
	return { k80: at(0.8), k95: at(0.95) };
}

/** The next `n` bucket starts after `last`. */
export function futureBuckets(last: string, n: number, bucketDays: number): string[] {
	const s = toSeconds(last);
	return Array.from({ length: n }, (_, i) => fromSeconds(s + (i + 1) * bucketDays * DAY_S));
}

/** Seasonal period of the seasonal-naive benchmark: a year of weeks, or a week of days. */
export const seasonOf = (bucketDays: number) => (bucketDays === 7 ? 52 : 7);

/** Buckets of history a backtest fold needs before its origin: twice the horizon, at least 12. */
export const minTrainOf = (h: number) => Math.max(12, 2 * h);

export interface BacktestResult {
	folds: number;
	mase: number | null;
	/** MAE of the model over MAE of seasonal-naive on the same held-out points. */
	relMae: number | null;
	coverage80: number | null;
	coverage95: number | null;
	/**
	 * Band widths calibrated on every fold's errors (split conformal), for the forecast itself; null
	 * when the folds hold too few errors, and the model's own widths stand.
	 */
	widths: Widths | null;
}

/**
 * Rolling-origin backtest: for each origin (the last at n − h, then every `step` buckets earlier,
 * keeping at least `minTrain` buckets to fit on) fit on the points before it, forecast h ahead and
 * compare with what happened.
 *
 * MASE (Hyndman & Koehler): MAE of the forecasts scaled by the in-sample MAE of the seasonal-naive
 * forecast (y[t] = y[t − m]) on each fold's training data; below 1 the model beats seasonal-naive.
 * Coverage: the share of held-out values inside the 80% / 95% intervals, with the widths
 * calibrated (conformally) on the other folds only — never the fold itself or its next neighbours —
 * so the figure is out of sample for the calibration too. A fold whose other folds hold too few
 * errors keeps the model's own widths.
 */
export async function backtest(
	series: SeriesPoint[],
	h: number,
	opts: FitOptions & { folds?: number; step?: number; minTrain?: number }
): Promise<BacktestResult> {
	const m = seasonOf(opts.bucketDays);
	const folds = opts.folds ?? 4;
	const step = opts.step ?? Math.max(1, Math.round(h / 2));
	const minTrain = opts.minTrain ?? minTrainOf(h);
	const absErr: number[] = [];
	const naiveErr: number[] = [];
	let scaleSum = 0;
	let scaleFolds = 0;
	const scale = scaleFor(opts.clip);
	const tested: { k: number; band: Band; test: SeriesPoint[]; scores: number[] }[] = [];
	let done = 0;
	for (let k = 0; k < folds; k++) {
		const origin = series.length - h - k * step;
		if (origin < minTrain) break;
		const train = series.slice(0, origin);
		if (train.filter((p) => p.value !== null).length < MIN_PROPHET) break;
		const test = series.slice(origin, origin + h);
		const band = await fitPredict(
			train,
			test.map((p) => p.bucket),
			opts
		);
		// In-sample seasonal-naive MAE (falls back to m = 1 when the training set is shorter than a season).
		const mm = train.length > m + 2 ? m : 1;
		const diffs: number[] = [];
		for (let t = mm; t < train.length; t++) {
			const a = train[t]!.value;
			const b = train[t - mm]!.value;
			if (a !== null && b !== null) diffs.push(Math.abs(a - b));
		}
		const naiveScale = diffs.length ? diffs.reduce((s, d) => s + d, 0) / diffs.length : 0;
		if (naiveScale > 0) {
			scaleSum += naiveScale;
			scaleFolds++;
		}
		const scores: number[] = [];
		test.forEach((p, i) => {
			if (p.value === null) return;
			// Seasonal-naive h steps ahead: the same point of the last season before the origin.
			const idx = origin >= m ? origin - m + (i % m) : origin - 1;
			const snaive = series[idx]!.value;
			absErr.push(Math.abs(p.value - band.mean[i]!));
			if (snaive !== null) naiveErr.push(Math.abs(p.value - snaive));
			const s = band.zScale[i]!;
			const score = Math.abs(scale.to(p.value) - band.zMean[i]!) / s;
			if (s > 0 && Number.isFinite(score)) scores.push(score);
		});
		tested.push({ k, band, test, scores });
		done++;
	}
	// A fold is never calibrated on itself nor on its next neighbours, whose held-out stretches share
	// most of its weeks; farther folds may share a few (they are `step` apart, the stretch `h` long).
	const apart = 2;
	let in80 = 0;
	let in95 = 0;
	let n = 0;
	for (const f of tested) {
		const others = tested.filter((o) => Math.abs(o.k - f.k) >= apart).flatMap((o) => o.scores);
		const w = conformalWidths(others);
		const band = w ? widen(f.band, opts.clip, w) : f.band;
		f.test.forEach((p, i) => {
			if (p.value === null) return;
			if (p.value >= band.lo80[i]! && p.value <= band.hi80[i]!) in80++;
			if (p.value >= band.lo95[i]! && p.value <= band.hi95[i]!) in95++;
			n++;
		});
	}
	const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
	const mae = mean(absErr);
	const naive = scaleFolds ? scaleSum / scaleFolds : null;
	const naiveMae = mean(naiveErr);
	return {
		folds: done,
		mase: mae !== null && naive ? mae / naive : null,
		relMae: mae !== null && naiveMae ? mae / naiveMae : null,
		coverage80: n ? in80 / n : null,
		coverage95: n ? in95 / n : null,
		widths: conformalWidths(tested.flatMap((f) => f.scores))
	};
}
