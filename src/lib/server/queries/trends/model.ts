/**
 * Why this exists: the forecasting engine behind `trends.forecast`, `trends.anomalies`, the ROI
 * "target reached when" estimates and `npm run eval:forecast`. The maths is a maintained library's:
 * Prophet from @bsull/augurs (Rust compiled to WASM, with Prophet's Stan model as WASM from
 * @bsull/augurs-prophet-wasmstan) — piecewise-linear trend, yearly (and for days weekly) Fourier
 * seasonality and the shopping festivals as holidays. Prophet fits a year or two of weekly data,
 * where MSTL (also in augurs) refuses anything shorter than two full seasonal periods, which rules
 * out rolling-origin backtests on two years of history.
 *
 * This module only arranges data, calls the library and scores its forecasts (rolling-origin
 * backtest: MASE against seasonal-naive, 80% / 95% interval coverage).
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

export const MODEL_NAME = 'Prophet (augurs): trend + yearly seasonality + festivals';

export interface SeriesPoint {
	/** Bucket start, YYYY-MM-DD. */
	bucket: string;
	value: number | null;
}

export interface Band {
	mean: number[];
	lo80: number[];
	hi80: number[];
	lo95: number[];
	hi95: number[];
}

export interface FitOptions {
	/** Bucket length in days: 1 (daily) or 7 (weekly). */
	bucketDays: 1 | 7;
	/** Values outside are clipped (e.g. [0, 1] for a rate). */
	clip?: [number, number];
}

const toSeconds = (bucket: string) => Date.parse(`${bucket}T00:00:00Z`) / 1000;
const fromSeconds = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

function yearsOf(seconds: number[]): number[] {
	const ys = seconds.map((s) => new Date(s * 1000).getUTCFullYear());
	const lo = Math.min(...ys);
	const hi = Math.max(...ys);
	return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/**
 * Fits on the known points of `history` and returns the fitted band over `at` (bucket starts, history
 * or future) at 80% and 95%. Prophet draws one interval width per model, so it is fitted twice.
 */
export async function fitPredict(history: SeriesPoint[], at: string[], opts: FitOptions): Promise<Band> {
	const { Prophet, optimizer } = await loadProphet();
	const known = history.filter((p): p is { bucket: string; value: number } => p.value !== null);
	const ds = known.map((p) => toSeconds(p.bucket));
	const y = known.map((p) => p.value);
	const target = at.map(toSeconds);
	const clip = (v: number) => (opts.clip ? Math.min(opts.clip[1], Math.max(opts.clip[0], v)) : v);
	const holidays = festivalHolidays(yearsOf([...ds, ...target]), opts.bucketDays);
	const make = (width: number) =>
		new Prophet({
			optimizer,
			intervalWidth: width,
			uncertaintySamples: 300,
			holidays,
			// A low-order, damped yearly shape: measured with `npm run eval:forecast`, order 3 with prior scale 1
			// beat order 6 / scale 10 on every demo KPI (that fits noise when a fold has only a year and a bit).
			yearlySeasonality: { type: 'fourier', order: 3 },
			seasonalityPriorScale: 1,
			// Weekly shape only when points are days.
			weeklySeasonality: { type: 'manual', enabled: opts.bucketDays === 1 },
			dailySeasonality: { type: 'manual', enabled: false },
			changepointPriorScale: 0.05
		});
	const run = (width: number) => {
		let model = make(width);
		try {
			try {
				model.fit({ ds, y });
			} catch {
				// TRICKY: the default L-BFGS line search occasionally fails on flat, noisy series ("Line
				// search failed to achieve a sufficient decrease"); Newton then converges. A model that
				// failed to fit cannot be fitted again ("seasonality with the same name"): start afresh.
				model.free();
				model = make(width);
				model.fit({ ds, y }, { algorithm: 'newton' });
			}
			return model.predict({ ds: target }).yhat;
		} finally {
			model.free();
		}
	};
	const f80 = run(0.8);
	const f95 = run(0.95);
	const mean = f95.point.map(clip);
	return {
		mean,
		lo80: (f80.intervals?.lower ?? f80.point).map(clip),
		hi80: (f80.intervals?.upper ?? f80.point).map(clip),
		lo95: (f95.intervals?.lower ?? f95.point).map(clip),
		hi95: (f95.intervals?.upper ?? f95.point).map(clip)
	};
}

/** The next `n` bucket starts after `last`. */
export function futureBuckets(last: string, n: number, bucketDays: number): string[] {
	const s = toSeconds(last);
	return Array.from({ length: n }, (_, i) => fromSeconds(s + (i + 1) * bucketDays * 86_400));
}

/** Seasonal period of the seasonal-naive benchmark: a year of weeks, or a week of days. */
export const seasonOf = (bucketDays: number) => (bucketDays === 7 ? 52 : 7);

export interface BacktestResult {
	folds: number;
	mase: number | null;
	/** MAE of the model over MAE of seasonal-naive on the same held-out points. */
	relMae: number | null;
	coverage80: number | null;
	coverage95: number | null;
}

/**
 * Rolling-origin backtest: for each origin (the last at n − h, then every `step` buckets earlier,
 * keeping at least `minTrain` buckets to fit on) fit on the points before it, forecast h ahead and
 * compare with what happened.
 *
 * MASE (Hyndman & Koehler): MAE of the forecasts scaled by the in-sample MAE of the seasonal-naive
 * forecast (y[t] = y[t − m]) on each fold's training data; below 1 the model beats seasonal-naive.
 * Coverage: the share of held-out values inside the 80% / 95% intervals.
 */
export async function backtest(
	series: SeriesPoint[],
	h: number,
	opts: FitOptions & { folds?: number; step?: number; minTrain?: number }
): Promise<BacktestResult> {
	const m = seasonOf(opts.bucketDays);
	const folds = opts.folds ?? 4;
	const step = opts.step ?? Math.max(1, Math.round(h / 2));
	const minTrain = opts.minTrain ?? m + Math.max(4, Math.round(m / 4));
	const absErr: number[] = [];
	const naiveErr: number[] = [];
	let scaleSum = 0;
	let scaleFolds = 0;
	let in80 = 0;
	let in95 = 0;
	let n = 0;
	let done = 0;
	for (let k = 0; k < folds; k++) {
		const origin = series.length - h - k * step;
		if (origin < minTrain) break;
		const train = series.slice(0, origin);
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
		const scale = diffs.length ? diffs.reduce((s, d) => s + d, 0) / diffs.length : 0;
		if (scale > 0) {
			scaleSum += scale;
			scaleFolds++;
		}
		test.forEach((p, i) => {
			if (p.value === null) return;
			const idx = origin + i - m;
			const snaive = idx >= 0 ? series[idx]!.value : null;
			absErr.push(Math.abs(p.value - band.mean[i]!));
			if (snaive !== null) naiveErr.push(Math.abs(p.value - snaive));
			if (p.value >= band.lo80[i]! && p.value <= band.hi80[i]!) in80++;
			if (p.value >= band.lo95[i]! && p.value <= band.hi95[i]!) in95++;
			n++;
		});
		done++;
	}
	const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
	const mae = mean(absErr);
	const scale = scaleFolds ? scaleSum / scaleFolds : null;
	const naiveMae = mean(naiveErr);
	return {
		folds: done,
		mase: mae !== null && scale ? mae / scale : null,
		relMae: mae !== null && naiveMae ? mae / naiveMae : null,
		coverage80: n ? in80 / n : null,
		coverage95: n ? in95 / n : null
	};
}
