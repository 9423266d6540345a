/**
 * Why this exists: contact reasons come from each deployment's own texts, not from a list written
 * for one industry. Discovery fits on a sample (at most `sampleSize` texts: the reasons of a
 * million texts show in tens of thousands) and then assigns every text with the same code ingest
 * uses, so the sizes shown are the sizes ingest will produce.
 *
 * Method, chosen by measuring options on the tuning halves of labelled public sets
 * (`npm run eval:reasons -- --tune`): words + bigrams → TF-IDF (sublinear tf, min/max document
 * frequency, stop words) → LSA (randomized SVD, 50 dimensions) → spherical k-means (k-means++,
 * 3 restarts) with k ≈ 0.7·√n (2..80) → near-duplicate centres merged, tiny clusters dissolved →
 * centres taken back to term space (mean TF-IDF of the members, cut to the strongest terms). LSA
 * beat k-means on the raw TF-IDF rows on every set (texts that share context but few words meet),
 * and 50 dimensions beat 100 and 200. k ≈ 0.7·√n balances agreement with the labels against the
 * number of reasons a person must read (0.5·√n lost on three sets of four; 1.0·√n gained on two,
 * lost on one, with 40% more reasons). Bigrams and restarts held or helped on all sets but one;
 * reading the first 1,000 characters scored about as well as more, at less cost per text.
 * Term-space centres keep the stored model small and assignment a sparse dot product.
 */
import type { Stage } from '../../../schemas/entities';
import {
	NO_TEXT_REASON_ID,
	OTHER_REASON_ID,
	REASON_MODEL_VERSION,
	type Reason,
	type ReasonModel
} from '../../../schemas/reasons';
import { assignWords, type ReasonAssignment } from './assign';
import { kmeansDense, kmeansSparse, lsa, seededRandom, shuffledIndices } from './cluster';
import { DEFAULT_MAX_CHARS, termsOf, textWords, type TextWords } from './features';
import { addSurfaceForms, displayTerm, nameOf, telling, type SurfaceForms } from './naming';
import { guessStage } from './stage';
import { buildVocabulary, tfidfMatrix, type Csr, type Vocabulary } from './vectorize';

export interface DiscoverOptions {
	/** Seed of every random choice: the same texts and seed give the same model. */
	seed?: number;
	/** 'lsa' (default) clusters LSA vectors; 'tfidf' clusters the sparse TF-IDF rows directly. */
	method?: 'lsa' | 'tfidf';
	/** LSA dimensions. */
	dims?: number;
	/** A fixed number of clusters before merging; otherwise round(kScale·√n) within kMin..kMax. */
	k?: number;
	kScale?: number;
	kMin?: number;
	kMax?: number;
	restarts?: number;
	maxIterations?: number;
	/** Reasons whose centres have at least this cosine are merged (1: never). */
	mergeThreshold?: number;
	/** Reasons with fewer texts than this share of the sample (and at least 3) are dissolved. */
	minReasonShare?: number;
	/** Terms kept per reason centre. */
	centroidTerms?: number;
	minDf?: number;
	maxDf?: number;
	maxTerms?: number;
	bigrams?: boolean;
	/** Characters read from the start of each text. */
	maxChars?: number;
	/** Below this cosine to every centre a text goes to "other". */
	minScore?: number;
	sampleSize?: number;
	/** Per-text intents from a source or a classifier (same order as texts): a hint for the stage. */
	intents?: readonly (string | null | undefined)[];
	/** Languages per text when already known (same order as texts). */
	languages?: readonly (string | null | undefined)[];
	/** Clock for `createdAt` (tests pass a fixed one). */
	now?: Date;
}

export type ResolvedOptions = Required<Omit<DiscoverOptions, 'k' | 'intents' | 'languages' | 'now'>> &
	Pick<DiscoverOptions, 'k' | 'intents' | 'languages' | 'now'>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
	seed: 1,
	method: 'lsa',
	dims: 50,
	kScale: Math.SQRT1_2,
	kMin: 2,
	kMax: 80,
	restarts: 3,
	maxIterations: 40,
	mergeThreshold: 0.6,
	minReasonShare: 0.002,
	centroidTerms: 150,
	minDf: 2,
	maxDf: 0.5,
	maxTerms: 40_000,
	bigrams: true,
	maxChars: DEFAULT_MAX_CHARS,
	minScore: 0.02,
	sampleSize: 30_000
};

export function resolveOptions(options: DiscoverOptions = {}): ResolvedOptions {
	const o = { ...DEFAULT_OPTIONS };
	for (const [key, value] of Object.entries(options))
		if (value !== undefined) (o as Record<string, unknown>)[key] = value;
	return o;
}

/** A fitted cluster before it gets an id. */
export interface FittedReason {
	centroid: { terms: number[]; weights: number[] };
	phrases: string[];
	examples: string[];
	stage: Stage;
}

export interface Fit {
	vocabulary: Vocabulary;
	reasons: FittedReason[];
	/** Per fitted text: reason index, −1 other, −2 no text. */
	labels: Int32Array;
}

export const NO_TEXT = -2;
export const OTHER = -1;

/** Discovers the reasons of a set of texts. */
export function discoverReasons(texts: readonly string[], options?: DiscoverOptions): ReasonModel {
	return discoverWithAssignments(texts, options).model;
}

/** Discovery plus the reason of every input text (what ingest would assign). */
export function discoverWithAssignments(
	texts: readonly string[],
	options?: DiscoverOptions
): { model: ReasonModel; assignments: ReasonAssignment[] } {
	const o = resolveOptions(options);
	const { sample, words, fit } = fitTexts(texts, o);
	const reasons = fit.reasons.map((r, j) => newReason(`r${j + 1}`, r));
	const model = assembleModel(fit.vocabulary, reasons, reasons.length + 1, texts.length, o);
	const assignments = assignAll(model, texts, o, sample, words);
	return { model: withSizes(model, assignments), assignments };
}

/** Samples the texts, reads their words and fits reasons on them. */
export function fitTexts(
	texts: readonly string[],
	o: ResolvedOptions,
	previous?: ReasonModel
): { sample: Int32Array; words: TextWords[]; fit: Fit } {
	const sample = sampleOf(texts.length, o);
	const words = Array.from(sample, (i) => textWords(texts[i]!, o.languages?.[i] ?? undefined, o.maxChars));
	const fit = fitReasons(
		Array.from(sample, (i) => texts[i]!),
		words,
		o,
		o.intents ? Array.from(sample, (i) => o.intents![i] ?? undefined) : undefined,
		previous
	);
	return { sample, words, fit };
}

/** A reason as discovery proposes it: automatic name, guessed stage, visible. */
export function newReason(id: string, r: FittedReason): Reason {
	return {
		id,
		kind: 'reason',
		name: nameOf(r.phrases),
		userNamed: false,
		hidden: false,
		stage: r.stage,
		stageGuessed: true,
		phrases: r.phrases,
		examples: r.examples,
		size: 0,
		centroids: [r.centroid],
		mergedIds: []
	};
}

export function sampleOf(n: number, o: ResolvedOptions): Int32Array {
	if (n <= o.sampleSize) return Int32Array.from({ length: n }, (_, i) => i);
	return shuffledIndices(n, seededRandom(o.seed ^ 0x5eed))
		.subarray(0, o.sampleSize)
		.sort();
}

export function assembleModel(
	vocabulary: Vocabulary,
	reasons: Reason[],
	nextId: number,
	textCount: number,
	o: ResolvedOptions
): ReasonModel {
	const reserved = (id: string, kind: 'no_text' | 'other', name: string): Reason => ({
		id,
		kind,
		name,
		userNamed: false,
		hidden: false,
		stage: 'after_sales',
		stageGuessed: true,
		phrases: [],
		examples: [],
		size: 0,
		centroids: [],
		mergedIds: []
	});
	return {
		version: REASON_MODEL_VERSION,
		createdAt: (o.now ?? new Date()).toISOString(),
		settings: { bigrams: o.bigrams, maxChars: o.maxChars, minScore: o.minScore, seed: o.seed },
		vocabulary: vocabulary.terms,
		idf: Array.from(vocabulary.idf, (x) => Math.round(x * 1e4) / 1e4),
		reasons: [
			...reasons,
			reserved(NO_TEXT_REASON_ID, 'no_text', 'no text'),
			reserved(OTHER_REASON_ID, 'other', 'other')
		],
		nextId,
		textCount
	};
}

/** Assignments of all texts: the fitted sample's words are reused, the rest are read anew. */
export function assignAll(
	model: ReasonModel,
	texts: readonly string[],
	o: ResolvedOptions,
	sample: Int32Array,
	words: TextWords[]
): ReasonAssignment[] {
	const out = new Array<ReasonAssignment>(texts.length);
	sample.forEach((i, s) => (out[i] = assignWords(model, words[s]!)));
	for (let i = 0; i < texts.length; i++) {
		if (!out[i]) out[i] = assignWords(model, textWords(texts[i]!, o.languages?.[i] ?? undefined, o.maxChars));
	}
	return out;
}

export function withSizes(model: ReasonModel, assignments: readonly ReasonAssignment[]): ReasonModel {
	const sizes = new Map<string, number>();
	for (const a of assignments) sizes.set(a.reasonId, (sizes.get(a.reasonId) ?? 0) + 1);
	return { ...model, reasons: model.reasons.map((r) => ({ ...r, size: sizes.get(r.id) ?? 0 })) };
}

/** Vocabulary, TF-IDF rows and display forms of a sample of texts. */
export function prepare(
	words: TextWords[],
	o: ResolvedOptions
): { vocabulary: Vocabulary; X: Csr; forms: SurfaceForms } {
	const forms: SurfaceForms = new Map();
	const docs = words.map((w) => {
		addSurfaceForms(forms, w.stems, w.surfaces);
		return termsOf(w, o.bigrams);
	});
	const content = docs.filter((d) => d.length > 0);
	const vocabulary = buildVocabulary(content, { minDf: o.minDf, maxDf: o.maxDf, maxTerms: o.maxTerms });
	return { vocabulary, X: tfidfMatrix(docs, vocabulary), forms };
}

export function chooseK(m: number, o: ResolvedOptions): number {
	if (o.k !== undefined) return Math.max(1, Math.min(o.k, m));
	return Math.max(1, Math.min(m, Math.max(o.kMin, Math.min(o.kMax, Math.round(o.kScale * Math.sqrt(m))))));
}

/** Fits reasons on a sample of texts (their words already extracted). */
export function fitReasons(
	texts: readonly string[],
	words: TextWords[],
	o: ResolvedOptions,
	intents?: readonly (string | undefined)[],
	previous?: ReasonModel
): Fit {
	const { vocabulary, X, forms } = prepare(words, o);
	const labels = new Int32Array(X.rows).fill(OTHER);
	const rows: number[] = [];
	for (let i = 0; i < X.rows; i++) {
		if (words[i]!.stems.length === 0) labels[i] = NO_TEXT;
		else if (X.ptr[i + 1]! > X.ptr[i]!) rows.push(i);
	}
	if (rows.length < 2) return { vocabulary, reasons: [], labels };
	let k = chooseK(rows.length, o);
	let seeds: Int32Array | undefined;
	if (previous) {
		// Re-discovery starts each old reason's cluster from the texts the old model gives it, and
		// leaves room for at least one new reason (unless at the cap), so unchanged data keeps its
		// clusters and a new topic has somewhere to go.
		const old = new Map(previous.reasons.filter((r) => r.kind === 'reason').map((r, i) => [r.id, i] as const));
		const raw = rows.map((i) => old.get(assignWords(previous, words[i]!).reasonId) ?? -1);
		const used = [...new Set(raw.filter((x) => x >= 0))].sort((a, b) => a - b);
		const dense = new Map(used.map((x, j) => [x, j]));
		seeds = Int32Array.from(raw, (x) => dense.get(x) ?? -1);
		k = Math.max(k, Math.min(used.length + 1, Math.max(o.kMax, used.length)));
	}
	const clusterOf = clusterRows(X, rows, k, o, seeds);
	const centres = termCentres(X, rows, clusterOf, o);
	const final = finalLabels(X, centres, o);
	const found = centres.length;
	const phraseIdx = telling(X, final.labels, found, vocabulary, 8);
	const reasons: FittedReason[] = centres.map((c, j) => {
		const phrases = phraseIdx[j]!.map((t) => displayTerm(forms, vocabulary.terms[t]!));
		return {
			centroid: c,
			phrases,
			examples: examplesOf(texts, final.labels, final.scores, j),
			stage: guessStage(phrases, intents ? majority(intents, final.labels, j) : undefined)
		};
	});
	for (let i = 0; i < X.rows; i++) if (labels[i] !== NO_TEXT) labels[i] = final.labels[i]!;
	// Largest first, so ids r1, r2 … read as a ranking on first discovery.
	const sizes = new Int32Array(found);
	for (const l of final.labels) if (l >= 0) sizes[l]!++;
	const order = [...reasons.keys()].sort((a, b) => sizes[b]! - sizes[a]! || a - b);
	const rank = new Int32Array(found);
	order.forEach((j, r) => (rank[j] = r));
	for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) labels[i] = rank[labels[i]!]!;
	return { vocabulary, reasons: order.map((j) => reasons[j]!), labels };
}

/** Cluster index (0..k') of each of `rows`, after merging near-duplicates and dissolving tiny ones. */
export function clusterRows(X: Csr, rows: number[], k: number, o: ResolvedOptions, seeds?: Int32Array): Int32Array {
	const sub = subMatrix(X, rows);
	const km = {
		seed: o.seed,
		restarts: o.restarts,
		maxIterations: o.maxIterations,
		init: 'kmeans++',
		spherical: true
	} as const;
	let labels: Int32Array;
	if (o.method === 'lsa') {
		const { z, dims } = lsa(sub, o.dims, o.seed);
		const initial = seeds && seedMeans(seeds, dims, (i, c, at) => addDense(z, dims, i, c, at));
		labels = kmeansDense(z, sub.rows, dims, k, { ...km, initial }).labels;
	} else {
		const initial = seeds && seedMeans(seeds, sub.cols, (i, c, at) => addSparse(sub, i, c, at));
		labels = kmeansSparse(sub, k, { ...km, initial }).labels;
	}
	return mergeAndDissolve(sub, labels, o);
}

/** Unit-length means of the rows carrying each seed label (0..g−1), g×d row-major. */
function seedMeans(seeds: Int32Array, d: number, add: (i: number, c: Float64Array, at: number) => void): Float64Array {
	let g = 0;
	for (const s of seeds) g = Math.max(g, s + 1);
	const c = new Float64Array(g * d);
	seeds.forEach((s, i) => s >= 0 && add(i, c, s * d));
	return normalizeEach(c, g, d);
}

function addDense(z: Float64Array, d: number, i: number, c: Float64Array, at: number): void {
	for (let t = 0; t < d; t++) c[at + t]! += z[i * d + t]!;
}

function addSparse(X: Csr, i: number, c: Float64Array, at: number): void {
	for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) c[at + X.idx[p]!]! += X.val[p]!;
}

function subMatrix(X: Csr, rows: number[]): Csr {
	const ptr = new Int32Array(rows.length + 1);
	rows.forEach((i, r) => (ptr[r + 1] = ptr[r]! + X.ptr[i + 1]! - X.ptr[i]!));
	const idx = new Int32Array(ptr[rows.length]!);
	const val = new Float64Array(ptr[rows.length]!);
	rows.forEach((i, r) => {
		idx.set(X.idx.subarray(X.ptr[i]!, X.ptr[i + 1]!), ptr[r]!);
		val.set(X.val.subarray(X.ptr[i]!, X.ptr[i + 1]!), ptr[r]!);
	});
	return { rows: rows.length, cols: X.cols, ptr, idx, val };
}

/** Sums of member rows per cluster (dense over the vocabulary). */
function clusterSums(X: Csr, labels: Int32Array, k: number): Float64Array[] {
	const sums = Array.from({ length: k }, () => new Float64Array(X.cols));
	for (let i = 0; i < X.rows; i++) {
		const l = labels[i]!;
		if (l < 0) continue;
		const s = sums[l]!;
		for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) s[X.idx[p]!]! += X.val[p]!;
	}
	return sums;
}

function cosine(a: Float64Array, b: Float64Array): number {
	let ab = 0;
	let aa = 0;
	let bb = 0;
	for (let t = 0; t < a.length; t++) {
		ab += a[t]! * b[t]!;
		aa += a[t]! * a[t]!;
		bb += b[t]! * b[t]!;
	}
	return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

function mergeAndDissolve(X: Csr, labels: Int32Array, o: ResolvedOptions): Int32Array {
	let k = 0;
	for (const l of labels) k = Math.max(k, l + 1);
	const sums = clusterSums(X, labels, k);
	const alive = new Array<boolean>(k).fill(true);
	const parent = Int32Array.from({ length: k }, (_, i) => i);
	// Merge the closest pair of centres while it is at least mergeThreshold apart in cosine.
	if (o.mergeThreshold < 1) {
		const sim = Array.from({ length: k }, () => new Float64Array(k));
		for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) sim[a]![b] = sim[b]![a] = cosine(sums[a]!, sums[b]!);
		for (;;) {
			let ba = -1;
			let bb = -1;
			let bs = o.mergeThreshold;
			for (let a = 0; a < k; a++) {
				if (!alive[a]) continue;
				for (let b = a + 1; b < k; b++) if (alive[b] && sim[a]![b]! >= bs) [ba, bb, bs] = [a, b, sim[a]![b]!];
			}
			if (ba < 0) break;
			const s = sums[ba]!;
			const t = sums[bb]!;
			for (let i = 0; i < s.length; i++) s[i]! += t[i]!;
			alive[bb] = false;
			parent[bb] = ba;
			for (let c = 0; c < k; c++) if (alive[c] && c !== ba) sim[ba]![c] = sim[c]![ba] = cosine(s, sums[c]!);
		}
	}
	const root = (c: number): number => (parent[c] === c ? c : root(parent[c]!));
	const merged = labels.map((l) => root(l));
	// Dissolve clusters too small to be a reason; their texts go to the nearest remaining centre.
	const sizes = new Int32Array(k);
	for (const l of merged) sizes[l]!++;
	const minSize = Math.max(3, Math.ceil(o.minReasonShare * X.rows));
	const keep = [...Array(k).keys()].filter((c) => alive[c] && sizes[c]! >= minSize);
	if (keep.length === 0) return new Int32Array(X.rows);
	const index = new Int32Array(k).fill(-1);
	keep.forEach((c, j) => (index[c] = j));
	const norms = keep.map((c) => Math.sqrt(sums[c]!.reduce((s, x) => s + x * x, 0)) || 1);
	const out = new Int32Array(X.rows);
	for (let i = 0; i < X.rows; i++) {
		const j = index[merged[i]!]!;
		if (j >= 0) {
			out[i] = j;
			continue;
		}
		let best = 0;
		let bs = -Infinity;
		keep.forEach((c, jj) => {
			let s = 0;
			for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) s += X.val[p]! * sums[c]![X.idx[p]!]!;
			s /= norms[jj]!;
			if (s > bs) [bs, best] = [s, jj];
		});
		out[i] = best;
	}
	return out;
}

/** The strongest `limit` terms of a dense centre, re-normalised. */
function truncate(c: Float64Array, limit: number): { terms: number[]; weights: number[] } {
	const idx: number[] = [];
	for (let t = 0; t < c.length; t++) if (c[t]! > 0) idx.push(t);
	idx.sort((a, b) => c[b]! - c[a]! || a - b);
	if (idx.length > limit) idx.length = limit;
	idx.sort((a, b) => a - b);
	const norm = Math.sqrt(idx.reduce((s, t) => s + c[t]! ** 2, 0)) || 1;
	return { terms: idx, weights: idx.map((t) => Math.round((c[t]! / norm) * 1e5) / 1e5) };
}

/**
 * Term-space centres: the mean TF-IDF row of each cluster, cut to its strongest terms. (k-means
 * passes in term space after this change nothing: in so sparse a space every text is nearest the
 * mean it is part of.)
 */
function termCentres(X: Csr, rows: number[], clusterOf: Int32Array, o: ResolvedOptions) {
	let k = 0;
	for (const l of clusterOf) k = Math.max(k, l + 1);
	return clusterSums(subMatrix(X, rows), clusterOf, k)
		.map((s) => truncate(s, o.centroidTerms))
		.filter((c) => c.terms.length > 0);
}

function normalizeEach(a: Float64Array, k: number, d: number): Float64Array {
	for (let j = 0; j < k; j++) {
		let s = 0;
		for (let t = 0; t < d; t++) s += a[j * d + t]! ** 2;
		const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
		for (let t = 0; t < d; t++) a[j * d + t]! *= inv;
	}
	return a;
}

/** Labels and cosines of all rows against truncated centres, exactly as assignment computes them. */
function finalLabels(X: Csr, centres: { terms: number[]; weights: number[] }[], o: ResolvedOptions) {
	const k = centres.length;
	const dense = new Float64Array(k * X.cols);
	centres.forEach((c, j) => c.terms.forEach((t, p) => (dense[j * X.cols + t] = c.weights[p]!)));
	const labels = new Int32Array(X.rows).fill(OTHER);
	const scores = new Float64Array(X.rows);
	for (let i = 0; i < X.rows; i++) {
		let best = -1;
		let bs = 0;
		for (let j = 0; j < k; j++) {
			let s = 0;
			for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) s += X.val[p]! * dense[j * X.cols + X.idx[p]!]!;
			if (s > bs) [bs, best] = [s, j];
		}
		scores[i] = bs;
		if (best >= 0 && bs >= o.minScore) labels[i] = best;
	}
	return { labels, scores };
}

function examplesOf(
	texts: readonly string[],
	labels: Int32Array,
	scores: Float64Array,
	j: number,
	limit = 5
): string[] {
	const members: number[] = [];
	for (let i = 0; i < labels.length; i++) if (labels[i] === j) members.push(i);
	members.sort((a, b) => scores[b]! - scores[a]! || a - b);
	const seen = new Set<string>();
	const out: string[] = [];
	for (const i of members) {
		const t = texts[i]!.replace(/\s+/g, ' ').trim();
		const key = t.toLowerCase().slice(0, 80);
		if (!t || seen.has(key)) continue;
		seen.add(key);
		out.push(t.length > 280 ? t.slice(0, 279) + '…' : t);
		if (out.length >= limit) break;
	}
	return out;
}

function majority(intents: readonly (string | undefined)[], labels: Int32Array, j: number): string | undefined {
	const counts = new Map<string, number>();
	for (let i = 0; i < labels.length; i++) {
		const v = intents[i];
		if (labels[i] === j && v) counts.set(v, (counts.get(v) ?? 0) + 1);
	}
	let best: string | undefined;
	let n = 0;
	for (const [v, c] of counts) if (c > n || (c === n && best !== undefined && v < best)) [best, n] = [v, c];
	return best;
}
