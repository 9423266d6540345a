/**
 * Why this exists: the models are linear over hashed features (the "hashing trick"), so there is
 * no vocabulary to store or ship: a feature's index is a hash of its string modulo 2^bits. Features
 * are word unigrams and bigrams (negation-marked), plus character n-grams inside words for English
 * (robust to typos and unseen inflections) and character uni/bigrams for Chinese (robust to
 * segmentation mistakes).
 */
import { isNegated, isPunctuation } from './tokenize';

export interface SparseVector {
	idx: Int32Array;
	val: Float32Array;
}

const FNV_PRIME = 0x01000193;
/** FNV-1a over UTF-16 code units, seeded per feature family; `feed` continues a hash. */
function seedHash(seed: number): number {
	return (0x811c9dc5 ^ seed) >>> 0;
}
function feed(h: number, s: string, from = 0, to = s.length): number {
	for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
	return h;
}
const SPACE = 32;

/**
 * Hashed, de-duplicated, L2-normalised binary features of a token list. `text` (the cleaned text)
 * feeds the Chinese character n-grams. Hashes are computed without building the n-gram strings
 * (same values as hashing `prev + ' ' + t`): this runs on every text at ingest.
 */
// Scratch open-addressing table reused by every call (a Map per text was the main cost). Large
// enough for the longest scored text (MAX_SCORED_CHARS) at a low load factor.
const CAP = 1 << 15;
const slotKey = new Int32Array(CAP);
const slotVal = new Float32Array(CAP);
const slotGen = new Uint32Array(CAP);
const used = new Int32Array(CAP);
let generation = 0;

export function featurize(tokens: string[], text: string, language: string, bits: number): SparseVector {
	const mask = (1 << bits) - 1;
	if (++generation === 0xffffffff) {
		slotGen.fill(0);
		generation = 1;
	}
	const gen = generation;
	let n = 0;
	const add = (h: number, w: number) => {
		const i = (h >>> 0) & mask;
		let slot = Math.imul(i, 0x9e3779b1) >>> 17;
		for (;;) {
			if (slotGen[slot] !== gen) {
				if (n >= CAP >> 1) return; // pathological input: ignore further features
				slotGen[slot] = gen;
				slotKey[slot] = i;
				slotVal[slot] = w;
				used[n++] = slot;
				return;
			}
			if (slotKey[slot] === i) {
				slotVal[slot]! += w;
				return;
			}
			slot = (slot + 1) & (CAP - 1);
		}
	};
	let prev = '<s>';
	for (const t of tokens) {
		if (isPunctuation(t)) {
			prev = '<s>';
			continue;
		}
		add(feed(seedHash(1), t), 1);
		add(feed(Math.imul(feed(seedHash(2), prev) ^ SPACE, FNV_PRIME), t), 1);
		prev = t;
		if (language !== 'zh' && t.length >= 4) {
			// Character 4-grams of "<word>" (or "!word" in a negation scope).
			const w = isNegated(t) ? t : '<' + t + '>';
			for (let i = 0; i + 4 <= w.length; i++) add(feed(seedHash(3), w, i, i + 4), 0.5);
		}
	}
	if (prev !== '<s>') add(feed(Math.imul(feed(seedHash(2), prev) ^ SPACE, FNV_PRIME), '</s>'), 1);
	if (language === 'zh') {
		// Character unigrams and bigrams (by UTF-16 unit: Han characters are single units).
		let p = -1;
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c === SPACE) {
				p = -1;
				continue;
			}
			add(Math.imul(seedHash(4) ^ c, FNV_PRIME), 0.5);
			if (p >= 0) add(Math.imul(Math.imul(seedHash(5) ^ p, FNV_PRIME) ^ c, FNV_PRIME), 0.5);
			p = c;
		}
	}
	const idx = new Int32Array(n);
	const val = new Float32Array(n);
	let norm = 0;
	for (let k = 0; k < n; k++) {
		const slot = used[k]!;
		const x = Math.min(slotVal[slot]!, 2);
		idx[k] = slotKey[slot]!;
		val[k] = x;
		norm += x * x;
	}
	if (norm > 0) {
		const inv = 1 / Math.sqrt(norm);
		for (let j = 0; j < n; j++) val[j]! *= inv;
	}
	return { idx, val };
}
