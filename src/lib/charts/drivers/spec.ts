/**
 * Why this exists: what the key-driver chart draws — one bar per thing to fix, ranked by what
 * fixing it would gain on the outcome overall, with its 95% interval as a whisker — as plain data,
 * so the ranking and the interval ends can be checked without a browser.
 */

export interface DriverBarInput {
	factor: string;
	level: string;
	gain: number;
	gainLo: number | null;
	gainHi: number | null;
}

export interface DriverBar {
	key: string;
	label: string;
	gain: number;
	lo: number;
	hi: number;
}

export const DRIVERS_MARGIN = { top: 4, right: 64, bottom: 40, left: 110 };
export const DRIVERS_BAR = 26;

export function buildDriversSpec(
	rows: readonly DriverBarInput[],
	opts: { width: number; top: number; label: (r: DriverBarInput) => string }
) {
	const bars: DriverBar[] = [...rows]
		.filter((r) => r.gain > 0)
		.sort((a, b) => b.gain - a.gain)
		.slice(0, opts.top)
		.map((r) => ({
			key: `${r.factor}:${r.level}`,
			label: opts.label(r),
			gain: r.gain,
			// An interval end the bootstrap could not give stands at the estimate: no whisker, no claim.
			lo: Math.max(0, r.gainLo ?? r.gain),
			hi: r.gainHi ?? r.gain
		}));
	// Room for the longest label (about 6.6 px a character at 12 px), but never more than
	// 45% of the width: a longer label is cut there, the sentences below say it in full.
	const longest = Math.max(0, ...bars.map((b) => b.label.length));
	const width = Math.max(280, Math.round(opts.width));
	const left = Math.min(Math.floor(width * 0.45), Math.max(110, Math.round(longest * 6.6) + 12));
	const margin = { ...DRIVERS_MARGIN, left };
	return {
		bars,
		margin,
		width,
		height: margin.top + margin.bottom + bars.length * DRIVERS_BAR,
		max: Math.max(0, ...bars.map((b) => Math.max(b.hi, b.gain)))
	};
}
