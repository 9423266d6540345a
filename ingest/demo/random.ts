/**
 * Why this exists: the demo generator's randomness and clock in one place. Every draw comes from a
 * seeded generator passed in (never Math.random) and every time lies in a fixed two-year window
 * (never the clock), so a seed gives the same bytes on every machine. Contact times follow the
 * week and the shopping festivals, as real contact volumes do.
 */

/** Fixed end of the demo history (never the clock, so output is reproducible). */
export const DEMO_END = Date.UTC(2026, 9, 31, 23, 59, 59);
export const DAY = 86_400_000;
export const DEMO_START = DEMO_END - 730 * DAY;

export type Rng = () => number;

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const iso = (t: number) => new Date(t).toISOString();
export const sqlTime = (t: number) => iso(t).slice(0, 19).replace('T', ' ');
export const isoDate = (t: number) => iso(t).slice(0, 10);
export const pad = (n: number, w: number) => String(n).padStart(w, '0');
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
export function normal(r: Rng): number {
	return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
export function poisson(r: Rng, mean: number): number {
	if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
	let k = 0;
	for (let p = Math.exp(-mean), s = p, u = r(); u > s; k++) {
		p *= mean / (k + 1);
		s += p;
	}
	return k;
}

/** Shopping festivals: 11.11, 618, Black Friday week, Christmas run-up. */
export function festivalOf(t: number): string | undefined {
	const d = new Date(t);
	const m = d.getUTCMonth() + 1;
	const day = d.getUTCDate();
	if (m === 11 && day >= 9 && day <= 14) return '11.11';
	if (m === 6 && day >= 15 && day <= 20) return '618';
	if (m === 11 && day >= 22 && day <= 30) return 'Black Friday';
	if (m === 12 && day >= 15 && day <= 24) return 'Christmas';
	return undefined;
}

/** Relative contact volume on a day: weekends quieter, festivals busier. */
export function dayWeight(t: number): number {
	const dow = new Date(t).getUTCDay();
	const f = festivalOf(t);
	const base = dow === 0 || dow === 6 ? 0.6 : 1;
	return base * (f === '11.11' ? 3 : f === '618' ? 2.2 : f ? 1.8 : 1);
}
const MAX_WEIGHT = 3;

/** A time in [from, to) drawn with the weekly and festival pattern, during opening hours. */
export function contactTime(r: Rng, from: number, to: number): number {
	for (let i = 0; i < 20; i++) {
		const t = from + r() * (to - from);
		if (r() * MAX_WEIGHT <= dayWeight(t)) {
			const day = Math.floor(t / DAY) * DAY;
			const hour = clamp(Math.round(13 + 3.2 * normal(r)), 0, 23);
			return day + hour * 3_600_000 + Math.floor(r() * 3_600_000);
		}
	}
	return from + r() * (to - from);
}
