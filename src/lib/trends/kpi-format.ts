/**
 * Why this exists: one place that knows how each trend KPI is shown (unit, digits) and which stored
 * target applies to it, shared by the /trends and /roi pages and their charts.
 */
import type { Targets } from '$schemas/kpi';
import { KPI_META, type TrendKpi } from '$schemas/trends';
import { fmtDuration, fmtInt, fmtNum, fmtPct } from '$lib/format';

export function formatKpi(kpi: TrendKpi, v: number, locale: string): string {
	switch (KPI_META[kpi].unit) {
		case 'count':
			return fmtInt(v, locale);
		case 'share':
			return fmtPct(v, locale, 1);
		case 'seconds':
			return fmtDuration(v, locale, 1);
		case 'score10':
			return fmtNum(v, locale, 2);
		default:
			return fmtNum(v, locale, kpi === 'nps' ? 0 : 2);
	}
}

/** ≥ 95% satisfied is the service-quality plan's alternative CSAT target. */
export const SATISFIED_TARGET = 0.95;

export function targetFor(kpi: TrendKpi, t: Targets | null): number | null {
	if (!t) return null;
	if (kpi === 'fcr') return t.fcr;
	if (kpi === 'csat') return t.csat;
	if (kpi === 'aht') return t.ahtSeconds;
	if (kpi === 'firstResponse') return t.firstResponseSeconds;
	if (kpi === 'satisfied') return SATISFIED_TARGET;
	return null;
}
