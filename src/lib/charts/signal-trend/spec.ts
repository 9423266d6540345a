/**
 * Why this exists: what a churn-signal trend draws — one line per group (high-value segment,
 * everyone else) of one signal over months, with points only where the value is known.
 */

export interface SignalPoint {
	month: string;
	group: 'high_value' | 'others';
	value: number | null;
}

export const TREND_MARGIN = { top: 10, right: 28, bottom: 30, left: 52 };
export const TREND_HEIGHT = 200;

export function buildSignalTrendSpec(
	points: SignalPoint[],
	opts: { width: number; groupLabel: (g: SignalPoint['group']) => string }
) {
	const known = points
		.filter((p): p is SignalPoint & { value: number } => p.value !== null && Number.isFinite(p.value))
		.map((p) => ({ ...p, date: new Date(`${p.month}T00:00:00Z`), groupLabel: opts.groupLabel(p.group) }))
		.sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));
	const values = known.map((p) => p.value);
	const min = Math.min(0, ...values);
	const max = Math.max(0, ...values);
	// Zero stays in view and a tenth of the span is added on each side that holds data, so values
	// that are all negative (a mean sentiment) are drawn, not cut off.
	const pad = (max - min || 1) * 0.1;
	return {
		points: known,
		width: Math.max(260, Math.round(opts.width)),
		height: TREND_HEIGHT,
		min,
		max,
		domain: [min < 0 ? min - pad : 0, max > 0 || min === 0 ? max + pad : 0] as [number, number]
	};
}
