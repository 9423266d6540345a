/**
 * Why this exists: the key-driver model, apart from any database so it can be checked on planted
 * cells. It fits a least-squares regression of an outcome on dummy-coded factors from summed cells
 * (count, sum, sum of squares per combination of factor levels: with categorical predictors these
 * are sufficient statistics, so the fit equals the one over the contacts themselves), splits the
 * explained variance among the factors by Shapley value (the average gain in R² from adding the
 * factor over every order of adding them — dominance analysis' "general dominance"), and says per
 * factor level what bringing it to the factor's typical level would move the overall outcome by.
 * Intervals come from a bootstrap that resamples the cells as a row bootstrap would: each cell's
 * count is Poisson, its mean normal with the cell's own variance.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

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
	/** Bootstrap replicates for effects, and for the Shapley split (a subset of them: it costs 2^k fits). */
	reps?: number;
	shapleyReps?: number;
	seed?: number;
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

/** Small, seeded and fast: bootstrap answers must be the same for the same data. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
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

const quantile = (xs: number[], q: number) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const i = (s.length - 1) * q;
	const lo = Math.floor(i);
	return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
};

/**
 * A 95% interval around `estimate` with the bootstrap distribution's spread on either side.
 * TRICKY: centred on the estimate, not the replicates' own percentiles — the replicates' noise in
 * every cell mean lowers R² in each of them, so plain percentiles can miss the estimate itself.
 */
function interval(estimate: number, reps: number[], floor = -Infinity): [number, number] {
	if (!reps.length) return [NaN, NaN];
	const mid = quantile(reps, 0.5);
	return [Math.max(floor, estimate - (mid - quantile(reps, 0.025))), estimate + (quantile(reps, 0.975) - mid)];
}

/** Cells over columns: each cell's active dummy columns (column 0 is the intercept). */
interface Design {
	factors: string[];
	/** Per kept factor: its levels (reference first) and their first column. */
	levels: string[][];
	start: number[];
	p: number;
	cols: Int32Array[];
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
	maxLevels: number
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
	const used = factors.map((_, f) => f).filter((f) => keep[f]!.length >= 2);
	const recode = (f: number, l: string) => (keep[f]!.includes(l) ? l : keep[f]!.includes(OTHER) ? OTHER : null);
	// Merge cells that became equal once rare levels were pooled; drop those of a level too rare to keep.
	const merged = new Map<string, { idx: number[]; n: number; sum: number; sq: number }>();
	for (const c of cells) {
		if (c.n <= 0) continue;
		const idx: number[] = [];
		let ok = true;
		for (const f of used) {
			const l = recode(f, c.levels[f]!);
			if (l === null) ok = false;
			else idx.push(keep[f]!.indexOf(l));
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
	const start: number[] = [];
	let p = 1;
	for (const f of used) {
		start.push(p);
		p += keep[f]!.length - 1;
	}
	const rows = [...merged.values()];
	const cols = rows.map((m) => {
		const a = [0];
		m.idx.forEach((li, g) => {
			if (li > 0) a.push(start[g]! + li - 1);
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
		start,
		p,
		cols,
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
function solve(m: Moments, p: number, idx: number[]): { beta: number[]; r2: number } {
	const k = idx.length;
	const a = new Matrix(k, k);
	for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a.set(i, j, m.g[idx[i]! * p + idx[j]!]!);
	// A level with no responses in a replicate leaves its column empty: a tiny ridge keeps the
	// system solvable and its coefficient at 0.
	for (let i = 0; i < k; i++) a.set(i, i, a.get(i, i) + 1e-9 * Math.max(1, m.N));
	const rhs = Matrix.columnVector(idx.map((i) => m.b[i]!));
	const chol = new CholeskyDecomposition(a);
	const beta = chol.isPositiveDefinite() ? chol.solve(rhs).to1DArray() : idx.map(() => 0);
	const explained = beta.reduce((s, x, i) => s + x * m.b[idx[i]!]!, 0);
	const r2 = m.tss > 0 ? 1 - (m.yy - explained) / m.tss : 0;
	return { beta, r2: Math.max(0, Math.min(1, r2)) };
}

/** Shapley split of R² among the factors (2^k fits; k is at most about ten here). */
function shapley(d: Design, m: Moments): number[] {
	const k = d.factors.length;
	const r2 = new Float64Array(1 << k);
	for (let s = 1; s < 1 << k; s++) {
		const idx = [0];
		for (let f = 0; f < k; f++) {
			if (s & (1 << f)) for (let l = 1; l < d.levels[f]!.length; l++) idx.push(d.start[f]! + l - 1);
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

/** Per factor and level: effect, share, and gain to the factor's typical level. */
function effects(d: Design, m: Moments, beta: number[], sign: number) {
	return d.factors.map((_, f) => {
		const levels = d.levels[f]!;
		const eff = levels.map((_, l) => (l === 0 ? 0 : beta[d.start[f]! + l - 1]!));
		// The reference level's count is what the other levels leave of the total.
		const ns = levels.map((_, l) => (l === 0 ? 0 : m.colN[d.start[f]! + l - 1]!));
		ns[0] = Math.max(0, m.N - ns.reduce((s, x) => s + x, 0));
		const order = levels.map((_, l) => l).sort((x, y) => eff[x]! - eff[y]!);
		let acc = 0;
		let typical = 0;
		for (const l of order) {
			acc += ns[l]!;
			if (acc >= m.N / 2) {
				typical = eff[l]!;
				break;
			}
		}
		return levels.map((_, l) => ({
			n: ns[l]!,
			share: m.N > 0 ? ns[l]! / m.N : 0,
			effect: eff[l]!,
			gain: m.N > 0 ? (ns[l]! / m.N) * Math.max(0, sign * (typical - eff[l]!)) : 0
		}));
	});
}

export function fitDrivers(
	factors: readonly string[],
	cells: readonly DriverCell[],
	opts: DriverOptions
): DriverFit | null {
	const { higherIsBetter, reps = 100, shapleyReps = 30, seed = 1, minLevelN = 30, maxLevels = 12 } = opts;
	const d = design(factors, cells, minLevelN, maxLevels);
	const m = moments(d, d.n, d.sum, d.sq);
	if (!d.factors.length || m.N < 2 * minLevelN || m.tss <= 0) return null;
	const sign = higherIsBetter ? 1 : -1;
	const all = Array.from({ length: d.p }, (_, i) => i);
	const full = solve(m, d.p, all);
	const phi = shapley(d, m);
	const point = effects(d, m, full.beta, sign);
	const levelMeans = d.factors.map((_, f) =>
		d.levels[f]!.map((_, l) => {
			if (l > 0) {
				const c = d.start[f]! + l - 1;
				return m.colN[c]! > 0 ? m.colSum[c]! / m.colN[c]! : 0;
			}
			// Reference level: what the factor's other levels leave of the totals.
			let n = m.N;
			let s = m.colSum[0]!;
			for (let c = d.start[f]!; c < d.start[f]! + d.levels[f]!.length - 1; c++) {
				n -= m.colN[c]!;
				s -= m.colSum[c]!;
			}
			return n > 0 ? s / n : 0;
		})
	);

	const r = mulberry32(seed);
	const bootEff = point.map((ls) => ls.map(() => [] as number[]));
	const bootGain = point.map((ls) => ls.map(() => [] as number[]));
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
		const mb = moments(d, n2, s2, q2);
		const fb = solve(mb, d.p, all);
		effects(d, mb, fb.beta, sign).forEach((ls, f) =>
			ls.forEach((x, l) => {
				bootEff[f]![l]!.push(x.effect);
				bootGain[f]![l]!.push(x.gain);
			})
		);
		if (b < shapleyReps) shapley(d, mb).forEach((x, f) => bootPhi[f]!.push(x));
	}

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
				const [effectLo, effectHi] = l === 0 ? [0, 0] : interval(p.effect, bootEff[f]![l]!);
				const [gainLo, gainHi] = interval(p.gain, bootGain[f]![l]!, 0);
				return {
					level,
					n: p.n,
					share: p.share,
					mean: levelMeans[f]![l]!,
					effect: p.effect,
					effectLo,
					effectHi,
					gain: p.gain,
					gainLo,
					gainHi
				};
			})
		};
	});
	out.sort((a, b) => b.importance - a.importance);
	return { n: m.N, mean: m.colSum[0]! / m.N, r2: full.r2, reps, factors: out };
}
