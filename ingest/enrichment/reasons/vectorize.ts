/**
 * Why this exists: the bag-of-terms representation shared by discovery, assignment and the
 * baseline — a vocabulary with smoothed idf and sublinear-tf, L2-normalised TF-IDF rows in CSR form
 * (texts have tens to hundreds of terms out of tens of thousands, so rows stay sparse).
 */

export interface Vocabulary {
	terms: string[];
	index: Map<string, number>;
	idf: Float64Array;
}

/** Rows of a sparse matrix: row i is cols/vals[ptr[i] .. ptr[i+1]). */
export interface Csr {
	rows: number;
	cols: number;
	ptr: Int32Array;
	idx: Int32Array;
	val: Float64Array;
}

export interface VocabularyOptions {
	/** Least number of texts a term must occur in (at least 2: a term of one text groups nothing). */
	minDf: number;
	/** Largest share of texts a term may occur in (near-universal terms separate nothing). */
	maxDf: number;
	/** Most terms kept, by document frequency. */
	maxTerms: number;
}

/** Vocabulary from the texts' terms (each inner array one text's terms, repeats allowed). */
export function buildVocabulary(docs: string[][], o: VocabularyOptions): Vocabulary {
	const df = new Map<string, number>();
	for (const terms of docs) {
		for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
	}
	const n = docs.length;
	const maxCount = Math.max(o.minDf, Math.floor(o.maxDf * n));
	const kept = [...df].filter(([, c]) => c >= o.minDf && c <= maxCount);
	// Most frequent first; ties by term so the vocabulary does not depend on Map order.
	kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	if (kept.length > o.maxTerms) kept.length = o.maxTerms;
	return vocabularyOf(
		kept.map(([t]) => t),
		kept.map(([, c]) => Math.log((1 + n) / (1 + c)) + 1)
	);
}

export function vocabularyOf(terms: string[], idf: ArrayLike<number>): Vocabulary {
	const index = new Map<string, number>();
	terms.forEach((t, i) => index.set(t, i));
	return { terms, index, idf: Float64Array.from(idf) };
}

/** One text's TF-IDF row (sublinear tf, L2-normalised), as sorted indices and values. */
export function tfidfRow(terms: string[], v: Vocabulary): { idx: Int32Array; val: Float64Array } {
	const counts = new Map<number, number>();
	for (const t of terms) {
		const j = v.index.get(t);
		if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
	}
	const idx = Int32Array.from(counts.keys()).sort();
	const val = new Float64Array(idx.length);
	let norm = 0;
	for (let k = 0; k < idx.length; k++) {
		const j = idx[k]!;
		const x = (1 + Math.log(counts.get(j)!)) * v.idf[j]!;
		val[k] = x;
		norm += x * x;
	}
	if (norm > 0) {
		const inv = 1 / Math.sqrt(norm);
		for (let k = 0; k < val.length; k++) val[k]! *= inv;
	}
	return { idx, val };
}

export function tfidfMatrix(docs: string[][], v: Vocabulary): Csr {
	const ptr = new Int32Array(docs.length + 1);
	const rows = docs.map((d) => tfidfRow(d, v));
	for (let i = 0; i < rows.length; i++) ptr[i + 1] = ptr[i]! + rows[i]!.idx.length;
	const idx = new Int32Array(ptr[docs.length]!);
	const val = new Float64Array(ptr[docs.length]!);
	rows.forEach((r, i) => {
		idx.set(r.idx, ptr[i]!);
		val.set(r.val, ptr[i]!);
	});
	return { rows: docs.length, cols: v.terms.length, ptr, idx, val };
}

/** The rows `pick` of a matrix, as a new matrix. */
export function csrRows(m: Csr, pick: ArrayLike<number>): Csr {
	const ptr = new Int32Array(pick.length + 1);
	for (let r = 0; r < pick.length; r++) ptr[r + 1] = ptr[r]! + (m.ptr[pick[r]! + 1]! - m.ptr[pick[r]!]!);
	const idx = new Int32Array(ptr[pick.length]!);
	const val = new Float64Array(ptr[pick.length]!);
	for (let r = 0; r < pick.length; r++) {
		const i = pick[r]!;
		idx.set(m.idx.subarray(m.ptr[i]!, m.ptr[i + 1]!), ptr[r]!);
		val.set(m.val.subarray(m.ptr[i]!, m.ptr[i + 1]!), ptr[r]!);
	}
	return { rows: pick.length, cols: m.cols, ptr, idx, val };
}
