/**
 * Why this exists: the English sentiment models learn word weights and vectors only for words in
 * their training texts. A word they never saw ("spunky", "ribald", "torpor") adds
 * nothing to the score, though it often carries the sentiment. Pretrained vectors know far more
 * words: at training time each unseen word among GloVe's most frequent 200,000 is matched to its
 * nearest training word by cosine similarity (kept when ≥ `minCosine`), and at scoring time an
 * unseen word is read as that neighbour ("spunky" → "vivacious", "ribald" → "bawdy") — by every
 * English sentiment model, the n-gram ones included. Intents do not use it: their vocabulary is
 * another one.
 *
 * Stored as `<name>.json`: a header and `pairs`, [unseen word, training word] rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isNegated, NEGATION_MARK, unmarked } from './tokenize';

export interface NeighboursHeader {
	name: string;
	/** Where the vectors come from, and which words were candidates. */
	vectors: string;
	/** A pair is kept when the two words' cosine similarity is at least this. */
	minCosine: number;
	trainedAt: string;
}

export interface Neighbours extends NeighboursHeader {
	/** Unseen word → the training word read in its place. */
	map: Map<string, string>;
}

/**
 * Nearest training word of each candidate: `vectors` holds one `dim`-long row per word of `words`;
 * `targets` and `candidates` are row numbers. Cosine similarity, exhaustive (run once, at training).
 */
export function nearestWords(
	words: string[],
	vectors: Float32Array,
	dim: number,
	targets: number[],
	candidates: number[],
	minCosine: number
): [string, string][] {
	const unit = (rows: number[]) => {
		const out = new Float32Array(rows.length * dim);
		rows.forEach((r, i) => {
			let norm = 0;
			for (let d = 0; d < dim; d++) norm += vectors[r * dim + d]! ** 2;
			const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
			for (let d = 0; d < dim; d++) out[i * dim + d] = vectors[r * dim + d]! * s;
		});
		return out;
	};
	const t = unit(targets);
	const c = unit(candidates);
	// Four candidates per pass over the targets: each target row is read once for all four.
	const pairs: [string, string][] = [];
	const best = new Int32Array(4);
	const bestSim = new Float64Array(4);
	const dots = new Float64Array(4);
	for (let i = 0; i < candidates.length; i += 4) {
		const k = Math.min(4, candidates.length - i);
		best.fill(-1);
		bestSim.fill(minCosine);
		const c0 = i * dim;
		const c1 = k > 1 ? c0 + dim : c0;
		const c2 = k > 2 ? c0 + 2 * dim : c0;
		const c3 = k > 3 ? c0 + 3 * dim : c0;
		for (let j = 0; j < targets.length; j++) {
			const tj = j * dim;
			let d0 = 0;
			let d1 = 0;
			let d2 = 0;
			let d3 = 0;
			for (let d = 0; d < dim; d++) {
				const x = t[tj + d]!;
				d0 += c[c0 + d]! * x;
				d1 += c[c1 + d]! * x;
				d2 += c[c2 + d]! * x;
				d3 += c[c3 + d]! * x;
			}
			dots[0] = d0;
			dots[1] = d1;
			dots[2] = d2;
			dots[3] = d3;
			for (let q = 0; q < 4; q++)
				if (dots[q]! >= bestSim[q]!) {
					bestSim[q] = dots[q]!;
					best[q] = j;
				}
		}
		for (let q = 0; q < k; q++) if (best[q]! >= 0) pairs.push([words[candidates[i + q]!]!, words[targets[best[q]!]!]!]);
	}
	return pairs;
}

export function saveNeighbours(header: NeighboursHeader, pairs: [string, string][], base: string): void {
	writeFileSync(`${base}.json`, JSON.stringify({ ...header, pairs }) + '\n');
}

export function loadNeighbours(base: string): Neighbours {
	const { pairs, ...header } = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as NeighboursHeader & {
		pairs: [string, string][];
	};
	return { ...header, map: new Map(pairs) };
}

/**
 * The tokens with each unseen word replaced by its neighbour (negation mark kept), or undefined
 * when no token changes (the caller then reuses what it computed for the original tokens).
 */
export function withNeighbours(tokens: string[], neighbours: Neighbours): string[] | undefined {
	let out: string[] | undefined;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i]!;
		const negated = isNegated(t);
		const hit = neighbours.map.get(unmarked(t));
		if (hit === undefined) continue;
		out ??= tokens.slice();
		out[i] = negated ? NEGATION_MARK + hit : hit;
	}
	return out;
}
