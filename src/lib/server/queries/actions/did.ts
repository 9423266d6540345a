/**
 * Why this exists: did an action work? A difference in differences on weekly roll-up sums — the
 * touched unit's KPI (a touchpoint or a reason) minus the pooled KPI of comparable units nobody
 * touched, week by week; the effect is how much that gap moved from the weeks before the done date
 * to the weeks after. Pure: the query module feeds it rows, the unit tests plant effects in it.
 *
 * Each week's gap is the touched unit's move from its own level before, minus the comparable
 * units' average move from theirs (fixed weights: their contacts before). The weekly gaps' scatter
 * gives a t interval, which treats weeks as independent and misses what is a unit's own (a level
 * drifting on one reason only). So by default the interval's width is calibrated on placebos: the
 * same measurement of every comparable unit, as if it had been touched that day (see
 * IntervalMethod). It assumes the gap would have stayed level without the action (parallel
 * trends): a gap already drifting before the done date reads as an effect, which is why the weeks
 * before are shown beside it.
 */
import type { NotEnough } from '$schemas/actions';

/** One unit-week of a KPI as a ratio of sums (rate = num / den). */
export interface UnitWeek {
	unit: string;
	/** Monday of the week, YYYY-MM-DD. */
	week: string;
	num: number;
	den: number;
}

export interface DidOptions {
	/** Weeks read on each side of the done date. */
	window: number;
	/** Fewest complete weeks needed on each side. */
	minWeeks: number;
	/** Fewest observations (the KPI's denominator) of the touched unit on each side. */
	minSample: number;
	/** Fewest comparable units measured as placebos to calibrate the interval on (placebo method). */
	minPlacebos: number;
	/** Last day with data: a week after the done date counts once it is complete. */
	dataEnd: string;
}

export const DID_DEFAULTS: Omit<DidOptions, 'dataEnd'> = { window: 12, minWeeks: 4, minSample: 30, minPlacebos: 5 };

const DAY = 86_400_000;
const dayNum = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);
const dayStr = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/** Monday on or before a day. */
export function mondayOf(d: string): string {
	const n = dayNum(d);
	// 1970-01-01 was a Thursday: (n + 3) % 7 counts days since Monday.
	return dayStr(n - ((n + 3) % 7));
}

/** The weeks compared: whole weeks before the done date's week, whole weeks after it. */
export function didWeeks(doneAt: string, o: Pick<DidOptions, 'window' | 'dataEnd'>) {
	const doneWeek = dayNum(mondayOf(doneAt));
	const end = dayNum(o.dataEnd);
	const before: string[] = [];
	const after: string[] = [];
	// TRICKY: the done date's own week is mixed (part before, part after): left out of both sides.
	for (let k = o.window; k >= 1; k--) before.push(dayStr(doneWeek - 7 * k));
	for (let k = 1; k <= o.window; k++) if (doneWeek + 7 * k + 6 <= end) after.push(dayStr(doneWeek + 7 * k));
	return { before, after };
}

// Student's t 97.5% quantiles for 1..30 degrees of freedom.
const T975 = [
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
	2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
];
/** The 97.5% quantile of Student's t (beyond 30 degrees of freedom within 0.002 of the exact value). */
export function t975(df: number): number {
	const k = Math.max(1, Math.floor(df));
	return k <= 30 ? T975[k - 1]! : 1.96 + 2.5 / k;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
	const m = mean(xs);
	return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/**
 * How the 95% interval is drawn around the effect:
 *   placebo  the t interval widened to what the comparable units' own placebo measurements say —
 *            each comparable unit measured as if it had been touched on the same day (against the
 *            others), its effect divided by its standard error; the critical value is the rank
 *            ⌈0.95 (m + 1)⌉ of those m ratios' sizes (the largest when m < 19), never below t's.
 *            Drifts and shocks that are the units' own, which weekly scatter does not show, widen it.
 *            Fewer than `minPlacebos` such units: not enough data yet.
 *   welch    Welch's t interval from the weekly gaps' scatter on each side (weeks as independent).
 *   hac      as welch, each side's variance by Newey–West with two weeks of lag (Bartlett weights),
 *            for gaps that run in streaks.
 */
export type IntervalMethod = 'placebo' | 'welch' | 'hac';
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['placebo', 'welch', 'hac'];

export interface DidResult {
	reasons: NotEnough[];
	effect: number | null;
	low: number | null;
	high: number | null;
	before: number | null;
	after: number | null;
	comparisonBefore: number | null;
	comparisonAfter: number | null;
	weeksBefore: number;
	weeksAfter: number;
	sampleBefore: number;
	sampleAfter: number;
	comparableUnits: number;
	/** Days of data after the done date. */
	daysAfter: number;
	/** Comparable units measured as placebos for the interval (placebo method; 0 otherwise). */
	placeboUnits: number;
}

type Sums = { num: number; den: number };
type Weeks = Map<string, Sums>;

/** Newey–West variance of a series' mean, Bartlett weights up to `lag`. */
function hacVarianceOfMean(xs: number[], lag: number): number {
	const n = xs.length;
	const m = mean(xs);
	const gamma = (k: number) => {
		let s = 0;
		for (let i = k; i < n; i++) s += (xs[i]! - m) * (xs[i - k]! - m);
		return s / n;
	};
	let v = gamma(0);
	for (let k = 1; k <= Math.min(lag, n - 1); k++) v += 2 * (1 - k / (lag + 1)) * gamma(k);
	// Small-sample scaling to match the unbiased variance when there is no autocorrelation.
	return Math.max(v, 0) / (n - 1);
}

/** Effect, standard error and degrees of freedom of before/after gaps. */
function contrast(gb: number[], ga: number[], method: IntervalMethod) {
	const effect = mean(ga) - mean(gb);
	const vb = method === 'hac' ? hacVarianceOfMean(gb, 2) : variance(gb) / gb.length;
	const va = method === 'hac' ? hacVarianceOfMean(ga, 2) : variance(ga) / ga.length;
	const se = Math.sqrt(vb + va);
	// Welch–Satterthwaite degrees of freedom.
	const df =
		se > 0 ? (vb + va) ** 2 / (vb ** 2 / (gb.length - 1) + va ** 2 / (ga.length - 1)) : gb.length + ga.length - 2;
	return { effect, se, df };
}

/**
 * The effect of an action done on `doneAt` on unit `treated`, against the units in `rows` that are
 * neither it nor in `touched` and have data in at least half the weeks with data on each side.
 */
export function differenceInDifferences(
	rows: UnitWeek[],
	treated: string,
	doneAt: string,
	touched: ReadonlySet<string>,
	opts: DidOptions,
	method: IntervalMethod = 'placebo'
): DidResult {
	const { before, after } = didWeeks(doneAt, opts);
	const daysAfter = Math.max(0, dayNum(opts.dataEnd) - dayNum(doneAt));
	const side = new Map<string, 'before' | 'after'>([
		...before.map((w) => [w, 'before'] as const),
		...after.map((w) => [w, 'after'] as const)
	]);
	// unit → week → sums
	const byUnit = new Map<string, Weeks>();
	for (const r of rows) {
		if (!side.has(r.week) || r.den <= 0) continue;
		const weeks = byUnit.get(r.unit) ?? new Map<string, Sums>();
		const cur = weeks.get(r.week) ?? { num: 0, den: 0 };
		weeks.set(r.week, { num: cur.num + r.num, den: cur.den + r.den });
		byUnit.set(r.unit, weeks);
	}
	const present = (weeks: Map<string, unknown>, of: string[]) => of.filter((w) => weeks.has(w)).length;
	// Weeks any unit has data in: a comparison unit must cover half of them on each side.
	const active = (of: string[]) => of.filter((w) => [...byUnit.values()].some((weeks) => weeks.has(w)));
	const [activeBefore, activeAfter] = [active(before), active(after)];
	const controls = [...byUnit.entries()].filter(
		([u, weeks]) =>
			u !== treated &&
			!touched.has(u) &&
			activeBefore.length > 0 &&
			activeAfter.length > 0 &&
			present(weeks, activeBefore) * 2 >= activeBefore.length &&
			present(weeks, activeAfter) * 2 >= activeAfter.length
	);
	const level = (of: string[], pick: (w: string) => Sums | null | undefined) => {
		let num = 0;
		let den = 0;
		for (const w of of) {
			const s = pick(w);
			if (s) {
				num += s.num;
				den += s.den;
			}
		}
		return den > 0 ? num / den : null;
	};
	const pooledOf = (units: [string, Weeks][]) => (w: string) => {
		let num = 0;
		let den = 0;
		for (const [, weeks] of units) {
			const s = weeks.get(w);
			if (s) {
				num += s.num;
				den += s.den;
			}
		}
		return den > 0 ? { num, den } : null;
	};
	/** The weekly gaps of `mine` against `units` on each side. */
	const gapsOf = (mine: Weeks, units: [string, Weeks][]) => {
		// TRICKY: the comparison is each comparable unit's move from its own level before, averaged
		// with fixed weights (its contacts before) — not the pooled rate of the week, which moves
		// whenever the mix of units in a week changes (units sit at very different levels, e.g. 1% and
		// 65% negative).
		const baseline = units.map(([, weeks]) => ({
			weeks,
			level: level(before, (w) => weeks.get(w)),
			weight: before.reduce((s, w) => s + (weeks.get(w)?.den ?? 0), 0)
		}));
		const moved = (w: string) => {
			let sum = 0;
			let weight = 0;
			for (const c of baseline) {
				const s = c.weeks.get(w);
				if (!s || c.level === null || c.weight <= 0) continue;
				sum += c.weight * (s.num / s.den - c.level);
				weight += c.weight;
			}
			return weight > 0 ? sum / weight : null;
		};
		const own = level(before, (w) => mine.get(w));
		const gaps = (of: string[]) => {
			const out: number[] = [];
			for (const w of of) {
				const t = mine.get(w);
				const c = moved(w);
				if (t && c !== null && own !== null) out.push(t.num / t.den - own - c);
			}
			return out;
		};
		return { gb: gaps(before), ga: gaps(after) };
	};
	const sample = (mine: Weeks, of: string[]) => of.reduce((s, w) => s + (mine.get(w)?.den ?? 0), 0);
	/** Why `mine` cannot be measured against `units` (empty when it can). */
	const notEnough = (mine: Weeks, units: number, gb: number[], ga: number[]) => {
		const reasons: NotEnough[] = [];
		if (!units) reasons.push('noComparableUnits');
		if (gb.length < opts.minWeeks && units) reasons.push('tooFewDaysBefore');
		if (after.length < opts.minWeeks || (ga.length < opts.minWeeks && units)) reasons.push('tooFewDaysAfter');
		if (sample(mine, before) < opts.minSample || sample(mine, after) < opts.minSample) reasons.push('tooFewContacts');
		return reasons;
	};

	const mine = byUnit.get(treated) ?? new Map<string, Sums>();
	const pooled = pooledOf(controls);
	const { gb, ga } = gapsOf(mine, controls);
	const result: DidResult = {
		reasons: notEnough(mine, controls.length, gb, ga),
		effect: null,
		low: null,
		high: null,
		before: level(before, (w) => mine.get(w)),
		after: level(after, (w) => mine.get(w)),
		comparisonBefore: level(before, pooled),
		comparisonAfter: level(after, pooled),
		weeksBefore: gb.length,
		weeksAfter: ga.length,
		sampleBefore: sample(mine, before),
		sampleAfter: sample(mine, after),
		comparableUnits: controls.length,
		daysAfter,
		placeboUnits: 0
	};
	if (result.reasons.length) return result;
	const { effect, se, df } = contrast(gb, ga, method);
	let critical = t975(df);
	if (method === 'placebo') {
		// Each comparable unit as if touched on the same day, against the other comparable units (the
		// touched unit is left out: its own change would leak into theirs).
		const ratios: number[] = [];
		for (const [u, weeks] of controls) {
			const others = controls.filter(([v]) => v !== u);
			const p = gapsOf(weeks, others);
			if (notEnough(weeks, others.length, p.gb, p.ga).length) continue;
			const c = contrast(p.gb, p.ga, 'welch');
			// A unit whose KPI never moves (always 0% or 100%) has no scatter to compare with.
			if (c.se > 0) ratios.push(Math.abs(c.effect) / c.se);
		}
		ratios.sort((a, b) => a - b);
		const m = ratios.length;
		result.placeboUnits = m;
		// Too few to say how wide the interval must be: not a t interval known to be too narrow.
		if (m < opts.minPlacebos) return { ...result, reasons: ['tooFewComparableUnits'] };
		critical = Math.max(critical, ratios[Math.min(m, Math.ceil(0.95 * (m + 1))) - 1]!);
	}
	const half = critical * se;
	return { ...result, effect, low: effect - half, high: effect + half };
}
