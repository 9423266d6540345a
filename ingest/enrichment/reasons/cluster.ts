/**
 * Why this exists: the numerical core of reason discovery, on typed arrays so that a fit on tens of
 * thousands of texts takes seconds — a seeded generator, LSA by randomized SVD (Halko et al.: a
 * random projection, power iterations, then a small exact eigen-problem solved by `ml-matrix`) and k-means, spherical (cosine, k-means++ seeding, restarts) on dense
 * LSA rows or on sparse TF-IDF rows. The plain baseline (Euclidean, random seeding, one run) is the
 * same sparse routine with other options, so the two are compared on equal footing.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Csr } from './vectorize';

/** mulberry32: small, fast and seedable, so every run with the same seed is identical. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
	const p = new Int32Array(n);
	for (let i = 0; i < n; i++) p[i] = i;
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		const t = p[i]!;
		p[i] = p[j]!;
		p[j] = t;
	}
	return p;
}

function gaussian(random: () => number): number {
	const u = 1 - random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * X (n×c sparse) · D (c×l dense, row-major) → n×l; with `transposed`, Xᵀ · D (D n×l) → c×l.
 * One loop over X's non-zeros serves both: only which side indexes the output swaps.
 */
function mulSparseDense(X: Csr, D: Float64Array, l: number, transposed = false): Float64Array {
	const out = new Float64Array((transposed ? X.cols : X.rows) * l);
	for (let i = 0; i < X.rows; i++) {
		for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) {
			const c = X.idx[p]!;
			const o = (transposed ? c : i) * l;
			const d = (transposed ? i : c) * l;
			const v = X.val[p]!;
			for (let j = 0; j < l; j++) out[o + j]! += v * D[d + j]!;
		}
	}
	return out;
}

function toMatrix(a: Float64Array, rows: number, cols: number): Matrix {
	const m = new Matrix(rows, cols);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]!);
	return m;
}

/**
 * Orthonormal columns spanning those of a (rows×cols, row-major): modified Gram–Schmidt, applied
 * twice ("twice is enough" for full orthogonality). On typed arrays because this runs on tall
 * matrices (tens of thousands of rows), where a general Matrix QR through get/set is far slower.
 */
export function orthonormal(a: Float64Array, rows: number, cols: number): Float64Array {
	const c = new Float64Array(rows * cols);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) c[j * rows + i] = a[i * cols + j]!;
	for (let pass = 0; pass < 2; pass++) {
		for (let j = 0; j < cols; j++) {
			const oj = j * rows;
			for (let p = 0; p < j; p++) {
				const op = p * rows;
				let dot = 0;
				for (let i = 0; i < rows; i++) dot += c[op + i]! * c[oj + i]!;
				if (dot !== 0) for (let i = 0; i < rows; i++) c[oj + i]! -= dot * c[op + i]!;
			}
			let norm = 0;
			for (let i = 0; i < rows; i++) norm += c[oj + i]! ** 2;
			norm = Math.sqrt(norm);
			// A column with nothing left is dependent on the others: drop it rather than amplify noise.
			const inv = norm > 1e-10 ? 1 / norm : 0;
			for (let i = 0; i < rows; i++) c[oj + i]! *= inv;
		}
	}
	const out = new Float64Array(rows * cols);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = c[j * rows + i]!;
	return out;
}

/**
 * LSA document vectors: the rank-`dims` truncated SVD of X, rows U·Σ, each row L2-normalised
 * (all-zero rows stay zero). Returns the row-major n×dims matrix and the dims actually used.
 */
export function lsa(X: Csr, dims: number, seed: number, powerIterations = 2): { z: Float64Array; dims: number } {
	const l = Math.max(1, Math.min(dims + 10, X.cols, X.rows));
	const d = Math.min(dims, l);
	const random = seededRandom(seed);
	const omega = new Float64Array(X.cols * l);
	for (let i = 0; i < omega.length; i++) omega[i] = gaussian(random);
	let q = orthonormal(mulSparseDense(X, omega, l), X.rows, l);
	// Power iterations sharpen the subspace; only the text side is re-orthonormalised (it is the
	// smaller side once bigrams are in the vocabulary, and double precision holds for a few steps).
	for (let it = 0; it < powerIterations; it++)
		q = orthonormal(mulSparseDense(X, mulSparseDense(X, q, l, true), l), X.rows, l);
	// B = Qᵀ X (l×c); the eigenvectors of B·Bᵀ rotate Q onto the left singular vectors.
	const bt = mulSparseDense(X, q, l, true);
	const bbt = new Float64Array(l * l);
	for (let r = 0; r < X.cols; r++) {
		const o = r * l;
		for (let i = 0; i < l; i++) {
			const v = bt[o + i]!;
			if (v === 0) continue;
			for (let j = i; j < l; j++) bbt[i * l + j]! += v * bt[o + j]!;
		}
	}
	for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
	const eig = new EigenvalueDecomposition(toMatrix(bbt, l, l), { assumeSymmetric: true });
	const values = eig.realEigenvalues;
	const vectors = eig.eigenvectorMatrix;
	const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
	const w = new Float64Array(l * d);
	for (let j = 0; j < d; j++) {
		const s = Math.sqrt(Math.max(0, values[order[j]!]!));
		for (let i = 0; i < l; i++) w[i * d + j] = vectors.get(i, order[j]!) * s;
	}
	const z = new Float64Array(X.rows * d);
	for (let r = 0; r < X.rows; r++) {
		for (let i = 0; i < l; i++) {
			const v = q[r * l + i]!;
			for (let j = 0; j < d; j++) z[r * d + j]! += v * w[i * d + j]!;
		}
	}
	normalizeRows(z, X.rows, d);
	return { z, dims: d };
}

export function normalizeRows(a: Float64Array, rows: number, cols: number): void {
	for (let r = 0; r < rows; r++) {
		let s = 0;
		for (let j = 0; j < cols; j++) s += a[r * cols + j]! ** 2;
		if (s === 0) continue;
		const inv = 1 / Math.sqrt(s);
		for (let j = 0; j < cols; j++) a[r * cols + j]! *= inv;
	}
}

export interface KMeansOptions {
	seed: number;
	/** Independent runs; the one with the best objective is kept. */
	restarts: number;
	maxIterations: number;
	init: 'kmeans++' | 'random';
	/** Cosine (centroids re-normalised) or plain Euclidean means. */
	spherical: boolean;
	/** Start from these centroids (g×d, g ≤ k; one run); the other k − g are seeded k-means++ style. */
	initial?: Float64Array;
}

export interface KMeansResult {
	labels: Int32Array;
	/** k×d row-major centroids. */
	centroids: Float64Array;
	k: number;
	/** Spherical: sum of cosine to the own centroid; Euclidean: minus the sum of squared distances. */
	objective: number;
}

/** The points as an abstraction over dense and sparse rows, so one k-means serves both. */
interface Points {
	n: number;
	d: number;
	/** Dot products of point i with every centroid into out[0..k). */
	dots(i: number, c: Float64Array, k: number, out: Float64Array): void;
	/** c[o..o+d) += point i. */
	addTo(i: number, c: Float64Array, o: number): void;
	dotCentroid(i: number, c: Float64Array, o: number): number;
}

function densePoints(x: Float64Array, n: number, d: number): Points {
	return {
		n,
		d,
		dots(i, c, k, out) {
			const o = i * d;
			for (let j = 0; j < k; j++) {
				let s = 0;
				const co = j * d;
				for (let t = 0; t < d; t++) s += x[o + t]! * c[co + t]!;
				out[j] = s;
			}
		},
		addTo(i, c, o) {
			for (let t = 0; t < d; t++) c[o + t]! += x[i * d + t]!;
		},
		dotCentroid(i, c, o) {
			let s = 0;
			for (let t = 0; t < d; t++) s += x[i * d + t]! * c[o + t]!;
			return s;
		}
	};
}

function sparsePoints(X: Csr): Points {
	const d = X.cols;
	return {
		n: X.rows,
		d,
		dots(i, c, k, out) {
			out.fill(0, 0, k);
			for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) {
				const t = X.idx[p]!;
				const v = X.val[p]!;
				for (let j = 0; j < k; j++) out[j]! += v * c[j * d + t]!;
			}
		},
		addTo(i, c, o) {
			for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) c[o + X.idx[p]!]! += X.val[p]!;
		},
		dotCentroid(i, c, o) {
			let s = 0;
			for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) s += X.val[p]! * c[o + X.idx[p]!]!;
			return s;
		}
	};
}

export function kmeansDense(x: Float64Array, n: number, d: number, k: number, o: KMeansOptions): KMeansResult {
	return kmeans(densePoints(x, n, d), k, o);
}

export function kmeansSparse(X: Csr, k: number, o: KMeansOptions): KMeansResult {
	return kmeans(sparsePoints(X), k, o);
}

function kmeans(P: Points, kWanted: number, o: KMeansOptions): KMeansResult {
	const k = Math.max(1, Math.min(kWanted, P.n));
	const random = seededRandom(o.seed);
	let best: KMeansResult | undefined;
	for (let run = 0; run < (o.initial ? 1 : Math.max(1, o.restarts)); run++) {
		const r = kmeansOnce(P, k, o, random);
		if (!best || r.objective > best.objective) best = r;
	}
	return best!;
}

/** Score of point i against centroid j given its dot product (higher is closer). */
function closeness(dot: number, norm2: number, spherical: boolean): number {
	return spherical ? dot : dot - norm2 / 2;
}

function kmeansOnce(P: Points, k: number, o: KMeansOptions, random: () => number): KMeansResult {
	const { n, d } = P;
	const c = new Float64Array(k * d);
	const norm2 = new Float64Array(k);
	const dots = new Float64Array(k);
	const given = o.initial ? Math.min(k, Math.floor(o.initial.length / d)) : 0;
	if (o.initial) c.set(o.initial.subarray(0, given * d));
	seedCentroids(P, c, k, o.init, random, given);
	for (let j = 0; j < k; j++) norm2[j] = centroidNorm2(c, j * d, d);
	const labels = new Int32Array(n).fill(-1);
	const score = new Float64Array(n);
	let objective = 0;
	for (let it = 0; it < o.maxIterations; it++) {
		let changed = 0;
		objective = 0;
		for (let i = 0; i < n; i++) {
			P.dots(i, c, k, dots);
			let bj = 0;
			let bs = -Infinity;
			for (let j = 0; j < k; j++) {
				const s = closeness(dots[j]!, norm2[j]!, o.spherical);
				if (s > bs) {
					bs = s;
					bj = j;
				}
			}
			if (labels[i] !== bj) changed++;
			labels[i] = bj;
			score[i] = bs;
			objective += bs;
		}
		if (it > 0 && changed <= n * 0.001) break;
		const counts = new Int32Array(k);
		c.fill(0);
		for (let i = 0; i < n; i++) {
			counts[labels[i]!]!++;
			P.addTo(i, c, labels[i]! * d);
		}
		for (let j = 0; j < k; j++) {
			if (counts[j] === 0) {
				// An emptied cluster restarts at the point worst served by its centroid.
				let worst = 0;
				for (let i = 1; i < n; i++) if (score[i]! < score[worst]!) worst = i;
				score[worst] = Infinity;
				P.addTo(worst, c, j * d);
				counts[j] = 1;
			}
			finishCentroid(c, j * d, d, counts[j]!, o.spherical);
			norm2[j] = centroidNorm2(c, j * d, d);
		}
	}
	return { labels, centroids: c, k, objective };
}

function centroidNorm2(c: Float64Array, o: number, d: number): number {
	let s = 0;
	for (let t = 0; t < d; t++) s += c[o + t]! ** 2;
	return s;
}

function finishCentroid(c: Float64Array, o: number, d: number, count: number, spherical: boolean): void {
	let s = 0;
	if (spherical) s = Math.sqrt(centroidNorm2(c, o, d));
	const inv = spherical ? (s > 0 ? 1 / s : 0) : 1 / count;
	for (let t = 0; t < d; t++) c[o + t]! *= inv;
}

/** Seeds centroids given..k−1 (those before `given` are already set). */
function seedCentroids(
	P: Points,
	c: Float64Array,
	k: number,
	init: 'kmeans++' | 'random',
	random: () => number,
	given: number
) {
	const { n, d } = P;
	if (given >= k) return;
	if (init === 'random') {
		const p = shuffledIndices(n, random);
		for (let j = given; j < k; j++) P.addTo(p[j]!, c, j * d);
		return;
	}
	// k-means++ on cosine distance (rows are unit length, so 1 − cos is half the squared distance).
	const dist = new Float64Array(n).fill(Infinity);
	let pick = Math.floor(random() * n);
	for (let j = 0; j < k; j++) {
		if (j >= given) P.addTo(pick, c, j * d);
		let total = 0;
		for (let i = 0; i < n; i++) {
			const di = Math.max(0, 1 - P.dotCentroid(i, c, j * d));
			if (di < dist[i]!) dist[i] = di;
			total += dist[i]! * dist[i]!;
		}
		if (j + 1 === k || j + 1 < given) continue;
		if (given > 0) {
			// Adding to known centroids (re-discovery): take the text worst served so far, so a
			// group of new texts unlike every old reason gets the new centroid, not chance.
			pick = 0;
			for (let i = 1; i < n; i++) if (dist[i]! > dist[pick]!) pick = i;
			continue;
		}
		let r = random() * total;
		pick = n - 1;
		for (let i = 0; i < n; i++) {
			r -= dist[i]! * dist[i]!;
			if (r <= 0) {
				pick = i;
				break;
			}
		}
	}
}
