/**
 * Why this exists: the pain-point severity model — pure, so it is unit-tested without a database
 * and documented in one place.
 *
 * The model, per cell (a touchpoint, or a touchpoint on one channel):
 *  1. Badness factors, each a share with its own denominator (sources differ in what they measure;
 *     a factor with fewer than `minFactorSample` observations is left out, so a cell without
 *     sentiment or CSAT — e.g. social posts before sentiment enrichment — is judged on what it has;
 *     each factor is a KPI of $schemas/metrics, FACTOR_KPI in $schemas/journey):
 *       complaint     complaints / contacts
 *       lowCsat       CSAT ≤ 4 of 10 / CSAT responses
 *       negSentiment  sentiment < −0.25 / contacts with sentiment
 *       unresolved    unresolved, escalated, transferred or abandoned / contacts with an outcome
 *       repeat        reopened / contacts that can be reopened
 *  2. Baseline: for each factor, the median over the cells being compared (those with enough
 *     observations). The median, not the mean, so a few very bad touchpoints do not raise the bar.
 *  3. Badness = weighted mean of excess = max(0, rate − baseline) over the available factors
 *     (weights in settings; share points, 0–1).
 *  4. Impact multiplier, 0.8–1.25: reach (customers in the cell against the mean cell, log2 · 0.08),
 *     value (share of contacts from high-value customers against the overall share, · 0.1) and trend (badness now
 *     minus in the previous period, · 0.5, capped at ±0.1). Score = badness × multiplier.
 *  5. Colour from the score: red ≥ thresholds.red, yellow ≥ .yellow, blue ≥ .blue, else none — and
 *     none whenever the cell has fewer than `minInteractions` contacts or `minCustomers` customers.
 *  6. Ranking: impact = score × customers, so a moderately bad touchpoint that many customers pass
 *     through ranks above a terrible one that few see.
 * `why` lists the factors that drove the badness (excess > 0), largest first.
 */
import { FACTORS, type CellMetrics, type Factor, type SeverityResult, type SeveritySettings } from '$schemas/journey';

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

/** Badness and the factors behind it (no sample-size gate: callers decide). */
export function badnessOf(cell: CellMetrics, baseline: Baseline, settings: SeveritySettings) {
	let sum = 0;
	let weight = 0;
	const why: SeverityResult['why'] = [];
	for (const f of FACTORS) {
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

export interface SeverityContext {
	baseline: Baseline;
	/** Mean customers per cell compared. */
	meanCustomers: number;
	/** Share of contacts from high-value customers over all compared cells. */
	hvShare: number;
	settings: SeveritySettings;
}

export function contextOf(cells: CellMetrics[], settings: SeveritySettings): SeverityContext {
	const sized = cells.filter((c) => c.interactions >= settings.minInteractions);
	const customers = sized.reduce((a, c) => a + c.customers, 0);
	const volume = sized.reduce((a, c) => a + c.interactions, 0);
	return {
		baseline: baselineOf(cells, settings),
		meanCustomers: sized.length ? customers / sized.length : 0,
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
	const reach = ctx.meanCustomers > 0 && cell.customers > 0 ? Math.log2(cell.customers / ctx.meanCustomers) * 0.08 : 0;
	const value =
		ctx.hvShare > 0 && cell.interactions > 0 ? (cell.hvInteractions / cell.interactions / ctx.hvShare - 1) * 0.1 : 0;
	const multiplier = clamp(
		1 + clamp(reach, -0.1, 0.1) + clamp(value, -0.05, 0.1) + clamp((trend ?? 0) * 0.5, -0.1, 0.1),
		0.8,
		1.25
	);
	const score = (badness ?? 0) * multiplier;
	const small = cell.interactions < s.minInteractions || (cell.customers > 0 && cell.customers < s.minCustomers);
	const severity =
		small || badness === null
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
		impact: severity === 'none' ? 0 : score * cell.customers,
		multiplier,
		trend,
		why,
		reason: small
			? 'small-sample'
			: badness === null
				? 'no-signals'
				: severity === 'none'
					? 'below-threshold'
					: 'flagged'
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
