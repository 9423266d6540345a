/**
 * Why this exists: the n-gram model, the CNN and the deep-averaging network all read a sentence as
 * a bag of words or short windows, so they err together on sentences whose sense turns on order
 * ("not as bad as the trailer, but still no reason to go"). A bidirectional LSTM reads the words in
 * order, so it corrects the ensemble where order decides. It is also the slowest part, so analyze.ts
 * runs it only for texts the first-stage ensemble is unsure about (its |logit| below `cascade`).
 *
 * Its word vectors start from the same GloVe vectors as the DAN's and are fine-tuned with the LSTM
 * (on the DAN's own frozen vectors it could only learn what the DAN knows already).
 * It shares the DAN's vocabulary list, so it stores no words. Trained by
 * scripts/train-text-lstm.py (PyTorch, a training-time tool only); scored here in TypeScript.
 *
 * Stored as `<name>.json` (header, with reference logits the scorer must reproduce) and
 * `<name>.bin`: Float32 — for the forward then the backward direction W_ih (4H × dim), W_hh
 * (4H × H), bias (4H; PyTorch's two biases added), gates in PyTorch order i, f, g, o — then the
 * output layer's 4H weights (max-pooled states, then mean-pooled) and its bias; then one Float32
 * scale per word and the int8 word vectors (vocabulary order of sentiment-en-dan).
 */
import { sigmoid } from './linear';
import { dequantizeRows, readModelFiles } from './model-file';
import type { DanModel } from './embedding';
import { unmarked } from './tokenize';

export interface LstmHeader {
	name: string;
	hidden: number;
	dim: number;
	/** Where the word vectors come from. */
	vectors: string;
	/** Words in the table: the vocabulary of sentiment-en-dan, in its order. */
	vocabSize: number;
	trainedOn: string[];
	trainedAt: string;
	/**
	 * The second stage, fitted on SST-2 dev: [intercept, weight of the first ensemble's logit,
	 * weight of this network's logit].
	 */
	combine: [number, number, number];
	/** analyze.ts runs the second stage only where the first ensemble's logit is within ±cascade. */
	cascade: number;
	/** Token lists and the logits PyTorch gave them: tests check the scorer reproduces them. */
	reference: { tokens: string[]; logit: number }[];
}

interface Direction {
	wih: Float32Array;
	whh: Float32Array;
	b: Float32Array;
}

export interface LstmModel extends LstmHeader {
	dirs: [Direction, Direction];
	out: Float32Array;
	outBias: number;
	/** vocabSize × dim word vectors. */
	emb: Float32Array;
	/** Input projections (W_ih·x + b) of words already seen, per direction: a bounded cache. */
	proj: Map<number, Float32Array>;
}

/** Words whose input projections are kept (each 8H floats: 2 KB at H = 64). */
const PROJ_CACHE = 16_384;

export function loadLstm(basePath: string): LstmModel {
	/** Float32 weights before the word table. */
	const weightCount = (h: LstmHeader) => 2 * 4 * h.hidden * (h.dim + h.hidden + 1) + 4 * h.hidden + 1;
	const { header, bytes } = readModelFiles<LstmHeader>(basePath, (h) => weightCount(h) * 4 + h.vocabSize * (4 + h.dim));
	const { hidden: H, dim: D, vocabSize: V } = header;
	const G = 4 * H;
	const weights = weightCount(header);
	const all = new Float32Array(bytes.buffer, 0, weights + V);
	let off = 0;
	const take = (n: number) => all.subarray(off, (off += n));
	const dir = (): Direction => ({ wih: take(G * D), whh: take(G * H), b: take(G) });
	const dirs: [Direction, Direction] = [dir(), dir()];
	const out = take(4 * H);
	const outBias = take(1)[0]!;
	const emb = dequantizeRows(bytes, (weights + V) * 4, take(V), D);
	return { ...header, dirs, out, outBias, emb, proj: new Map() };
}

/**
 * The second stage: where the first ensemble's logit is within ±cascade, the fitted combination of
 * it and this network's logit (`net`, computed only then); elsewhere the first logit unchanged.
 */
export function secondStage(m: Pick<LstmHeader, 'cascade' | 'combine'>, first: number, net: () => number): number {
	if (Math.abs(first) >= m.cascade) return first;
	const [b, wFirst, wNet] = m.combine;
	return b + wFirst * first + wNet * net();
}

/** W_ih·x + b of word `id` for both directions (2 × 4H). */
function projection(m: LstmModel, id: number): Float32Array {
	let p = m.proj.get(id);
	if (p) return p;
	const { hidden: H, dim: D } = m;
	const G = 4 * H;
	p = new Float32Array(2 * G);
	const x = m.emb.subarray(id * D, id * D + D);
	for (let d = 0; d < 2; d++) {
		const { wih, b } = m.dirs[d]!;
		for (let g = 0; g < G; g++) {
			let s = b[g]!;
			const row = g * D;
			for (let k = 0; k < D; k++) s += wih[row + k]! * x[k]!;
			p[d * G + g] = s;
		}
	}
	if (m.proj.size >= PROJ_CACHE) m.proj.clear();
	m.proj.set(id, p);
	return p;
}

/** tanh through one exp (V8's Math.tanh costs several): 2σ(2x) − 1. */
const tanh = (x: number) => 2 / (1 + Math.exp(-2 * x)) - 1;

/** Vocabulary ids of the known words, negation marks dropped (the LSTM reads word order itself). */
export function lstmIds(words: Pick<DanModel, 'index'>, tokens: string[]): number[] {
	const ids: number[] = [];
	for (const t of tokens) {
		const id = words.index.get(unmarked(t));
		if (id !== undefined) ids.push(id);
	}
	return ids;
}

/** The network's logit for a token list (0 when no word is known); `words` is the DAN (its vocabulary). */
export function lstmLogit(m: LstmModel, words: Pick<DanModel, 'index'>, tokens: string[]): number {
	return lstmLogitOfIds(m, lstmIds(words, tokens));
}

/** The network's logit for its input ids (lstmIds; 0 when there are none). */
export function lstmLogitOfIds(m: LstmModel, ids: number[]): number {
	const T = ids.length;
	if (T === 0) return 0;
	const H = m.hidden;
	const G = 4 * H;
	const projs = ids.map((id) => projection(m, id));
	const max = new Float32Array(2 * H).fill(-Infinity);
	const sum = new Float32Array(2 * H);
	let h = new Float32Array(H);
	let next = new Float32Array(H);
	const c = new Float32Array(H);
	for (let d = 0; d < 2; d++) {
		const { whh } = m.dirs[d]!;
		h.fill(0);
		c.fill(0);
		for (let s = 0; s < T; s++) {
			const p = projs[d === 0 ? s : T - 1 - s]!;
			const o = d * G;
			// Unit j's four gates (rows j, H+j, 2H+j, 3H+j of W_hh) in one pass over h: each h[k]
			// is read once for four multiply-adds (the hot loop).
			for (let j = 0; j < H; j++) {
				const ri = j * H;
				const rf = (H + j) * H;
				const rg = (2 * H + j) * H;
				const ro = (3 * H + j) * H;
				let ai = p[o + j]!;
				let af = p[o + H + j]!;
				let ag = p[o + 2 * H + j]!;
				let ao = p[o + 3 * H + j]!;
				for (let k = 0; k < H; k++) {
					const hk = h[k]!;
					ai += whh[ri + k]! * hk;
					af += whh[rf + k]! * hk;
					ag += whh[rg + k]! * hk;
					ao += whh[ro + k]! * hk;
				}
				const cj = sigmoid(af) * c[j]! + sigmoid(ai) * tanh(ag);
				c[j] = cj;
				const hj = sigmoid(ao) * tanh(cj);
				next[j] = hj;
				if (hj > max[d * H + j]!) max[d * H + j] = hj;
				sum[d * H + j]! += hj;
			}
			[h, next] = [next, h];
		}
	}
	let z = m.outBias;
	for (let j = 0; j < 2 * H; j++) z += m.out[j]! * max[j]! + m.out[2 * H + j]! * (sum[j]! / T);
	return z;
}
