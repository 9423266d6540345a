import { describe, expect, it } from 'vitest';
import { fitDrivers, OTHER, type DriverCell } from '../../src/lib/server/queries/drivers/model';

/** Rows drawn from a planted model, summed into cells as the roll-up sums them. */
function planted(rows: number, seed = 7): DriverCell[] {
	let s = seed;
	const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
	const cells = new Map<string, DriverCell>();
	for (let i = 0; i < rows; i++) {
		const u = r();
		// Touchpoint: 'late' (20%) costs 3 points, 'slow' (10%) costs 1; channel does nothing.
		const tp = u < 0.2 ? 'late' : u < 0.3 ? 'slow' : 'fine';
		const ch = r() < 0.5 ? 'phone' : 'email';
		const tiny = r() < 0.001 ? 'rare' : 'common';
		const y = 8 - (tp === 'late' ? 3 : tp === 'slow' ? 1 : 0) + (r() + r() + r() - 1.5) * 2;
		const key = `${tp}|${ch}|${tiny}`;
		const c = cells.get(key) ?? { levels: [tp, ch, tiny], n: 0, sum: 0, sq: 0 };
		c.n++;
		c.sum += y;
		c.sq += y * y;
		cells.set(key, c);
	}
	return [...cells.values()];
}

describe('key-driver model', () => {
	const fit = fitDrivers(['touchpoint', 'channel', 'rare'], planted(20_000), { higherIsBetter: true })!;

	it('ranks the planted factor first and gives the null one almost nothing', () => {
		expect(fit.factors.map((f) => f.factor)).toEqual(['touchpoint', 'channel']);
		const [tp, ch] = fit.factors;
		expect(tp!.importance).toBeGreaterThan(0.3);
		expect(ch!.importance).toBeLessThan(0.001);
		expect(ch!.importanceLo).toBeLessThanOrEqual(ch!.importance + 1e-9);
		expect(fit.r2).toBeCloseTo(tp!.importance + ch!.importance, 6);
	});

	it('recovers the planted effects and the gain of fixing each level, inside its interval', () => {
		const tp = fit.factors[0]!;
		expect(tp.reference).toBe('fine');
		const late = tp.levels.find((l) => l.level === 'late')!;
		const slow = tp.levels.find((l) => l.level === 'slow')!;
		expect(late.effect).toBeCloseTo(-3, 1);
		expect(late.effectLo).toBeLessThan(-3 + 0.1);
		expect(late.effectHi).toBeGreaterThan(-3 - 0.1);
		// Fixing late contacts to the typical (fine) level: 20% × 3 points.
		expect(late.gain).toBeCloseTo(0.6, 1);
		expect(late.gainLo).toBeLessThan(late.gain);
		expect(late.gainHi).toBeGreaterThan(late.gain);
		expect(slow.gain).toBeCloseTo(0.1, 1);
		expect(tp.levels.find((l) => l.level === 'fine')!.gain).toBe(0);
	});

	it('pools rare levels and drops a factor left with one level', () => {
		expect(fit.factors.some((f) => f.factor === 'rare')).toBe(false);
		const pooled = fitDrivers(['touchpoint'], planted(20_000), { higherIsBetter: true, maxLevels: 2 })!;
		expect(pooled.factors[0]!.levels.map((l) => l.level)).toEqual(['fine', 'late', OTHER]);
	});

	it('turns the direction for outcomes where lower is better', () => {
		// The same contacts with the outcome's sign turned: now "late" is high, and high is bad.
		const cells = planted(20_000).map((c) => ({ ...c, sum: -c.sum }));
		const tp = fitDrivers(['touchpoint', 'channel'], cells, { higherIsBetter: false })!.factors[0]!;
		expect(tp.levels.find((l) => l.level === 'late')!.gain).toBeCloseTo(0.6, 1);
		expect(tp.levels.find((l) => l.level === 'fine')!.gain).toBe(0);
	});

	it('keeps a value recorded on one channel only from blurring that channel', () => {
		// Wait is recorded on calls alone ('0' elsewhere) and does nothing; email is 1 point worse.
		let seed = 11;
		const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const cells = new Map<string, DriverCell>();
		for (let i = 0; i < 20_000; i++) {
			const ch = r() < 0.4 ? 'phone' : r() < 0.5 ? 'email' : 'chat';
			const wait = ch === 'phone' ? String(1 + Math.floor(r() * 3)) : '0';
			const y = 7 - (ch === 'email' ? 1 : 0) + (r() - 0.5) * 2;
			const key = `${ch}|${wait}`;
			const c = cells.get(key) ?? { levels: [ch, wait], n: 0, sum: 0, sq: 0 };
			c.n++;
			c.sum += y;
			c.sq += y * y;
			cells.set(key, c);
		}
		const fit = fitDrivers(['channel', 'wait'], [...cells.values()], {
			higherIsBetter: true,
			unrecorded: (f, l) => f === 'wait' && l === '0'
		})!;
		const email = fit.factors.find((f) => f.factor === 'channel')!.levels.find((l) => l.level === 'email')!;
		expect(email.effect).toBeCloseTo(-1, 1);
		expect(email.effectHi - email.effectLo).toBeLessThan(0.2);
		const wait = fit.factors.find((f) => f.factor === 'wait')!;
		expect(wait.levels.find((l) => l.level === '0')!.gain).toBe(0);
		for (const l of wait.levels) expect(Math.abs(l.effect)).toBeLessThan(0.1);
	});

	it('says nothing without enough responses', () => {
		expect(fitDrivers(['touchpoint'], planted(40), { higherIsBetter: true })).toBeNull();
	});
});
