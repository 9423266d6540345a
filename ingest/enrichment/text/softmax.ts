/**
 * Why this exists: small dense multinomial logistic regressions — the stacker that joins the
 * sentiment models' outputs into calibrated three-class probabilities, and heads over dense
 * inputs (averaged word vectors, lexicon sums). Full-batch Adam on the mean log loss with L2,
 * on standardised inputs; the standardisation is folded back into the weights, so scoring is one
 * matrix-vector product. Deterministic (no sampling).
 *
 * Targets may be partial: a row whose `allowed` mask excludes a class (a two-class review labelled
 * positive/negative says nothing about neutral) is fitted on the classes it allows only, by the log
 * of its label's probability among them.
 */
export interface Softmax {
	classes: string[];
	/** classes × inputs, row-major. */
	w: number[];
	b: number[];
	inputs: number;
}

export function softmaxLogits(
	m: Softmax,
	x: ArrayLike<number>,
	out = new Float64Array(m.classes.length)
): Float64Array {
	const n = m.inputs;
	for (let c = 0; c < out.length; c++) {
		let s = m.b[c]!;
		const o = c * n;
		for (let j = 0; j < n; j++) s += m.w[o + j]! * x[j]!;
		out[c] = s;
	}
	return out;
}

/** In place: logits → probabilities. */
export function softmaxInPlace(z: Float64Array): Float64Array {
	let max = -Infinity;
	for (const v of z) if (v > max) max = v;
	let sum = 0;
	for (let i = 0; i < z.length; i++) sum += z[i] = Math.exp(z[i]! - max);
	for (let i = 0; i < z.length; i++) z[i]! /= sum;
	return z;
}

export interface SoftmaxOptions {
	steps?: number;
	rate?: number;
	l2?: number;
	/** Per-row weight (default 1). */
	weight?: number[];
	/** Per-row mask of the classes the row's label chooses among (default all). */
	allowed?: boolean[][];
}

export function fitSoftmax(classes: string[], xs: number[][], y: number[], opts: SoftmaxOptions = {}): Softmax {
	const steps = opts.steps ?? 600;
	const rate = opts.rate ?? 0.05;
	const l2 = opts.l2 ?? 1e-4;
	const C = classes.length;
	const n = xs[0]?.length ?? 0;
	const N = xs.length;
	const mean = new Float64Array(n);
	const sd = new Float64Array(n);
	for (const x of xs) for (let j = 0; j < n; j++) mean[j]! += x[j]! / N;
	for (const x of xs) for (let j = 0; j < n; j++) sd[j]! += (x[j]! - mean[j]!) ** 2 / N;
	for (let j = 0; j < n; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
	const Z = xs.map((x) => Float64Array.from(x, (v, j) => (v - mean[j]!) / sd[j]!));
	const W = new Float64Array(C * n);
	const B = new Float64Array(C);
	const P = C * n + C;
	const m1 = new Float64Array(P);
	const m2 = new Float64Array(P);
	const g = new Float64Array(P);
	const p = new Float64Array(C);
	const wt = opts.weight;
	const totalWeight = wt ? wt.reduce((a, b) => a + b, 0) : N;
	for (let step = 1; step <= steps; step++) {
		g.fill(0);
		for (let i = 0; i < N; i++) {
			const x = Z[i]!;
			const mask = opts.allowed?.[i];
			let max = -Infinity;
			for (let c = 0; c < C; c++) {
				if (mask && !mask[c]) {
					p[c] = -Infinity;
					continue;
				}
				let s = B[c]!;
				const o = c * n;
				for (let j = 0; j < n; j++) s += W[o + j]! * x[j]!;
				p[c] = s;
				if (s > max) max = s;
			}
			let sum = 0;
			for (let c = 0; c < C; c++) sum += p[c] = p[c] === -Infinity ? 0 : Math.exp(p[c]! - max);
			const r = (wt ? wt[i]! : 1) / totalWeight;
			for (let c = 0; c < C; c++) {
				const d = (p[c]! / sum - (c === y[i] ? 1 : 0)) * r;
				if (d === 0) continue;
				const o = c * n;
				for (let j = 0; j < n; j++) g[o + j]! += d * x[j]!;
				g[C * n + c]! += d;
			}
		}
		for (let k = 0; k < C * n; k++) g[k]! += l2 * W[k]!;
		// Adam.
		const b1 = 0.9;
		const b2 = 0.999;
		for (let k = 0; k < P; k++) {
			m1[k] = b1 * m1[k]! + (1 - b1) * g[k]!;
			m2[k] = b2 * m2[k]! + (1 - b2) * g[k]! ** 2;
			const u = (rate * (m1[k]! / (1 - b1 ** step))) / (Math.sqrt(m2[k]! / (1 - b2 ** step)) + 1e-8);
			if (k < C * n) W[k]! -= u;
			else B[k - C * n]! -= u;
		}
	}
	// Fold the standardisation back: w·(x−μ)/σ = (w/σ)·x − Σ w μ/σ.
	const w: number[] = [];
	const b: number[] = [];
	for (let c = 0; c < C; c++) {
		let shift = 0;
		for (let j = 0; j < n; j++) {
			w.push(W[c * n + j]! / sd[j]!);
			shift += (W[c * n + j]! * mean[j]!) / sd[j]!;
		}
		b.push(B[c]! - shift);
	}
	return { classes, w, b, inputs: n };
}
