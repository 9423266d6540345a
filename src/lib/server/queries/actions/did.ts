/**
 * Why this exists: did an action work? A difference in differences on weekly roll-up sums — the
 * touched unit's KPI (a touchpoint or a reason) minus the pooled KPI of comparable units nobody
 * touched, week by week; the effect is how much that gap moved from the weeks before the done date
 * to the weeks after. Pure: the query module feeds it rows, the unit tests plant effects in it.
 *
 * Each week's gap is the touched unit's move from its own level before, minus the comparable
 * units' average move from theirs (fixed weights: their contacts before). The interval comes from
 * the gap's own week-to-week scatter (a two-sample t interval of the weekly
 * gaps before and after, Welch's degrees of freedom): it carries the touched unit's sampling noise
 * and the shocks comparable units do not share, and narrows as weeks accumulate. It assumes the gap
 * would have stayed level without the action (parallel trends): a gap already drifting before the
 * done date reads as an effect, which is why the weeks before are shown beside it.
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
	/** Last day with data: a week after the done date counts once it is complete. */
	dataEnd: string;
}

export const DID_DEFAULTS: Omit<DidOptions, 'dataEnd'> = { window: 12, minWeeks: 4, minSample: 30 };

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
}

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
 * The effect of an action done on `doneAt` on unit `treated`, against the units in `rows` that are
 * neither it nor in `touched` and have data in at least half the weeks with data on each side.
 */
export function differenceInDifferences(
	rows: UnitWeek[],
	treated: string,
	doneAt: string,
	touched: ReadonlySet<string>,
	opts: DidOptions
): DidResult {
	const { before, after } = didWeeks(doneAt, opts);
	const daysAfter = Math.max(0, dayNum(opts.dataEnd) - dayNum(doneAt));
	const side = new Map<string, 'before' | 'after'>([
		...before.map((w) => [w, 'before'] as const),
		...after.map((w) => [w, 'after'] as const)
	]);
	// unit → week → sums
	const byUnit = new Map<string, Map<string, { num: number; den: number }>>();
	for (const r of rows) {
		if (!side.has(r.week) || r.den <= 0) continue;
		const weeks = byUnit.get(r.unit) ?? new Map<string, { num: number; den: number }>();
		const cur = weeks.get(r.week) ?? { num: 0, den: 0 };
		weeks.set(r.week, { num: cur.num + r.num, den: cur.den + r.den });
		byUnit.set(r.unit, weeks);
	}
	const mine = byUnit.get(treated) ?? new Map<string, { num: number; den: number }>();
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
	const pooled = (w: string) => {
		let num = 0;
		let den = 0;
		for (const [, weeks] of controls) {
			const s = weeks.get(w);
			if (s) {
				num += s.num;
				den += s.den;
			}
		}
		return den > 0 ? { num, den } : null;
	};
	const level = (of: string[], pick: (w: string) => { num: number; den: number } | null | undefined) => {
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
	// TRICKY: the comparison is each comparable unit's move from its own level before, averaged with
	// fixed weights (its contacts before) — not the pooled rate of the week, which moves whenever the
	// mix of units in a week changes (units sit at very different levels, e.g. 1% and 65% negative).
	const ownLevel = (weeks: Map<string, { num: number; den: number }>) => level(before, (w) => weeks.get(w));
	const baseline = controls.map(([, weeks]) => ({
		weeks,
		level: ownLevel(weeks),
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
	const gaps = (of: string[]) => {
		const out: number[] = [];
		const own = level(before, (w) => mine.get(w));
		for (const w of of) {
			const t = mine.get(w);
			const c = moved(w);
			if (t && c !== null && own !== null) out.push(t.num / t.den - own - c);
		}
		return out;
	};
	const sample = (of: string[]) => of.reduce((s, w) => s + (mine.get(w)?.den ?? 0), 0);
	const gb = gaps(before);
	const ga = gaps(after);
	const result: DidResult = {
		reasons: [],
		effect: null,
		low: null,
		high: null,
		before: level(before, (w) => mine.get(w)),
		after: level(after, (w) => mine.get(w)),
		comparisonBefore: level(before, pooled),
		comparisonAfter: level(after, pooled),
		weeksBefore: gb.length,
		weeksAfter: ga.length,
		sampleBefore: sample(before),
		sampleAfter: sample(after),
		comparableUnits: controls.length,
		daysAfter
	};
	if (!controls.length) result.reasons.push('noComparableUnits');
	if (gb.length < opts.minWeeks && controls.length) result.reasons.push('tooFewDaysBefore');
	if (after.length < opts.minWeeks || (ga.length < opts.minWeeks && controls.length))
		result.reasons.push('tooFewDaysAfter');
	if (result.sampleBefore < opts.minSample || result.sampleAfter < opts.minSample)
		result.reasons.push('tooFewContacts');
	if (result.reasons.length) return result;
	const effect = mean(ga) - mean(gb);
	const vb = variance(gb) / gb.length;
	const va = variance(ga) / ga.length;
	const se = Math.sqrt(vb + va);
	// Welch–Satterthwaite degrees of freedom.
	const df =
		se > 0 ? (vb + va) ** 2 / (vb ** 2 / (gb.length - 1) + va ** 2 / (ga.length - 1)) : gb.length + ga.length - 2;
	const half = t975(df) * se;
	return { ...result, effect, low: effect - half, high: effect + half };
}
