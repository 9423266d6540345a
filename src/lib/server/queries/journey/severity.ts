/**
 * Why this exists: the pain-point severity model — pure, so it is unit-tested without a database
 * and documented in one place (docs/journey.md, "Severity").
 *
 * The model, per cell (a touchpoint, or a touchpoint on one channel):
 *  1. Badness factors, each a share with its own denominator (sources differ in what they measure;
 *     a factor with fewer than `minFactorSample` observations is left out, so a cell without
 *     sentiment or CSAT — e.g. social posts before sentiment enrichment — is judged on what it has;
 *     each factor is a KPI of $schemas/metrics, FACTOR_KPI in $schemas/journey):
 *       complaint     complaints / contacts from sources that flag complaints; where a source has no
 *                     flag, strongly negative or complaint-language contacts stand in (inferComplaints)
 *       lowCsat       CSAT ≤ 4 of 10 / CSAT responses
 *       negSentiment  sentiment < −0.25 / contacts with sentiment
 *       unresolved    unresolved, escalated, transferred or abandoned / contacts with an outcome
 *       repeat        reopened / contacts that can be reopened
 *  2. Relative: for each factor, the median over the cells being compared (those with enough
 *     observations) is the baseline; badness = weighted mean of excess = max(0, rate − baseline).
 *     The median, not the mean, so a few very bad touchpoints do not raise the bar.
 *  3. Impact multiplier, 0.8–1.25: reach against the mean cell (log2 · 0.08), value (share of
 *     contacts from high-value customers against the overall share, · 0.1) and trend (badness now
 *     minus in the previous period, · 0.5, capped at ±0.1). Relative score = badness × multiplier.
 *  4. Absolute: floors per factor (and the mean CSAT) in settings. A floor crossed gives a score of
 *     its colour's threshold, scaled by how far past the floor the cell is, kept below the next
 *     colour's threshold for a yellow floor — so where every cell is bad, the bad ones still show.
 *     A complaint queue (complaint share ≥ complaintQueueShare) is judged by neither its complaint
 *     share nor its sentiment, relative or absolute: both are given by construction.
 *  5. Score = the larger of the two; colour from it: red ≥ thresholds.red, yellow ≥ .yellow,
 *     blue ≥ .blue, else none — and none whenever the cell has fewer than `minInteractions`
 *     contacts or a reach below `minCustomers` (every cell, known customers or not).
 *  6. Reach counts everyone: customers, plus distinct anonymous authors, plus contacts with neither.
 *     Ranking: impact = score × reach, so a moderately bad touchpoint that many people pass through
 *     ranks above a terrible one that few see.
 * `why` lists the factors that drove the relative badness (excess > 0), largest first; `floors`
 * the absolute standards crossed, worst first.
 */
import {
	FACTORS,
	type CellMetrics,
	type Factor,
	type FloorHit,
	type ReachUnit,
	type SeverityResult,
	type SeveritySettings
} from '$schemas/journey';

export type Baseline = Record<Factor, number | null>;

const median = (xs: number[]): number | null => {
	if (!xs.length) return null;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Per-factor median rate over the cells that have enough observations of it. */
export function baselineOf(cells: CellMetrics[], settings: SeveritySettings): Baseline {
	const out = {} as Baseline;
	for (const f of FACTORS) {
		out[f] = median(
			cells
				.filter((c) => c.samples[f] >= settings.minFactorSample && c.rates[f] !== null)
				.map((c) => c.rates[f] as number)
		);
	}
	return out;
}

/**
 * A complaint queue (a complaint desk, a regulator's export): nearly every contact a flagged
 * complaint. Its complaint share and its negative sentiment are given by construction — every
 * complaint reads negative — so neither judges it; what it measures beyond the complaint does
 * (CSAT, outcome, repeat contacts).
 */
export function isComplaintQueue(cell: CellMetrics, settings: SeveritySettings): boolean {
	const share = settings.complaintQueueShare;
	return share !== null && cell.interactions > 0 && cell.complaints / cell.interactions >= share;
}
const BY_CONSTRUCTION: ReadonlySet<Factor> = new Set(['complaint', 'negSentiment']);

/** Badness and the factors behind it (no sample-size gate: callers decide). */
export function badnessOf(cell: CellMetrics, baseline: Baseline, settings: SeveritySettings) {
	let sum = 0;
	let weight = 0;
	const why: SeverityResult['why'] = [];
	const queue = isComplaintQueue(cell, settings);
	for (const f of FACTORS) {
		if (queue && BY_CONSTRUCTION.has(f)) continue;
		const rate = cell.rates[f];
		const base = baseline[f];
		const w = settings.weights[f];
		if (rate === null || base === null || cell.samples[f] < settings.minFactorSample || w === 0) continue;
		const excess = Math.max(0, rate - base);
		sum += w * excess;
		weight += w;
		if (excess > 0) why.push({ factor: f, rate, baseline: base, excess });
	}
	why.sort((a, b) => b.excess - a.excess);
	return { badness: weight ? sum / weight : null, why };
}

/** People a cell reaches, and what they are: customers, anonymous authors, bare contacts or a mix. */
export function reachOf(cell: CellMetrics): { reach: number; unit: ReachUnit } {
	const parts = [cell.customers, cell.authors ?? 0, cell.unattributed ?? 0];
	const reach = parts[0]! + parts[1]! + parts[2]!;
	const present = parts.filter((p) => p > 0).length;
	const unit: ReachUnit = present > 1 ? 'people' : parts[1]! > 0 ? 'authors' : parts[2]! > 0 ? 'contacts' : 'customers';
	return { reach, unit };
}

/** The absolute floors a cell crossed (each with enough observations), worst first. */
export function floorsOf(cell: CellMetrics, settings: SeveritySettings): FloorHit[] {
	const out: FloorHit[] = [];
	const f = settings.floors;
	const level = (over: (limit: number) => boolean, pair: { yellow: number | null; red: number | null }) =>
		pair.red !== null && over(pair.red)
			? { level: 'red' as const, limit: pair.red }
			: pair.yellow !== null && over(pair.yellow)
				? { level: 'yellow' as const, limit: pair.yellow }
				: null;
	// TRICKY: without this the sentiment floor marks every cell of a complaint export red.
	const queue = isComplaintQueue(cell, settings);
	for (const factor of FACTORS) {
		const rate = cell.rates[factor];
		if (rate === null || cell.samples[factor] < settings.minFactorSample) continue;
		if (queue && BY_CONSTRUCTION.has(factor)) continue;
		const hit = level((limit) => rate >= limit, f[factor]);
		if (hit) out.push({ measure: factor, value: rate, ...hit });
	}
	const csat = cell.csat;
	if (csat !== null && cell.samples.lowCsat >= settings.minFactorSample) {
		const hit = level((limit) => csat <= limit, f.csatMean);
		if (hit) out.push({ measure: 'csatMean', value: csat, ...hit });
	}
	return out.sort((a, b) => floorScore(b, settings) - floorScore(a, settings));
}

/** A floor's score: its colour's threshold, scaled by how far past the floor; a yellow one stays yellow. */
export function floorScore(hit: FloorHit, settings: SeveritySettings): number {
	const t = settings.thresholds;
	// How far past the floor, ≥ 1: a share against its limit; a mean CSAT by its distance from 10.
	const past =
		hit.measure === 'csatMean'
			? (10 - hit.value) / Math.max(1e-9, 10 - hit.limit)
			: hit.value / Math.max(1e-9, hit.limit);
	const scaled = t[hit.level] * Math.min(2, Math.max(1, past));
	return hit.level === 'yellow' ? Math.min(scaled, t.red - 1e-6) : scaled;
}

export interface SeverityContext {
	baseline: Baseline;
	/** Mean reach per cell compared. */
	meanReach: number;
	/** Share of contacts from high-value customers over all compared cells. */
	hvShare: number;
	settings: SeveritySettings;
}

export function contextOf(cells: CellMetrics[], settings: SeveritySettings): SeverityContext {
	const sized = cells.filter((c) => c.interactions >= settings.minInteractions);
	const reach = sized.reduce((a, c) => a + reachOf(c).reach, 0);
	const volume = sized.reduce((a, c) => a + c.interactions, 0);
	return {
		baseline: baselineOf(cells, settings),
		meanReach: sized.length ? reach / sized.length : 0,
		hvShare: volume ? sized.reduce((a, c) => a + c.hvInteractions, 0) / volume : 0,
		settings
	};
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** Severity of one cell; `previousBadness` (same model, previous period) drives the trend term. */
export function severityOf(cell: CellMetrics, ctx: SeverityContext, previousBadness: number | null): SeverityResult {
	const s = ctx.settings;
	const { badness, why } = badnessOf(cell, ctx.baseline, s);
	const trend = badness !== null && previousBadness !== null ? badness - previousBadness : null;
	const { reach: people, unit } = reachOf(cell);
	const reach = ctx.meanReach > 0 && people > 0 ? Math.log2(people / ctx.meanReach) * 0.08 : 0;
	const value =
		ctx.hvShare > 0 && cell.interactions > 0 ? (cell.hvInteractions / cell.interactions / ctx.hvShare - 1) * 0.1 : 0;
	const multiplier = clamp(
		1 + clamp(reach, -0.1, 0.1) + clamp(value, -0.05, 0.1) + clamp((trend ?? 0) * 0.5, -0.1, 0.1),
		0.8,
		1.25
	);
	const floors = floorsOf(cell, s);
	const score = Math.max((badness ?? 0) * multiplier, floors.length ? floorScore(floors[0]!, s) : 0);
	const small = cell.interactions < s.minInteractions || people < s.minCustomers;
	const judged = badness !== null || floors.length > 0;
	const severity =
		small || !judged
			? 'none'
			: score >= s.thresholds.red
				? 'red'
				: score >= s.thresholds.yellow
					? 'yellow'
					: score >= s.thresholds.blue
						? 'blue'
						: 'none';
	return {
		severity,
		score,
		badness: badness ?? 0,
		reach: people,
		reachUnit: unit,
		impact: severity === 'none' ? 0 : score * people,
		floors,
		multiplier,
		trend,
		why,
		reason: small ? 'small-sample' : !judged ? 'no-signals' : severity === 'none' ? 'below-threshold' : 'flagged'
	};
}

/** Severity for each cell against the baseline of the same set; previous badness by key. */
export function assess<T extends CellMetrics>(
	cells: T[],
	previous: T[],
	settings: SeveritySettings,
	key: (c: CellMetrics) => string
): { results: Map<string, SeverityResult>; baseline: Baseline } {
	const ctx = contextOf(cells, settings);
	const prevCtx = contextOf(previous, settings);
	const prev = new Map(
		previous.map((p) => {
			const b = badnessOf(p, prevCtx.baseline, settings).badness;
			const small = p.interactions < settings.minInteractions;
			return [key(p), small ? null : b];
		})
	);
	const results = new Map(cells.map((c) => [key(c), severityOf(c, ctx, prev.get(key(c)) ?? null)]));
	return { results, baseline: ctx.baseline };
}

export const SEVERITY_ORDER = { red: 0, yellow: 1, blue: 2, none: 3 } as const;
