/**
 * Why this exists: the models are linear over hashed features (the "hashing trick"), so there is
 * no vocabulary to store or ship: a feature's index is a hash of its string modulo 2^bits. Features
 * are word unigrams and bigrams (negation-marked), plus character n-grams inside words for English
 * (robust to typos and unseen inflections) and character uni/bigrams for Chinese (robust to
 * segmentation mistakes).
 */
import { isPunctuation } from './tokenize';

export interface SparseVector {
	idx: Int32Array;
	val: Float32Array;
}

/** FNV-1a over UTF-16 code units, seeded per feature family. */
function hash(s: string, seed: number): number {
	let h = (0x811c9dc5 ^ seed) >>> 0;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * Hashed, de-duplicated, L2-normalised binary features of a token list. `text` (the cleaned text)
 * feeds the Chinese character n-grams.
 */
export function featurize(tokens: string[], text: string, language: string, bits: number): SparseVector {
	const mask = (1 << bits) - 1;
	const seen = new Map<number, number>();
	const add = (s: string, seed: number, w = 1) => {
		const i = hash(s, seed) & mask;
		seen.set(i, (seen.get(i) ?? 0) + w);
	};
	let prev = '<s>';
	for (const t of tokens) {
		if (isPunctuation(t)) {
			prev = '<s>';
			continue;
		}
		add(t, 1);
		add(prev + ' ' + t, 2);
		prev = t;
		if (language !== 'zh' && t.length >= 4) {
			const w = t[0] === '!' ? t : '<' + t + '>';
			for (let i = 0; i + 4 <= w.length; i++) add(w.slice(i, i + 4), 3, 0.5);
		}
	}
	if (prev !== '<s>') add(prev + ' </s>', 2);
	if (language === 'zh') {
		let p = '';
		for (const ch of text) {
			if (ch === ' ') {
				p = '';
				continue;
			}
			add(ch, 4, 0.5);
			if (p) add(p + ch, 5, 0.5);
			p = ch;
		}
	}
	const n = seen.size;
	const idx = new Int32Array(n);
	const val = new Float32Array(n);
	let norm = 0;
	let k = 0;
	for (const [i, v] of seen) {
		const x = Math.min(v, 2);
		idx[k] = i;
		val[k] = x;
		norm += x * x;
		k++;
	}
	if (norm > 0) {
		const inv = 1 / Math.sqrt(norm);
		for (let j = 0; j < n; j++) val[j]! *= inv;
	}
	return { idx, val };
}
