/**
 * Why this exists: the words and numbers a journey cell shows and says in its tooltip, in one
 * place for the map, the pain-point list and the detail page.
 */
import type { JourneyCell } from '$schemas/journey';
import { fmtInt, fmtMinutes, fmtNum, fmtPct } from '$lib/format';

type T = (key: string, opts?: { values?: Record<string, string | number> }) => string;

export function complaintRate(c: Pick<JourneyCell, 'complaints' | 'interactions'>): number | null {
	return c.interactions ? c.complaints / c.interactions : null;
}

/** "▲ +2.1 pts" style change against the previous period; `worse` when it moved the bad way. */
export function delta(
	now: number | null,
	before: number | null | undefined,
	higherIsBetter: boolean,
	fmt: (v: number) => string
): { icon: string; text: string; worse: boolean } | null {
	if (now === null || before === null || before === undefined) return null;
	const d = now - before;
	if (Math.abs(d) < 1e-9) return { icon: '＝', text: fmt(0), worse: false };
	return {
		icon: d > 0 ? '▲' : '▼',
		text: `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}`,
		worse: higherIsBetter ? d < 0 : d > 0
	};
}

export function factorText(t: T, f: JourneyCell['severity']['why'][number], locale: string): string {
	return t('journey.why.item', {
		values: {
			factor: t(`journey.factor.${f.factor}`),
			rate: fmtPct(f.rate, locale, 0),
			baseline: fmtPct(f.baseline, locale, 0)
		}
	});
}

/** The tooltip: every measure, then why it is flagged. */
export function cellTooltip(t: T, c: JourneyCell, locale: string, title: string): string {
	const na = t('kpi.noData');
	const lines = [
		title,
		`${t('journey.metric.volume')}: ${fmtInt(c.interactions, locale)}`,
		`${t('journey.metric.customers')}: ${fmtInt(c.customers, locale)}`,
		`${t('journey.metric.csat')}: ${c.csat === null ? na : `${fmtNum(c.csat, locale)} / 10`}`,
		`${t('journey.metric.sentiment')}: ${c.sentiment === null ? na : fmtNum(c.sentiment, locale, 2)}`,
		`${t('journey.metric.complaintRate')}: ${fmtPct(complaintRate(c) ?? 0, locale)}`,
		`${t('journey.metric.fcr')}: ${c.fcr === null ? na : fmtPct(c.fcr, locale)}`,
		`${t('journey.metric.aht')}: ${c.avgHandleSeconds === null ? na : fmtMinutes(c.avgHandleSeconds, locale)}`
	];
	if (c.severity.severity !== 'none') {
		lines.push(`${t(`journey.severity.${c.severity.severity}`)} — ${t('journey.why')}:`);
		for (const f of c.severity.why.slice(0, 4)) lines.push(`• ${factorText(t, f, locale)}`);
	} else if (c.severity.reason === 'small-sample') lines.push(t('journey.smallSample'));
	return lines.join('\n');
}
