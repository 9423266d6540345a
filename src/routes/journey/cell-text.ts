/**
 * Why this exists: the words and numbers a journey cell shows and says in its tooltip, in one
 * place for the map, the pain-point list and the detail page.
 */
import type { Factor, FloorHit, JourneyCell } from '$schemas/journey';
import { fmtInt, fmtMinutes, fmtNum, fmtPct } from '$lib/format';

type T = (key: string, opts?: { values?: Record<string, string | number> }) => string;

type Complaints = Pick<JourneyCell, 'complaints' | 'interactions' | 'complaintMeasured'>;

/** Complaints per contact of the sources that flag them; null when none does (not measured). */
export function complaintRate(c: Complaints): number | null {
	const measured = c.complaintMeasured ?? c.interactions;
	return measured ? c.complaints / measured : null;
}

/** The complaint rate as shown: a share, or "not measured" — never 0 % for a source without the flag. */
export function complaintText(t: T, c: Complaints, locale: string): string {
	const r = complaintRate(c);
	return r === null ? t('journey.complaint.notMeasured') : fmtPct(r, locale);
}

/** "500 authors": the people a cell reaches, in their unit. */
export function reachText(t: T, s: Pick<JourneyCell['severity'], 'reach' | 'reachUnit'>, locale: string): string {
	return t(`journey.reach.${s.reachUnit}`, { values: { n: fmtInt(s.reach, locale) } });
}

/** "0.68 × 500 authors": how the impact is made, in words and units. */
export function impactText(t: T, s: JourneyCell['severity'], locale: string): string {
	return t('journey.pp.impactOf', { values: { score: fmtNum(s.score, locale, 2), reach: reachText(t, s, locale) } });
}

/** "below the absolute floor: CSAT 1.7 of 10 (floor 4)" / "above the absolute limit: …". */
export function floorText(t: T, f: FloorHit, locale: string): string {
	if (f.measure === 'csatMean')
		return t('journey.floor.csat', {
			values: { value: fmtNum(f.value, locale, 1), limit: fmtNum(f.limit, locale, 1) }
		});
	return t('journey.floor.share', {
		values: {
			factor: t(`journey.factor.${f.measure}`),
			value: fmtPct(f.value, locale, 0),
			limit: fmtPct(f.limit, locale, 0)
		}
	});
}

/** "Chat — by low-CSAT share 45 %": the worst channel and the rate that makes it worst. */
export function worstChannelText(
	t: T,
	p: { worstChannel: string; worstChannelBy: { factor: Factor; rate: number } | null },
	locale: string,
	name: string
): string {
	if (!p.worstChannel) return '–';
	if (!p.worstChannelBy) return name;
	return t('journey.pp.worstBy', {
		values: {
			channel: name,
			factor: t(`journey.factor.${p.worstChannelBy.factor}`),
			rate: fmtPct(p.worstChannelBy.rate, locale, 0)
		}
	});
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
		`${t('journey.metric.reach')}: ${reachText(t, c.severity, locale)}`,
		`${t('journey.metric.csat')}: ${c.csat === null ? na : `${fmtNum(c.csat, locale)} / 10`}`,
		`${t('journey.metric.sentiment')}: ${c.sentiment === null ? na : fmtNum(c.sentiment, locale, 2)}`,
		`${t('journey.metric.complaintRate')}: ${complaintText(t, c, locale)}`,
		`${t('journey.metric.fcr')}: ${c.fcr === null ? na : fmtPct(c.fcr, locale)}`,
		`${t('journey.metric.aht')}: ${c.avgHandleSeconds === null ? na : fmtMinutes(c.avgHandleSeconds, locale)}`
	];
	if (c.severity.severity !== 'none') {
		lines.push(`${t(`journey.severity.${c.severity.severity}`)} — ${t('journey.why')}:`);
		for (const f of c.severity.floors.slice(0, 2)) lines.push(`• ${floorText(t, f, locale)}`);
		for (const f of c.severity.why.slice(0, 4)) lines.push(`• ${factorText(t, f, locale)}`);
	} else if (c.severity.reason === 'small-sample') lines.push(t('journey.smallSample'));
	return lines.join('\n');
}
