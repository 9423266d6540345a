/**
 * Why this exists: a reason is only useful when a person can read what it is about. Each is named
 * by its most telling phrases — class-based TF-IDF (as in BERTopic, on document frequencies so one
 * long complaint does not dominate): a term scores by the share of the reason's texts that use it
 * times log(1 + average reason size / texts using it anywhere). A bigram replaces the words it
 * contains ("data cap" over "data" and "cap"). Terms are shown as they were most often written.
 */
import { joinForDisplay } from './features';
import type { Csr, Vocabulary } from './vectorize';

/** Counts of how each folded word was written, to show "charges" rather than "charge" if so. */
export type SurfaceForms = Map<string, Map<string, number>>;

export function addSurfaceForms(forms: SurfaceForms, stems: string[], surfaces: string[]): void {
	for (let i = 0; i < stems.length; i++) {
		const s = stems[i]!;
		if (!s) continue;
		let m = forms.get(s);
		if (!m) forms.set(s, (m = new Map()));
		m.set(surfaces[i]!, (m.get(surfaces[i]!) ?? 0) + 1);
	}
}

function shownWord(forms: SurfaceForms, stem: string): string {
	const m = forms.get(stem);
	if (!m) return stem;
	let best = stem;
	let n = -1;
	for (const [w, c] of m) if (c > n || (c === n && w < best)) [best, n] = [w, c];
	return best;
}

/** How a vocabulary term is shown. */
export function displayTerm(forms: SurfaceForms, term: string): string {
	const sp = term.indexOf(' ');
	if (sp < 0) return shownWord(forms, term);
	return joinForDisplay(shownWord(forms, term.slice(0, sp)), shownWord(forms, term.slice(sp + 1)));
}

/**
 * The best `limit` terms (vocabulary indices) of each cluster, best first. `labels[i]` is row i's
 * cluster (−1: none).
 */
export function telling(X: Csr, labels: Int32Array, k: number, v: Vocabulary, limit: number): number[][] {
	const V = v.terms.length;
	const df = new Float64Array(V);
	const dfc = Array.from({ length: k }, () => new Map<number, number>());
	const size = new Int32Array(k);
	let members = 0;
	for (let i = 0; i < X.rows; i++) {
		const c = labels[i]!;
		if (c < 0) continue;
		size[c]!++;
		members++;
		const m = dfc[c]!;
		for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) {
			const t = X.idx[p]!;
			df[t]!++;
			m.set(t, (m.get(t) ?? 0) + 1);
		}
	}
	const avg = members / Math.max(1, k);
	return dfc.map((m, c) => {
		// A phrase must be used by a few of the reason's texts, not one writer's habit.
		const minUse = Math.max(2, Math.ceil(size[c]! * 0.02));
		const scored: [number, number][] = [];
		for (const [t, n] of m) if (n >= minUse) scored.push([t, (n / size[c]!) * Math.log(1 + avg / df[t]!)]);
		scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
		return pickPhrases(
			scored.map(([t]) => t),
			v,
			limit,
			m
		);
	});
}

/** Best-first terms where a bigram stands in for the words inside it. */
function pickPhrases(order: number[], v: Vocabulary, limit: number, classDf: Map<number, number>): number[] {
	const chosen: number[] = [];
	for (const t of order) {
		if (chosen.length >= limit) break;
		const term = v.terms[t]!;
		const words = term.split(' ');
		if (words.length === 1) {
			// Skip a word already said by a chosen bigram.
			if (chosen.some((c) => v.terms[c]!.split(' ').includes(term))) continue;
			chosen.push(t);
			continue;
		}
		// A bigram replaces its chosen words when it covers a good part of their use.
		for (const w of words) {
			const j = v.index.get(w);
			const at = j === undefined ? -1 : chosen.indexOf(j);
			if (at >= 0 && (classDf.get(t) ?? 0) >= 0.3 * (classDf.get(j!) ?? 0)) chosen.splice(at, 1);
		}
		if (chosen.some((c) => v.terms[c] === words[0] || v.terms[c] === words[1])) continue;
		chosen.push(t);
	}
	return chosen;
}

/** " · "-joined name from the first phrases. */
export function nameOf(phrases: string[], count = 3): string {
	return phrases.slice(0, count).join(' · ') || 'unnamed';
}
