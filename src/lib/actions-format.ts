/**
 * Why this exists: an action's KPI change read the same way on /actions, the ROI page and the
 * trends and journey markers — rates in percentage points, CSAT in points of 10, handle time in
 * seconds, with its sign — and the one line that says what a measured effect is.
 */
import type { ActionEffect, ActionKpi } from '$schemas/actions';
import { fmtNum } from './format';

/** A change in the KPI's own unit, signed ("−9.8 pts", "+0.3", "−42 s"). */
export function fmtChange(kpi: ActionKpi, v: number, locale: string): string {
	const sign = v > 0 ? '+' : v < 0 ? '−' : '±';
	const a = Math.abs(v);
	if (kpi === 'complaintRate' || kpi === 'negativeShare') return `${sign}${fmtNum(a * 100, locale, 1)} pts`;
	if (kpi === 'aht') return `${sign}${fmtNum(a, locale, 0)} s`;
	return `${sign}${fmtNum(a, locale, 2)}`;
}

/** A KPI level ("23.4%", "7.12", "312 s"). */
export function fmtLevel(kpi: ActionKpi, v: number | null, locale: string): string {
	if (v === null) return '–';
	if (kpi === 'complaintRate' || kpi === 'negativeShare') return `${fmtNum(v * 100, locale, 1)}%`;
	if (kpi === 'aht') return `${fmtNum(v, locale, 0)} s`;
	return fmtNum(v, locale, 2);
}

/** "−9.8 pts (95%: −12.1 pts to −7.5 pts)" for a measured effect, else null. */
export function fmtEffect(e: ActionEffect, locale: string): string | null {
	if (e.status !== 'measured' || e.effect === null || e.low === null || e.high === null) return null;
	return `${fmtChange(e.kpi, e.effect, locale)} (95%: ${fmtChange(e.kpi, e.low, locale)} … ${fmtChange(e.kpi, e.high, locale)})`;
}

/** Whether the interval excludes no change, and which way is better for the KPI. */
export function verdict(e: ActionEffect): 'better' | 'worse' | 'unclear' | null {
	if (e.status !== 'measured' || e.low === null || e.high === null) return null;
	const higherBetter = e.kpi === 'csat';
	if (e.low > 0) return higherBetter ? 'better' : 'worse';
	if (e.high < 0) return higherBetter ? 'worse' : 'better';
	return 'unclear';
}
