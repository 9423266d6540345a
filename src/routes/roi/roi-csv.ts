/**
 * Why this exists: the ROI page's numbers as CSV rows for a board deck — scorecards, the measured
 * ROI with each benefit, the stored assumptions and each investment.
 */
import type { PageData } from './$types';

type Cell = string | number | null;

export function roiCsvRows(s: NonNullable<PageData['summary']>): Cell[][] {
	const r = s.result;
	const row = (section: string, item: string, current: Cell, baseline: Cell = null, target: Cell = null): Cell[] => [
		section,
		item,
		baseline,
		current,
		target,
		null,
		null
	];
	return [
		['section', 'item', 'baseline', 'current', 'target', 'progress', 'reach_by'],
		...s.scorecards.map((c) => ['scorecard', c.kpi, c.baseline, c.current, c.target, c.progress, c.reachBy]),
		row('roi', 'investment', s.inputs.investment),
		row('roi', 'annual_benefit', r.annualBenefit),
		...Object.entries(r.benefits).map(([k, v]) => row('roi', `benefit_${k}`, v)),
		row('roi', 'roi_pct', r.roiPct),
		row('roi', 'payback_months', r.paybackMonths),
		row('roi', 'npv', r.npv),
		row('roi', 'clv_change_pct', r.clvChangePct, null, s.inputs.industryClvUplift),
		...Object.entries(s.assumptions)
			.filter(([, v]) => typeof v !== 'object')
			.map(([k, v]) => row('assumption', k, v as string | number)),
		...s.assumptions.investments.map((i) => row('investment', `${i.kind}: ${i.label}`, i.amount, i.date))
	];
}
