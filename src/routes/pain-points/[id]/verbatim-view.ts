/**
 * Why this exists: the verbatims a reader asked for — searched (case-insensitive, any language),
 * filtered by mood and complaint, and sorted — pure, so it is unit-tested; the panel only draws it.
 */
import { mood } from './mood';

export interface VerbatimView {
	q: string;
	mood: '' | 'negative' | 'neutral' | 'positive' | 'unknown';
	complaints: boolean;
	sort: 'newest' | 'oldest' | 'negative' | 'positive';
}
export const VERBATIM_SORTS = ['newest', 'oldest', 'negative', 'positive'] as const;
export const VERBATIM_MOODS = ['negative', 'neutral', 'positive', 'unknown'] as const;

type Row = { text: string; ts: string; sentiment: number | null; isComplaint: boolean };

export function viewVerbatims<T extends Row>(rows: readonly T[], v: VerbatimView): T[] {
	const q = v.q.trim().toLocaleLowerCase();
	const kept = rows.filter(
		(r) =>
			(!q || r.text.toLocaleLowerCase().includes(q)) &&
			(!v.mood || mood(r.sentiment).key === v.mood) &&
			(!v.complaints || r.isComplaint)
	);
	// Unknown sentiment sorts last either way.
	const s = (r: Row, sign: number) => (r.sentiment === null ? Infinity : sign * r.sentiment);
	const by: Record<VerbatimView['sort'], (a: T, b: T) => number> = {
		newest: (a, b) => b.ts.localeCompare(a.ts),
		oldest: (a, b) => a.ts.localeCompare(b.ts),
		negative: (a, b) => s(a, 1) - s(b, 1) || b.ts.localeCompare(a.ts),
		positive: (a, b) => s(a, -1) - s(b, -1) || b.ts.localeCompare(a.ts)
	};
	return [...kept].sort(by[v.sort]);
}
