/**
 * Why this exists: an action's measured effect — weekly sums of every unit of the action's kind
 * (touchpoints, or reasons) around its done date, read from the daily reason roll-up, fed to the
 * difference in differences (did.ts), and the effect priced with the ROI page's assumptions and
 * formulas ($lib/roi/model). Weekly sums depend only on the stored data: kept per data version.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import type { Action, ActionEffect, ActionKpi } from '$schemas/actions';
import { FIRST_DAY, LAST_DAY, num } from '$schemas/fields';
import type { PainPointKind } from '$schemas/journey';
import { kpiSample, kpiValue } from '$schemas/metrics';
import { kpiChangeValue, paybackMonths } from '$lib/roi/model';
import { cached } from '../../kept';
import { keyedRows } from '../journey/filter';
import { complaintSources, JourneySumsSchema, toMetrics } from '../journey/map';
import { measureList } from '../metrics';
import { reasonParams } from '../reasons/dictionary';
import { readRoiAssumptions } from '../settings/read';
import { DID_DEFAULTS, differenceInDifferences, didWeeks, mondayOf, type IntervalMethod, type UnitWeek } from './did';
import weeksSql from './weeks.sql?raw';

const weeksSqlOf = (by: PainPointKind) =>
	sqlTemplate(weeksSql, { rows: keyedRows('SELECT * FROM reason_daily', by), measures: measureList('journey') });
export const WEEKS_SQL = { touchpoint: weeksSqlOf('touchpoint'), reason: weeksSqlOf('reason') } as const;
export const DATA_END_SQL = 'SELECT toString(max(day)) AS end, count() AS n FROM reason_monthly';

const WeekRowSchema = JourneySumsSchema.extend({
	week: z.string(),
	stage: z.string(),
	touchpoint: z.string(),
	complaint_measured: num,
	complaint_like: num
});
type WeekRow = z.infer<typeof WeekRowSchema>;

/** A unit's key: stage and touchpoint (or reason name). */
export const unitKey = (stage: string, touchpoint: string) => `${stage}\u001f${touchpoint}`;

/** The KPI of one unit-week as a ratio of sums, with the KPI's definition from $schemas/metrics. */
export function kpiSums(kpi: ActionKpi, r: WeekRow): { num: number; den: number } {
	switch (kpi) {
		case 'complaintRate': {
			// The severity model's complaint factor: complaint-like contacts where a source flags none.
			const m = toMetrics({ ...r, channel: '', level: 'touchpoint', customers: 0, hv_interactions: 0 });
			const den = m.samples.complaint;
			return { num: (m.rates.complaint ?? 0) * den, den };
		}
		case 'csat':
			return { num: (kpiValue('csat', r) ?? 0) * kpiSample('csat', r), den: kpiSample('csat', r) };
		case 'negativeShare':
			return {
				num: (kpiValue('negSentimentRate', r) ?? 0) * kpiSample('negSentimentRate', r),
				den: kpiSample('negSentimentRate', r)
			};
		case 'aht':
			return { num: (kpiValue('aht', r) ?? 0) * kpiSample('aht', r), den: kpiSample('aht', r) };
	}
}

export async function dataEnd(client: ClickHouseClient): Promise<string | null> {
	const rs = await client.query({ query: DATA_END_SQL, format: 'JSONEachRow' });
	const [row] = z.array(z.object({ end: z.string(), n: num })).parse(await rs.json());
	return row && row.n > 0 ? row.end : null;
}

async function weekRows(client: ClickHouseClient, by: PainPointKind, from: string, to: string): Promise<WeekRow[]> {
	return cached(client, ['actionWeeks', by, from, to], async () => {
		const [binding, sources] = await Promise.all([reasonParams(client), complaintSources(client)]);
		const rs = await client.query({
			query: WEEKS_SQL[by],
			query_params: { ...binding, complaint_sources: sources, from, to },
			format: 'JSONEachRow'
		});
		return z.array(WeekRowSchema).parse(await rs.json());
	});
}

const empty = (kpi: ActionKpi, status: ActionEffect['status'], currency: string): ActionEffect => ({
	status,
	reasons: [],
	kpi,
	effect: null,
	low: null,
	high: null,
	before: null,
	after: null,
	comparisonBefore: null,
	comparisonAfter: null,
	weeksBefore: 0,
	weeksAfter: 0,
	contactsBefore: 0,
	contactsAfter: 0,
	comparableUnits: 0,
	daysAfter: 0,
	annualBenefit: null,
	paybackMonths: null,
	currency
});

/**
 * The effect of a done action. `others` are the other actions: units with an action in progress or
 * done are touched too, so they are no comparison.
 */
export async function measureEffect(
	client: ClickHouseClient,
	action: Action,
	others: Action[],
	opts: Partial<typeof DID_DEFAULTS> & { interval?: IntervalMethod } = {}
): Promise<ActionEffect> {
	const assumptions = await readRoiAssumptions(client);
	const currency = assumptions.currency;
	if (action.status !== 'done' || !action.doneAt) return empty(action.kpi, 'notDone', currency);
	const end = await dataEnd(client);
	const o = { ...DID_DEFAULTS, ...opts, dataEnd: end ?? action.doneAt };
	const weeks = didWeeks(action.doneAt, { window: o.window, dataEnd: LAST_DAY });
	// Clamped to the days ClickHouse's Date holds: a done date near either end still reads its side.
	const from = [weeks.before[0] ?? mondayOf(action.doneAt), FIRST_DAY].sort().at(-1)!;
	const last = weeks.after.at(-1) ?? mondayOf(action.doneAt);
	const to = [
		new Date(Date.parse(`${last}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10),
		LAST_DAY
	].sort()[0]!;
	const rows = await weekRows(client, action.targetKind, from, to);
	const touched = new Set(
		others
			.filter((a) => a.id !== action.id && a.targetKind === action.targetKind)
			.filter((a) => a.status === 'done' || a.status === 'in_progress')
			.map((a) => unitKey(a.stage, a.touchpoint))
	);
	const treated = unitKey(action.stage, action.touchpoint);
	const unitWeeks: UnitWeek[] = rows.map((r) => ({
		unit: unitKey(r.stage, r.touchpoint),
		week: r.week,
		...kpiSums(action.kpi, r)
	}));
	const did = differenceInDifferences(unitWeeks, treated, action.doneAt, touched, o, opts.interval);
	const mine = rows.filter((r) => unitKey(r.stage, r.touchpoint) === treated);
	const out: ActionEffect = {
		...empty(action.kpi, did.reasons.length ? 'notEnoughData' : 'measured', currency),
		reasons: mine.length ? did.reasons : ['unknownTarget', ...did.reasons],
		effect: did.effect,
		low: did.low,
		high: did.high,
		before: did.before,
		after: did.after,
		comparisonBefore: did.comparisonBefore,
		comparisonAfter: did.comparisonAfter,
		weeksBefore: did.weeksBefore,
		weeksAfter: did.weeksAfter,
		contactsBefore: did.sampleBefore,
		contactsAfter: did.sampleAfter,
		comparableUnits: did.comparableUnits,
		daysAfter: did.daysAfter
	};
	if (did.effect === null) return out;
	// A year of the unit's volume at its level after the action, from the weeks measured.
	const afterSet = new Set(didWeeks(action.doneAt, o).after);
	const after = mine.filter((r) => afterSet.has(r.week));
	const perYear = afterSet.size ? 365 / (7 * afterSet.size) : 0;
	const annualBenefit = kpiChangeValue(
		action.kpi,
		did.effect,
		{
			annualContacts: after.reduce((s, r) => s + r.interactions, 0) * perYear,
			annualHandledContacts: after.reduce((s, r) => s + r.handle_n, 0) * perYear
		},
		assumptions
	);
	return {
		...out,
		annualBenefit,
		paybackMonths: annualBenefit === null ? null : paybackMonths(action.cost, annualBenefit)
	};
}
