/**
 * Why this exists: the key-driver model, apart from any database so it can be checked on planted
 * cells. It fits a least-squares regression of an outcome on dummy-coded factors from summed cells
 * (count, sum, sum of squares per combination of factor levels: with categorical predictors these
 * are sufficient statistics, so the fit equals the one over the contacts themselves), splits the
 * explained variance among the factors by Shapley value (the average gain in R² from adding the
 * factor over every order of adding them — dominance analysis' "general dominance"), and says per
 * factor level what bringing it to the factor's typical level would move the overall outcome by.
 * Effects and gains get 95% intervals from the fit's own covariance (σ²(XᵀX)⁻¹); the Shapley
 * shares from a bootstrap that resamples the cells as a row bootstrap would (each cell's count
 * Poisson, its mean normal with the cell's own variance) — 2^k fits a replicate, so few replicates,
 * read as estimate ± 1.96 standard deviations.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { seededRandom } from '$ingest';

export interface DriverCell {
	/** One level per factor, in the order of `factors`. */
	levels: readonly string[];
	/** Responses (rows with the outcome). */
	n: number;
	/** Sum and sum of squares of the outcome over them. */
	sum: number;
	sq: number;
}

export interface DriverOptions {
	/** Whether a higher outcome is better (CSAT, NPS) or worse (negative sentiment, churn). */
	higherIsBetter: boolean;
	/** Bootstrap replicates for the Shapley split's interval (each costs 2^k fits). */
	reps?: number;
	seed?: number;
	/** Levels that say a value was not recorded: never a factor's typical level, never a fix. */
	unrecorded?: (factor: string, level: string) => boolean;
	/** Levels with fewer responses are pooled as OTHER; at most `maxLevels` levels per factor. */
	minLevelN?: number;
	maxLevels?: number;
}

export const OTHER = '(other)';

export interface LevelEffect {
	level: string;
	n: number;
	share: number;
	/** Mean outcome of the level's responses, before adjusting for the other factors. */
	mean: number;
	/** Adjusted difference to the factor's reference (most common) level, with its 95% interval. */
	effect: number;
	effectLo: number;
	effectHi: number;
	/**
	 * What the overall outcome would gain (in its own unit, improving direction positive) if this
	 * level's responses did as well as the factor's typical level (the response-weighted median of
	 * the level effects); 0 for levels already at or better than it.
	 */
	gain: number;
	gainLo: number;
	gainHi: number;
}

export interface FactorImportance {
	factor: string;
	/** Shapley share of R² (in R² units), with its 95% interval. */
	importance: number;
	importanceLo: number;
	importanceHi: number;
	reference: string;
	levels: LevelEffect[];
}

export interface DriverFit {
	n: number;
	mean: number;
	r2: number;
	reps: number;
	factors: FactorImportance[];
}

function poisson(r: () => number, mean: number): number {
	if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
	const l = Math.exp(-mean);
	let k = 0;
	let p = 1;
	do {
		k++;
		p *= r();
	} while (p > l);
	return k - 1;
}

function normal(r: () => number): number {
	return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** estimate ± 1.96 × the replicates' standard deviation, not below `floor`. */
function interval(estimate: number, reps: number[], floor = -Infinity): [number, number] {
	if (reps.length < 2) return [NaN, NaN];
	const mean = reps.reduce((a, x) => a + x, 0) / reps.length;
	const sd = Math.sqrt(reps.reduce((a, x) => a + (x - mean) ** 2, 0) / (reps.length - 1));
	return [Math.max(floor, estimate - 1.96 * sd), estimate + 1.96 * sd];
}

/** Cells over columns: each cell's active dummy columns (column 0 is the intercept). */
interface Design {
	factors: string[];
	/** Per kept factor: its levels (reference first) and each level's column (-1: none). */
	levels: string[][];
	colOf: number[][];
	p: number;
	cols: Int32Array[];
	/** Per cell: its level of each kept factor. */
	lev: Int32Array[];
	n: Float64Array;
	sum: Float64Array;
	sq: Float64Array;
	/** Within-cell variance, for the bootstrap. */
	varOf: Float64Array;
}

function design(
	factors: readonly string[],
	cells: readonly DriverCell[],
	minLevelN: number,
	maxLevels: number,
	unrecorded: (factor: string, level: string) => boolean
): Design {
	const counts = factors.map(() => new Map<string, number>());
	for (const c of cells) counts.forEach((m, f) => m.set(c.levels[f]!, (m.get(c.levels[f]!) ?? 0) + c.n));
	const keep = counts.map((m) => {
		const ranked = [...m].filter(([, n]) => n >= minLevelN).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
		const kept = ranked.slice(0, maxLevels).map(([l]) => l);
		const pooled = [...m].filter(([l]) => !kept.includes(l)).reduce((s, [, n]) => s + n, 0);
		if (pooled >= minLevelN) kept.push(OTHER);
		return kept;
	});
	// The reference is the most common recorded level.
	keep.forEach((ls, f) => {
		const r = ls.findIndex((l) => !unrecorded(factors[f]!, l));
		if (r > 0) ls.unshift(...ls.splice(r, 1));
	});
	const used = factors.map((_, f) => f).filter((f) => keep[f]!.length >= 2);
	const index = keep.map((ls) => new Map(ls.map((l, i) => [l, i])));
	/** A level's index among its factor's kept levels: a rare one's is OTHER's, or -1 if none. */
	const recode = (f: number, l: string) => index[f]!.get(l) ?? index[f]!.get(OTHER) ?? -1;
	// Merge cells that became equal once rare levels were pooled; drop those of a level too rare to keep.
	const merged = new Map<string, { idx: number[]; n: number; sum: number; sq: number }>();
	for (const c of cells) {
		if (c.n <= 0) continue;
		const idx: number[] = [];
		let ok = true;
		for (const f of used) {
			const l = recode(f, c.levels[f]!);
			if (l < 0) ok = false;
			else idx.push(l);
		}
		if (!ok) continue;
		const key = idx.join(',');
		const m = merged.get(key);
		if (m) {
			m.n += c.n;
			m.sum += c.sum;
			m.sq += c.sq;
		} else merged.set(key, { idx, n: c.n, sum: c.sum, sq: c.sq });
	}
	// TRICKY: a level that says "not recorded" gets no column, like the reference. A wait recorded
	// only on calls would otherwise make the wait columns add up to the phone channel's column, and
	// neither could be estimated; this way the wait levels compare calls with calls.
	let p = 1;
	const colOf = used.map((f) => keep[f]!.map((l, i) => (i === 0 || unrecorded(factors[f]!, l) ? -1 : p++)));
	const rows = [...merged.values()];
	const cols = rows.map((m) => {
		const a = [0];
		m.idx.forEach((li, g) => {
			if (colOf[g]![li]! >= 0) a.push(colOf[g]![li]!);
		});
		return Int32Array.from(a);
	});
	// Pooled within-cell variance stands in for cells of one response.
	let within = 0;
	let dof = 0;
	for (const m of rows) {
		if (m.n > 1) {
			within += Math.max(0, m.sq - (m.sum * m.sum) / m.n);
			dof += m.n - 1;
		}
	}
	const pooled = dof > 0 ? within / dof : 0;
	return {
		factors: used.map((f) => factors[f]!),
		levels: used.map((f) => keep[f]!),
		colOf,
		p,
		cols,
		lev: rows.map((m) => Int32Array.from(m.idx)),
		n: Float64Array.from(rows, (m) => m.n),
		sum: Float64Array.from(rows, (m) => m.sum),
		sq: Float64Array.from(rows, (m) => m.sq),
		varOf: Float64Array.from(rows, (m) => (m.n > 1 ? Math.max(0, m.sq - (m.sum * m.sum) / m.n) / (m.n - 1) : pooled))
	};
}

interface Moments {
	g: Float64Array; // p × p
	b: Float64Array;
	yy: number;
	N: number;
	tss: number;
	/** Responses per column (the levels' counts). */
	colN: Float64Array;
	colSum: Float64Array;
}

function moments(d: Design, n: Float64Array, sum: Float64Array, sq: Float64Array): Moments {
	const { p } = d;
	const g = new Float64Array(p * p);
	const b = new Float64Array(p);
	let yy = 0;
	let N = 0;
	let S = 0;
	for (let c = 0; c < d.cols.length; c++) {
		const w = n[c]!;
		if (w <= 0) continue;
		const a = d.cols[c]!;
		for (let i = 0; i < a.length; i++) {
			b[a[i]!]! += sum[c]!;
			for (let j = 0; j < a.length; j++) g[a[i]! * p + a[j]!]! += w;
		}
		yy += sq[c]!;
		N += w;
		S += sum[c]!;
	}
	const colN = new Float64Array(p);
	const colSum = new Float64Array(p);
	for (let i = 0; i < p; i++) {
		colN[i] = g[i * p + i]!;
		colSum[i] = b[i]!;
	}
	return { g, b, yy, N, tss: N > 0 ? yy - (S * S) / N : 0, colN, colSum };
}

/** Least squares on the columns `idx` (the intercept among them): coefficients and R². */
function solve(m: Moments, p: number, idx: number[], withInverse = false) {
	const k = idx.length;
	const a = new Matrix(k, k);
	for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a.set(i, j, m.g[idx[i]! * p + idx[j]!]!);
	// A level with no responses in a replicate, or two columns that say the same (a wait recorded
	// only on calls, and the phone channel), would make the system singular: a tiny ridge keeps it
	// solvable.
	for (let i = 0; i < k; i++) a.set(i, i, a.get(i, i) + 1e-7 * Math.max(1, m.N));
	const rhs = Matrix.columnVector(idx.map((i) => m.b[i]!));
	const chol = new CholeskyDecomposition(a);
	const ok = chol.isPositiveDefinite();
	const beta = ok ? chol.solve(rhs).to1DArray() : idx.map(() => 0);
	const explained = beta.reduce((s, x, i) => s + x * m.b[idx[i]!]!, 0);
	const rss = Math.max(0, m.yy - explained);
	const r2 = m.tss > 0 ? 1 - rss / m.tss : 0;
	const inverse = withInverse && ok ? chol.solve(Matrix.eye(k)) : null;
	return { beta, r2: Math.max(0, Math.min(1, r2)), rss, inverse };
}

/** Shapley split of R² among the factors (2^k fits; k is at most about ten here). */
function shapley(d: Design, m: Moments): number[] {
	const k = d.factors.length;
	const r2 = new Float64Array(1 << k);
	for (let s = 1; s < 1 << k; s++) {
		const idx = [0];
		for (let f = 0; f < k; f++) {
			if (s & (1 << f)) for (const c of d.colOf[f]!) if (c >= 0) idx.push(c);
		}
		r2[s] = solve(m, d.p, idx).r2;
	}
	const fact = [1];
	for (let i = 1; i <= k; i++) fact[i] = fact[i - 1]! * i;
	const phi = new Array<number>(k).fill(0);
	for (let s = 0; s < 1 << k; s++) {
		let size = 0;
		for (let f = 0; f < k; f++) if (s & (1 << f)) size++;
		for (let f = 0; f < k; f++) {
			if (s & (1 << f)) continue;
			const w = (fact[size]! * fact[k - size - 1]!) / fact[k]!;
			phi[f]! += w * (r2[s | (1 << f)]! - r2[s]!);
		}
	}
	return phi;
}

/** Responses and outcome sum per factor level. */
function levelStats(d: Design): { n: number; sum: number }[][] {
	const out = d.levels.map((ls) => ls.map(() => ({ n: 0, sum: 0 })));
	d.lev.forEach((idx, c) =>
		idx.forEach((l, f) => {
			out[f]![l]!.n += d.n[c]!;
			out[f]![l]!.sum += d.sum[c]!;
		})
	);
	return out;
}

/**
 * Per factor and level: count, share, effect and its standard error, and the gain of bringing the
 * level to the factor's typical level (the response-weighted median of the recorded levels'
 * effects) with its standard error.
 */
function effects(
	d: Design,
	m: Moments,
	stats: { n: number; sum: number }[][],
	beta: number[],
	cov: (i: number, j: number) => number,
	sign: number,
	unrecorded: (factor: string, level: string) => boolean
) {
	return d.factors.map((factor, f) => {
		const levels = d.levels[f]!;
		// Levels without a column (the reference, "not recorded") have effect 0 by definition.
		const col = (l: number) => d.colOf[f]![l]!;
		const eff = levels.map((_, l) => (col(l) < 0 ? 0 : beta[col(l)]!));
		const ns = stats[f]!.map((x) => x.n);
		const recorded = levels.map((l) => !unrecorded(factor, l));
		const order = levels
			.map((_, l) => l)
			.filter((l) => recorded[l])
			.sort((x, y) => eff[x]! - eff[y]!);
		const half = order.reduce((s, l) => s + ns[l]!, 0) / 2;
		let acc = 0;
		let typical = order[0] ?? 0;
		for (const l of order) {
			acc += ns[l]!;
			if (acc >= half) {
				typical = l;
				break;
			}
		}
		const c = (i: number, j: number) => (i < 0 || j < 0 ? 0 : cov(i, j));
		return levels.map((_, l) => {
			const share = m.N > 0 ? ns[l]! / m.N : 0;
			const gap = sign * (eff[typical]! - eff[l]!);
			const t = col(typical);
			const v = col(l);
			const gapSe = Math.sqrt(Math.max(0, c(t, t) + c(v, v) - 2 * c(t, v)));
			const fixable = recorded[l] && gap > 0;
			return {
				n: ns[l]!,
				share,
				effect: eff[l]!,
				effectSe: Math.sqrt(Math.max(0, c(v, v))),
				gain: fixable ? share * gap : 0,
				gainSe: fixable ? share * gapSe : 0
			};
		});
	});
}

export function fitDrivers(
	factors: readonly string[],
	cells: readonly DriverCell[],
	opts: DriverOptions
): DriverFit | null {
	const { higherIsBetter, reps = 20, seed = 1, minLevelN = 30, maxLevels = 12, unrecorded = () => false } = opts;
	const d = design(factors, cells, minLevelN, maxLevels, unrecorded);
	const m = moments(d, d.n, d.sum, d.sq);
	if (!d.factors.length || m.N < 2 * minLevelN || m.tss <= 0) return null;
	const sign = higherIsBetter ? 1 : -1;
	const all = Array.from({ length: d.p }, (_, i) => i);
	const full = solve(m, d.p, all, true);
	const sigma2 = full.rss / Math.max(1, m.N - d.p);
	const cov = (i: number, j: number) => (full.inverse ? sigma2 * full.inverse.get(i, j) : NaN);
	const phi = shapley(d, m);
	const stats = levelStats(d);
	const point = effects(d, m, stats, full.beta, cov, sign, unrecorded);
	const levelMeans = stats.map((ls) => ls.map((x) => (x.n > 0 ? x.sum / x.n : 0)));

	// Seeded: the same data gives the same intervals.
	const r = seededRandom(seed);
	const bootPhi = d.factors.map(() => [] as number[]);
	const n2 = new Float64Array(d.n.length);
	const s2 = new Float64Array(d.n.length);
	const q2 = new Float64Array(d.n.length);
	for (let b = 0; b < reps; b++) {
		for (let c = 0; c < d.n.length; c++) {
			const k = poisson(r, d.n[c]!);
			const mean = d.sum[c]! / d.n[c]!;
			const v = d.varOf[c]!;
			const mk = k > 0 ? mean + Math.sqrt(v / k) * normal(r) : 0;
			n2[c] = k;
			s2[c] = k * mk;
			q2[c] = (k - 1 > 0 ? (k - 1) * v : 0) + k * mk * mk;
		}
		shapley(d, moments(d, n2, s2, q2)).forEach((x, f) => bootPhi[f]!.push(x));
	}

	const z = 1.96;
	const out: FactorImportance[] = d.factors.map((factor, f) => {
		const [importanceLo, importanceHi] = interval(phi[f]!, bootPhi[f]!, 0);
		return {
			factor,
			importance: phi[f]!,
			importanceLo,
			importanceHi,
			reference: d.levels[f]![0]!,
			levels: d.levels[f]!.map((level, l) => {
				const p = point[f]![l]!;
				return {
					level,
					n: p.n,
					share: p.share,
					mean: levelMeans[f]![l]!,
					effect: p.effect,
					effectLo: p.effect - z * p.effectSe,
					effectHi: p.effect + z * p.effectSe,
					gain: p.gain,
					gainLo: Math.max(0, p.gain - z * p.gainSe),
					gainHi: p.gain + z * p.gainSe
				};
			})
		};
	});
	out.sort((a, b) => b.importance - a.importance);
	return { n: m.N, mean: m.colSum[0]! / m.N, r2: full.r2, reps, factors: out };
}
