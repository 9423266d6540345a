/**
 * Why this exists: ingest assigns every new text to a reason, so this path must be cheap and
 * deterministic. A model is compiled once (kept per model object) into an inverted index — for each
 * vocabulary term, the reasons whose centre holds it and the weight — so a text costs its own
 * terms, not reasons × vocabulary. The score is the cosine between the text's TF-IDF vector and
 * the reason centre (centres are unit length); below `settings.minScore`, or with no known term,
 * the text goes to "other"; with no content word at all, to "no text".
 */
import { NO_TEXT_REASON_ID, OTHER_REASON_ID, type ReasonModel } from '../../../schemas/reasons';
import { foldEnglish, partLanguage, readPart, scanEnglish, stopSet, textWords, type TextWords } from './features';

export interface ReasonAssignment {
	reasonId: string;
	/** Cosine to the reason centre, 0..1 (0 for "no text" and texts without known terms). */
	score: number;
}

interface Compiled {
	/** Every word of the vocabulary (alone or in a bigram) → a word number. */
	words: Map<string, number>;
	/** Word number → its unigram term, or −1. */
	unigram: Int32Array;
	/** Bigrams by first word (CSR: second words sorted, with their terms), so no string is built
	 * and no hash computed per bigram. */
	bigramPtr: Int32Array;
	bigramSecond: Int32Array;
	bigramTerm: Int32Array;
	idf: Float64Array;
	/** Postings per term: centres (positions in `ids`) and weights, CSR by term. */
	ptr: Int32Array;
	reason: Int32Array;
	weight: Float64Array;
	ids: string[];
	bigrams: boolean;
	minScore: number;
	acc: Float64Array;
	/** Scratch per-term counts and the terms touched (reset after each text, not reallocated). */
	tf: Int32Array;
	touched: Int32Array;
	/** English words as read → word number, SKIP (a stop word) or UNKNOWN; filled as texts come. */
	english: Map<string, number>;
}

const SKIP = -2;
const UNKNOWN = -1;
/** Distinct English words remembered per model before the memo starts again. */
const ENGLISH_MEMO = 200_000;

const compiledModels = new WeakMap<ReasonModel, Compiled>();

function compile(model: ReasonModel): Compiled {
	const words = new Map<string, number>();
	const wordOf = (w: string) => {
		let id = words.get(w);
		if (id === undefined) words.set(w, (id = words.size));
		return id;
	};
	const unigramOf = new Map<number, number>();
	const pairs: [number, number, number][] = [];
	model.vocabulary.forEach((t, i) => {
		const sp = t.indexOf(' ');
		if (sp < 0) unigramOf.set(wordOf(t), i);
		else pairs.push([wordOf(t.slice(0, sp)), wordOf(t.slice(sp + 1)), i]);
	});
	const unigram = new Int32Array(words.size).fill(-1);
	for (const [w, i] of unigramOf) unigram[w] = i;
	pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const bigramPtr = new Int32Array(words.size + 1);
	for (const [a] of pairs) bigramPtr[a + 1]!++;
	for (let w = 0; w < words.size; w++) bigramPtr[w + 1]! += bigramPtr[w]!;
	const real = model.reasons.filter((r) => r.kind === 'reason');
	// One row per centre; a merged reason's centres all answer for it.
	const centres = real.flatMap((r, j) => r.centroids.map((c) => ({ c, j })));
	const counts = new Int32Array(model.vocabulary.length + 1);
	for (const { c } of centres) for (const t of c.terms) counts[t + 1]!++;
	for (let i = 0; i < model.vocabulary.length; i++) counts[i + 1]! += counts[i]!;
	const ptr = Int32Array.from(counts);
	const fill = Int32Array.from(counts);
	const reason = new Int32Array(ptr[model.vocabulary.length]!);
	const weight = new Float64Array(reason.length);
	centres.forEach(({ c }, row) => {
		c.terms.forEach((t, p) => {
			const at = fill[t]!++;
			reason[at] = row;
			weight[at] = c.weights[p]!;
		});
	});
	return {
		words,
		unigram,
		bigramPtr,
		bigramSecond: Int32Array.from(pairs, (p) => p[1]),
		bigramTerm: Int32Array.from(pairs, (p) => p[2]),
		idf: Float64Array.from(model.idf),
		ptr,
		reason,
		weight,
		ids: centres.map(({ j }) => real[j]!.id),
		bigrams: model.settings.bigrams,
		minScore: model.settings.minScore,
		acc: new Float64Array(centres.length),
		tf: new Int32Array(model.vocabulary.length),
		touched: new Int32Array(model.vocabulary.length),
		english: new Map()
	};
}

function compiled(model: ReasonModel): Compiled {
	let c = compiledModels.get(model);
	if (!c) {
		c = compile(model);
		compiledModels.set(model, c);
	}
	return c;
}

/** The reason of one text (see the module comment for the rules). */
export function assignReason(model: ReasonModel, text: string, language?: string): ReasonAssignment {
	const { reasonId, score } = assignText(model, text, language);
	return { reasonId, score };
}

/** assignReason, with the number of content words the text had (ingest's "no text" rule needs it). */
export function assignText(
	model: ReasonModel,
	text: string,
	language?: string
): ReasonAssignment & { contentWords: number } {
	const part = readPart(text, model.settings.maxChars);
	const lang = partLanguage(part, language);
	if (lang === 'en') return assignEnglish(compiled(model), part);
	const words = textWords(text, lang, model.settings.maxChars);
	let contentWords = 0;
	for (const w of words.stems) if (w) contentWords++;
	return { ...assignWords(model, words), contentWords };
}

/**
 * English texts skip the word lists: each word as read is looked up once per model (stop word,
 * unknown, or its word number after folding) and scored straight away. The same terms as
 * textWords + assignWords, so the same reason.
 */
function assignEnglish(c: Compiled, part: string): ReasonAssignment & { contentWords: number } {
	const { tf, touched, english } = c;
	let n = 0;
	let prev = -1;
	let contentWords = 0;
	scanEnglish(
		part,
		(word) => {
			let w = english.get(word);
			if (w === undefined) {
				w = stopSet('en').has(word) ? SKIP : (c.words.get(foldEnglish(word)) ?? UNKNOWN);
				if (english.size >= ENGLISH_MEMO) english.clear();
				english.set(word, w);
			}
			if (w === SKIP) return;
			contentWords++;
			if (w === UNKNOWN) {
				prev = -1;
				return;
			}
			if (c.unigram[w]! >= 0 && tf[c.unigram[w]!]!++ === 0) touched[n++] = c.unigram[w]!;
			if (prev >= 0 && c.bigrams) {
				const t = bigramTerm(c, prev, w);
				if (t >= 0 && tf[t]!++ === 0) touched[n++] = t;
			}
			prev = w;
		},
		() => {
			prev = -1;
		}
	);
	if (contentWords === 0) return { reasonId: NO_TEXT_REASON_ID, score: 0, contentWords };
	return { ...nearest(c, n), contentWords };
}

/** The term of the bigram (first word, second word), or −1: a binary search among the bigrams of the first. */
function bigramTerm(c: Compiled, first: number, second: number): number {
	let lo = c.bigramPtr[first]!;
	let hi = c.bigramPtr[first + 1]! - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const v = c.bigramSecond[mid]!;
		if (v === second) return c.bigramTerm[mid]!;
		if (v < second) lo = mid + 1;
		else hi = mid - 1;
	}
	return -1;
}

/** Assignment from already-extracted words (discovery has them at hand). */
export function assignWords(model: ReasonModel, words: TextWords): ReasonAssignment {
	if (words.stems.length === 0) return { reasonId: NO_TEXT_REASON_ID, score: 0 };
	const c = compiled(model);
	const { tf, touched } = c;
	let n = 0;
	const add = (j: number) => {
		if (tf[j]!++ === 0) touched[n++] = j;
	};
	// The same terms as termsOf (words and adjacent-word bigrams), looked up by word number.
	let prev = -1;
	for (const s of words.stems) {
		if (!s) {
			prev = -1;
			continue;
		}
		const w = c.words.get(s);
		if (w === undefined) {
			prev = -1;
			continue;
		}
		if (c.unigram[w]! >= 0) add(c.unigram[w]!);
		if (prev >= 0 && c.bigrams) {
			const t = bigramTerm(c, prev, w);
			if (t >= 0) add(t);
		}
		prev = w;
	}
	return nearest(c, n);
}

/** The nearest centre to the n terms counted in `tf`/`touched` (and those counts reset). */
function nearest(c: Compiled, n: number): ReasonAssignment {
	const { tf, touched } = c;
	if (n === 0) return { reasonId: OTHER_REASON_ID, score: 0 };
	const acc = c.acc;
	acc.fill(0);
	let norm = 0;
	for (let q = 0; q < n; q++) {
		const j = touched[q]!;
		const x = (1 + Math.log(tf[j]!)) * c.idf[j]!;
		tf[j] = 0;
		norm += x * x;
		for (let p = c.ptr[j]!; p < c.ptr[j + 1]!; p++) acc[c.reason[p]!]! += x * c.weight[p]!;
	}
	let best = -1;
	let bestScore = 0;
	for (let r = 0; r < acc.length; r++) {
		if (acc[r]! > bestScore) {
			bestScore = acc[r]!;
			best = r;
		}
	}
	const score = best < 0 ? 0 : bestScore / Math.sqrt(norm);
	if (best < 0 || score < c.minScore) return { reasonId: OTHER_REASON_ID, score };
	return { reasonId: c.ids[best]!, score };
}
