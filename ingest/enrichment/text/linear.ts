/**
 * Why this exists: the learner and the scorer for the text models. A logistic regression (binary)
 * or softmax regression (several classes) over hashed sparse features, trained by averaged SGD.
 *
 * Hand-written on purpose: the npm learners we checked (ml-logistic-regression, ml-classifiers)
 * take dense matrices, and our inputs are 2^18-wide sparse hashed vectors — a dense matrix of the
 * training texts would not fit in memory. Sparse SGD is short, quick to train and to score.
 * Weights are stored as raw little-endian Float32 files beside a JSON header.
 */
import { writeFileSync } from 'node:fs';
import { readModelFiles } from './model-file';
import type { SparseVector } from './features';

export interface LinearHeader {
	name: string;
	/** Hash width: the model has 2^bits weights per class. */
	bits: number;
	/** Class labels; a binary model has one weight row and classes [negative, positive]. */
	classes: string[];
	bias: number[];
	trainedOn: string[];
	trainedAt: string;
}

export interface LinearModel extends LinearHeader {
	/**
	 * Feature-major: weight of feature f for row r at f × rows + r (rows = 1 when binary, else
	 * classes.length), so one feature's weights for all classes share a cache line.
	 */
	weights: Float32Array;
}

export function rows(m: Pick<LinearHeader, 'classes'>): number {
	return m.classes.length === 2 ? 1 : m.classes.length;
}

/** Raw scores (logits), one per row. */
export function logits(m: LinearModel, x: SparseVector, out = new Float64Array(rows(m))): Float64Array {
	const R = out.length;
	const w = m.weights;
	if (R === 1) {
		let s = m.bias[0]!;
		for (let j = 0; j < x.idx.length; j++) s += w[x.idx[j]!]! * x.val[j]!;
		out[0] = s;
		return out;
	}
	for (let r = 0; r < R; r++) out[r] = m.bias[r]!;
	for (let j = 0; j < x.idx.length; j++) {
		const off = x.idx[j]! * R;
		const v = x.val[j]!;
		for (let r = 0; r < R; r++) out[r]! += w[off + r]! * v;
	}
	return out;
}

export function sigmoid(z: number): number {
	return 1 / (1 + Math.exp(-z));
}

/** Class probabilities (softmax, or [1-p, p] for a binary model). */
export function probabilities(m: LinearModel, x: SparseVector): Float64Array {
	const z = logits(m, x);
	if (z.length === 1) {
		const p = sigmoid(z[0]!);
		return Float64Array.of(1 - p, p);
	}
	let max = -Infinity;
	for (const v of z) max = Math.max(max, v);
	let sum = 0;
	for (let i = 0; i < z.length; i++) sum += z[i] = Math.exp(z[i]! - max);
	for (let i = 0; i < z.length; i++) z[i]! /= sum;
	return z;
}

export interface TrainOptions {
	epochs?: number;
	rate?: number;
	l2?: number;
	seed?: number;
	/**
	 * Per-row mask of the classes its label chooses among (default all): a review labelled only
	 * negative or positive says nothing about neutral, so its softmax runs over those two.
	 */
	allowed?: (readonly boolean[] | undefined)[];
	/** Per-row weight of the loss (default 1). */
	weight?: number[];
}

/**
 * Averaged SGD on the log loss. `y` holds class indices. Averaging (Polyak) gives most of the
 * benefit of a tuned L2 without a search; a small L2 on touched weights keeps rare features tame.
 */
export function train(
	header: Omit<LinearHeader, 'bias' | 'trainedAt'>,
	xs: SparseVector[],
	y: number[],
	opts: TrainOptions = {}
): LinearModel {
	const epochs = opts.epochs ?? 6;
	const rate0 = opts.rate ?? 0.5;
	const l2 = opts.l2 ?? 1e-6;
	const R = rows(header);
	const dim = 1 << header.bits;
	const w = new Float32Array(R * dim);
	const wSum = new Float64Array(R * dim); // Σ t·Δw, for the averaged weights
	const b = new Float64Array(R);
	const bSum = new Float64Array(R);
	const order = Array.from(xs.keys());
	let rnd = opts.seed ?? 7;
	const random = () => (rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32;
	let t = 1;
	const p = new Float64Array(R);
	for (let e = 0; e < epochs; e++) {
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		for (const n of order) {
			const x = xs[n]!;
			const mask = opts.allowed?.[n];
			const rate = (rate0 / (1 + e * 0.5)) * (opts.weight ? opts.weight[n]! : 1);
			// Forward pass.
			for (let r = 0; r < R; r++) p[r] = b[r]!;
			for (let j = 0; j < x.idx.length; j++) {
				const off = x.idx[j]! * R;
				for (let r = 0; r < R; r++) p[r]! += w[off + r]! * x.val[j]!;
			}
			if (R === 1) p[0] = sigmoid(p[0]!) - y[n]!;
			else {
				let max = -Infinity;
				for (let r = 0; r < R; r++) if (!mask || mask[r]) max = Math.max(max, p[r]!);
				let sum = 0;
				for (let r = 0; r < R; r++) sum += p[r] = !mask || mask[r] ? Math.exp(p[r]! - max) : 0;
				for (let r = 0; r < R; r++) p[r] = p[r]! / sum - (r === y[n] ? 1 : 0);
			}
			// Gradient step (and its running sum for the average).
			for (let r = 0; r < R; r++) {
				const g = p[r]!;
				if (g === 0) continue;
				for (let j = 0; j < x.idx.length; j++) {
					const k = x.idx[j]! * R + r;
					const d = -rate * (g * x.val[j]! + l2 * w[k]!);
					w[k]! += d;
					wSum[k]! += t * d;
				}
				b[r]! -= rate * g;
				bSum[r]! -= t * rate * g;
			}
			t++;
		}
	}
	// Averaged weights: w̄ = w − (Σ t·Δw) / T.
	const weights = new Float32Array(R * dim);
	for (let k = 0; k < weights.length; k++) weights[k] = w[k]! - wSum[k]! / t;
	const bias = Array.from(b, (v, r) => v - bSum[r]! / t);
	return { ...header, bias, weights, trainedAt: new Date().toISOString() };
}

/**
 * Naive-Bayes log-count ratios per feature (Wang & Manning 2012, "NBSVM"): log of how much more
 * often a feature occurs in positive than in negative texts (add-`alpha` smoothed). A linear model
 * trained on features scaled by these ratios is a different, complementary n-gram model; since
 * w·(x⊙r) = (w⊙r)·x it folds back into plain weights (`unscale`), so it costs nothing at scoring.
 */
export function nbRatios(xs: SparseVector[], y: number[], bits: number, alpha = 1): Float32Array {
	const dim = 1 << bits;
	const pos = new Float64Array(dim).fill(alpha);
	const neg = new Float64Array(dim).fill(alpha);
	xs.forEach((x, n) => {
		const c = y[n] ? pos : neg;
		for (let j = 0; j < x.idx.length; j++) c[x.idx[j]!]! += 1;
	});
	let sp = 0;
	let sn = 0;
	for (let k = 0; k < dim; k++) {
		sp += pos[k]!;
		sn += neg[k]!;
	}
	const r = new Float32Array(dim);
	for (let k = 0; k < dim; k++) r[k] = Math.log(pos[k]! / sp) - Math.log(neg[k]! / sn);
	return r;
}

/** x ⊙ r (features scaled by their ratios). */
export function scaleFeatures(x: SparseVector, r: Float32Array): SparseVector {
	const val = new Float32Array(x.val.length);
	for (let j = 0; j < val.length; j++) val[j] = x.val[j]! * r[x.idx[j]!]!;
	return { idx: x.idx, val };
}

/** A binary model trained on scaled features, as plain weights over unscaled features. */
export function unscale(m: LinearModel, r: Float32Array): LinearModel {
	return { ...m, weights: m.weights.map((w, k) => w * r[k]!) };
}

/** Σ weight × model, for binary models of one hash width (an ensemble folded into one model). */
export function blend(parts: [LinearModel, number][], header: Omit<LinearHeader, 'bias' | 'trainedAt'>): LinearModel {
	const weights = new Float32Array(parts[0]![0].weights.length);
	let bias = 0;
	for (const [m, wt] of parts) {
		for (let k = 0; k < weights.length; k++) weights[k]! += wt * m.weights[k]!;
		bias += wt * m.bias[0]!;
	}
	return { ...header, bias: [bias], weights, trainedAt: new Date().toISOString() };
}

export function saveModel(m: LinearModel, basePath: string): void {
	const { weights, ...header } = m;
	writeFileSync(`${basePath}.json`, JSON.stringify(header, null, '\t') + '\n');
	writeFileSync(`${basePath}.bin`, Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength));
}

export function loadModel(basePath: string): LinearModel {
	const { header, bytes } = readModelFiles<LinearHeader>(basePath, (h) => rows(h) * (1 << h.bits) * 4);
	return { ...header, weights: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) };
}
