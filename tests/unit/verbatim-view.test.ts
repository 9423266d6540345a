import { describe, expect, it } from 'vitest';
import { viewVerbatims } from '../../src/routes/pain-points/[id]/verbatim-view';

const rows = [
	{ id: 'a', text: 'Parcel LATE again', ts: '2026-10-01T10:00:00Z', sentiment: -0.8, isComplaint: true },
	{ id: 'b', text: '快递太慢了', ts: '2026-10-03T10:00:00Z', sentiment: -0.4, isComplaint: false },
	{ id: 'c', text: 'arrived late but fine', ts: '2026-10-02T10:00:00Z', sentiment: 0.1, isComplaint: false },
	{ id: 'd', text: 'great service', ts: '2026-09-30T10:00:00Z', sentiment: null, isComplaint: false }
];
const ids = (v: Parameters<typeof viewVerbatims>[1]) => viewVerbatims(rows, v).map((r) => r.id);
const base = { q: '', mood: '', complaints: false, sort: 'newest' } as const;

describe('verbatim view', () => {
	it('sorts newest, oldest, most negative and most positive first (unknown sentiment last)', () => {
		expect(ids(base)).toEqual(['b', 'c', 'a', 'd']);
		expect(ids({ ...base, sort: 'oldest' })).toEqual(['d', 'a', 'c', 'b']);
		expect(ids({ ...base, sort: 'negative' })).toEqual(['a', 'b', 'c', 'd']);
		expect(ids({ ...base, sort: 'positive' })).toEqual(['c', 'b', 'a', 'd']);
	});

	it('searches case-insensitively in any language and filters by mood and complaint', () => {
		expect(ids({ ...base, q: 'late' })).toEqual(['c', 'a']);
		expect(ids({ ...base, q: '太慢' })).toEqual(['b']);
		expect(ids({ ...base, mood: 'negative' })).toEqual(['b', 'a']);
		expect(ids({ ...base, mood: 'unknown' })).toEqual(['d']);
		expect(ids({ ...base, complaints: true })).toEqual(['a']);
		expect(ids({ ...base, q: 'nothing like this' })).toEqual([]);
	});
});
