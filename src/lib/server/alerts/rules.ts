/**
 * Why this exists: what each rule kind looks at, reusing the dashboard's own answers so an alert
 * says what the page it links to shows — the trends page's anomalies (points outside their
 * forecast's 95% band), the pain-point list's red marks, the reasons page's counts against the
 * period before, and the customers page's churn signals for the high-value group. Each evaluator
 * returns the alerts it raises and what it saw per subject, so "new or worsening" compares with the
 * previous evaluation.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { KPI_META } from '$schemas/trends';
import type { Alert, Rule } from '$schemas/alerts';
import { getSignals } from '../queries/customers/signals';
import { getDataRange } from '../queries/kpi/range';
import { listPainPoints } from '../queries/pain-points/pain-points';
import { listReasons } from '../queries/reasons/list';
import { getAnomalies } from '../queries/trends/forecast';
import type { SeenState } from './store';

export interface Evaluation {
	alerts: Alert[];
	seen: { subject: string; value: number; flagged: boolean }[];
}

export interface RuleContext {
	client: ClickHouseClient;
	/** The data's first and last day: windows end at the data, not the clock (exports arrive late). */
	range: { min: string; max: string };
	timeZone: string;
	previous: Map<string, SeenState>;
}

const DAY = 86_400_000;
export const minusDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

export async function dataRange(client: ClickHouseClient): Promise<{ min: string; max: string } | null> {
	const r = await getDataRange(client);
	return r.min && r.max ? { min: r.min, max: r.max } : null;
}

type Of<K extends Rule['kind']> = Extract<Rule, { kind: K }>;

async function kpiAnomaly(rule: Of<'kpi_anomaly'>, ctx: RuleContext): Promise<Evaluation> {
	const anomalies = await getAnomalies(
		ctx.client,
		{ kpis: rule.params.kpis, interval: rule.params.interval, to: ctx.range.max, tz: ctx.timeZone },
		ctx.timeZone
	);
	// Only the latest whole bucket is news (older anomalies were news when theirs was the latest).
	// The series holds whole weeks only, so the last one starts 7–13 days before the data's last day.
	const since = minusDays(ctx.range.max, rule.params.interval === 'week' ? 13 : 1);
	const fresh = anomalies.filter((a) => a.bucket >= since && Math.abs(a.size) >= rule.params.minSize);
	return {
		alerts: fresh.map((a) => {
			const worse = (a.direction === 'above') !== KPI_META[a.kpi].higher;
			return {
				ruleId: rule.id,
				ruleName: rule.name,
				kind: rule.kind,
				subject: `${a.kpi}:${a.bucket}`,
				title: `${a.kpi} ${a.direction} its expected range (${rule.params.interval} of ${a.bucket})`,
				text:
					`${a.kpi} was ${fmt(a.value)} in the ${rule.params.interval} of ${a.bucket}; the forecast expected ` +
					`${fmt(a.expected)} (95% band ${fmt(a.lo95)}–${fmt(a.hi95)}), ${worse ? 'worse' : 'better'} than expected.`,
				link: `/trends?kpi=${a.kpi}&interval=${rule.params.interval}`
			};
		}),
		seen: fresh.map((a) => ({ subject: `${a.kpi}:${a.bucket}`, value: a.value, flagged: true }))
	};
}

async function redPainPoint(rule: Of<'red_pain_point'>, ctx: RuleContext): Promise<Evaluation> {
	const from = maxDay(minusDays(ctx.range.max, rule.params.days - 1), ctx.range.min);
	const list = await listPainPoints(
		ctx.client,
		{ from, to: ctx.range.max, segment: 'all' },
		{ by: rule.params.by, includeNone: true }
	);
	const alerts: Alert[] = [];
	const seen: Evaluation['seen'] = [];
	for (const p of list.items) {
		const red = p.severity.severity === 'red';
		const score = p.severity.score;
		seen.push({ subject: p.id, value: score, flagged: red });
		if (!red) continue;
		const before = ctx.previous.get(p.id);
		const isNew = !before || !before.flagged;
		const worse = !isNew && score - before.value >= rule.params.minRise;
		if (!isNew && !worse) continue;
		const why = p.severity.why
			.slice(0, 2)
			.map((w) => `${w.factor} ${pct(w.rate)} vs ${pct(w.baseline)} elsewhere`)
			.join('; ');
		alerts.push({
			ruleId: rule.id,
			ruleName: rule.name,
			kind: rule.kind,
			subject: p.id,
			title: `${isNew ? 'New red pain point' : 'Red pain point worsening'}: ${p.touchpoint} (${p.stage})`,
			text:
				`${p.touchpoint} at ${p.stage} is red from ${from} to ${ctx.range.max}: severity score ${fmt(score)}` +
				`${worse ? ` (was ${fmt(before!.value)})` : ''}, ${p.interactions} contacts, reach ${p.severity.reach} ${p.severity.reachUnit}.` +
				(why ? ` ${why}.` : ''),
			link: `/pain-points/${p.id}?from=${from}&to=${ctx.range.max}`
		});
	}
	return { alerts, seen };
}

const maxDay = (a: string, b: string) => (a > b ? a : b);

async function reasonSurge(rule: Of<'reason_surge'>, ctx: RuleContext): Promise<Evaluation> {
	const from = minusDays(ctx.range.max, rule.params.days - 1);
	const previousFrom = minusDays(from, rule.params.days);
	// The period before must lie inside the data, or every reason "surges" from nothing.
	if (previousFrom < ctx.range.min) return { alerts: [], seen: [] };
	const list = await listReasons(ctx.client, { from, to: ctx.range.max });
	const alerts: Alert[] = [];
	const seen: Evaluation['seen'] = [];
	for (const r of list.reasons) {
		if (r.kind !== 'reason' || r.hidden) continue;
		const ratio = r.previousInteractions > 0 ? r.interactions / r.previousInteractions : Infinity;
		const surging = r.interactions >= rule.params.minCount && ratio >= rule.params.minRatio;
		seen.push({ subject: r.id, value: r.interactions, flagged: surging });
		if (!surging) continue;
		alerts.push({
			ruleId: rule.id,
			ruleName: rule.name,
			kind: rule.kind,
			subject: r.id,
			title: `Contact reason surging: ${r.name}`,
			text:
				`${r.interactions} contacts about "${r.name}" from ${from} to ${ctx.range.max}, ` +
				`${r.previousInteractions ? `${ratio.toFixed(1)}× the ${r.previousInteractions} of the ${rule.params.days} days before` : 'none in the days before'}` +
				` (${pct(r.share)} of all contacts).`,
			link: `/reasons?from=${from}&to=${ctx.range.max}`
		});
	}
	return { alerts, seen };
}

async function highValueChurn(rule: Of<'high_value_churn'>, ctx: RuleContext): Promise<Evaluation> {
	const signals = await getSignals(ctx.client, { months: rule.params.baselineMonths + 1 });
	const hv = signals.trend.filter((t) => t.group === 'high_value' && t.quietShare !== null);
	if (hv.length < 2) return { alerts: [], seen: [] };
	const last = hv[hv.length - 1]!;
	const before = hv.slice(-1 - rule.params.baselineMonths, -1);
	const baseline = before.reduce((s, t) => s + (t.quietShare ?? 0), 0) / before.length;
	const rise = (last.quietShare ?? 0) - baseline;
	const subject = `high_value:${last.month}`;
	const fired = rise >= rule.params.minRise;
	return {
		alerts: fired
			? [
					{
						ruleId: rule.id,
						ruleName: rule.name,
						kind: rule.kind,
						subject,
						title: `Churn risk rising among high-value customers (${last.month.slice(0, 7)})`,
						text:
							`${pct(last.quietShare ?? 0)} of ${last.customers} high-value customers had no contact in ` +
							`${signals.rules.churn.quietDays} days in ${last.month.slice(0, 7)}, against ${pct(baseline)} over the ` +
							`${before.length} months before (+${(rise * 100).toFixed(1)} points).`,
						link: '/customers/at-risk?segment=high_value'
					}
				]
			: [],
		seen: [{ subject, value: last.quietShare ?? 0, flagged: fired }]
	};
}

export function evaluateRule(rule: Rule, ctx: RuleContext): Promise<Evaluation> {
	switch (rule.kind) {
		case 'kpi_anomaly':
			return kpiAnomaly(rule, ctx);
		case 'red_pain_point':
			return redPainPoint(rule, ctx);
		case 'reason_surge':
			return reasonSurge(rule, ctx);
		case 'high_value_churn':
			return highValueChurn(rule, ctx);
	}
}
