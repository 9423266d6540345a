import { describe, expect, it } from 'vitest';
import { monthRanges } from '../../ingest/loading/sql-path/ranges';

describe('monthRanges', () => {
	const months = [
		{ m: 202411, n: '60' },
		{ m: 202412, n: '50' },
		{ m: 202501, n: '10' },
		{ m: 202502, n: '200' },
		{ m: 202503, n: '5' }
	];

	it('groups consecutive months until a range holds at least the block', () => {
		expect(monthRanges(months, 100)).toEqual([
			{ from: 202411, to: 202412 },
			{ from: 202501, to: 202502 },
			{ from: 202503, to: 202503 }
		]);
	});

	it('gives one range per month for 1-record blocks and one for all when the block is larger', () => {
		expect(monthRanges(months, 1).map((r) => r.from)).toEqual(months.map((x) => x.m));
		expect(monthRanges(months, 1_000)).toEqual([{ from: 202411, to: 202503 }]);
		expect(monthRanges([], 100)).toEqual([]);
	});

	it('closes a range at the month limit even when it holds fewer records than the block', () => {
		expect(monthRanges(months, 1_000, 2)).toEqual([
			{ from: 202411, to: 202412 },
			{ from: 202501, to: 202502 },
			{ from: 202503, to: 202503 }
		]);
		expect(monthRanges(months, 100, 1).map((r) => r.from)).toEqual(months.map((x) => x.m));
		// Six months by default: two years of a small file make four inserts, not one.
		const twoYears = Array.from({ length: 24 }, (_, i) => ({ m: 202401 + Math.floor(i / 12) * 100 + (i % 12), n: 10 }));
		expect(monthRanges(twoYears, 1_000_000).map((r) => [r.from, r.to])).toEqual([
			[202401, 202406],
			[202407, 202412],
			[202501, 202506],
			[202507, 202512]
		]);
	});

	it('closes a range at the input limit: a month of many distinct texts is analysed on its own', () => {
		const withInputs = months.map((x, i) => ({ ...x, inputs: [5, 30, 0, 40, 1][i]! }));
		expect(monthRanges(withInputs, 1_000, 6, 30)).toEqual([
			{ from: 202411, to: 202412 },
			{ from: 202501, to: 202502 },
			{ from: 202503, to: 202503 }
		]);
		expect(monthRanges(withInputs, 1_000, 6, 1_000)).toEqual([{ from: 202411, to: 202503 }]);
		// 20k by default: 24 months of 5k inputs each make six ranges of four months.
		const realText = Array.from({ length: 24 }, (_, i) => ({
			m: 202401 + Math.floor(i / 12) * 100 + (i % 12),
			n: 5_000,
			inputs: 5_000
		}));
		expect(monthRanges(realText, 1_000_000)).toHaveLength(6);
	});
});
