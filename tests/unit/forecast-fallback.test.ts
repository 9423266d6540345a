/**
 * When the forecasting library fails (its WASM trapped with `RuntimeError: unreachable` on a short
 * daily series), the simple model answers and says so; nothing throws.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('@bsull/augurs/prophet', () => ({
	initSync: () => undefined,
	Prophet: class {
		fit() {
			throw new Error('RuntimeError: unreachable');
		}
		free() {}
	}
}));

const { fitPredict, futureBuckets } = await import('../../src/lib/server/queries/trends/model');

describe('library failure', () => {
	it('falls back to exponential smoothing with the reason and the error', async () => {
		const s = Array.from({ length: 30 }, (_, i) => ({
			bucket: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
			value: 0.6 + (i % 3) / 100
		}));
		const b = await fitPredict(s, futureBuckets('2025-01-30', 7, 1), { bucketDays: 1, clip: [0, 1] });
		expect(b.fallback).toBe('library');
		expect(b.error).toMatch(/unreachable/);
		expect(b.model).toMatch(/smoothing/);
		for (const v of b.mean) expect(v).toBeGreaterThan(0.59);
		for (const v of b.mean) expect(v).toBeLessThan(0.63);
	});
});
