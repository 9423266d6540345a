import { describe, expect, it } from 'vitest';
import { buildDriversSpec } from '../../src/lib/charts/drivers/spec';

const rows = [
	{ factor: 'touchpoint', level: 'b', gain: 0.3, gainLo: 0.2, gainHi: 0.4 },
	{ factor: 'touchpoint', level: 'a', gain: 0.9, gainLo: null, gainHi: null },
	{ factor: 'channel', level: 'x', gain: 0, gainLo: 0, gainHi: 0 }
];

describe('key-driver chart spec', () => {
	it('ranks the fixes by gain, drops those worth nothing, and keeps a missing interval at the estimate', () => {
		const s = buildDriversSpec(rows, { width: 800, top: 8, label: (r) => `${r.factor}: ${r.level}` });
		expect(s.bars.map((b) => [b.label, b.gain, b.lo, b.hi])).toEqual([
			['touchpoint: a', 0.9, 0.9, 0.9],
			['touchpoint: b', 0.3, 0.2, 0.4]
		]);
		expect(s.max).toBe(0.9);
	});

	it('gives long labels room, but never more than 45% of a narrow chart', () => {
		const long = (r: { level: string }) => `repeat complaints: three or more of one kind in a month ${r.level}`;
		expect(buildDriversSpec(rows, { width: 1200, top: 8, label: long }).margin.left).toBeGreaterThan(380);
		expect(buildDriversSpec(rows, { width: 330, top: 8, label: long }).margin.left).toBe(148);
		expect(buildDriversSpec(rows, { width: 800, top: 8, label: (r) => r.level }).margin.left).toBe(110);
	});
});
