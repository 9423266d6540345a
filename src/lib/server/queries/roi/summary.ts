/**
 * Why this exists: `roi.summary` — the executive dashboard's numbers. Measures the service levels of
 * the baseline and comparison periods (hourly roll-up; churn from the CRM's customers), turns them
 * into benefits with the pure ROI model ($lib/roi/model) and the stored assumptions, and scores the
 * plan's KPIs against their targets with a forecast of when each target is reached.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { num } from '$schemas/fields';
import type { Targets } from '$schemas/kpi';
import { KPIS, kpiShape, type KpiColumns } from '$schemas/metrics';
import type { KpiLevels, RoiAssumptions, RoiWarning, Scorecard } from '$schemas/roi';
import type { TrendKpi } from '$schemas/trends';
import { computeRoi, totalInvestment, type RoiInputs, type RoiResult } from '$lib/roi/model';
import { readWholeParts } from '../customers/portrait-store';
import { kpiList } from '../metrics';
import { getForecast } from '../trends/forecast';
import { getTrendRange } from '../trends/series';
import levelsSql from './levels.sql?raw';
import churnSql from './churn.sql?raw';
import measuredBySql from './measured-by.sql?raw';
import customerValueSql from './customer-value.sql?raw';

export const MEASURED_BY_SQL = measuredBySql;
/** Channels a first-response target in seconds is meant for; a ticket's first response takes hours. */
export const LIVE_CHANNELS = ['phone', 'chat'];

const MeasuredRow = z.object({
	source: z.string(),
	channel: z.string(),
	contacts: num,
	fcr: num,
	csat: num,
	aht: num,
	firstResponse: num,
	firstResponseSum: num
});
type MeasuredRow = z.infer<typeof MeasuredRow>;

async function measuredBy(
	client: ClickHouseClient,
	period: { from: string; to: string },
	tz: string
): Promise<MeasuredRow[]> {
	const rs = await client.query({
		query: MEASURED_BY_SQL,
		query_params: { from: `${period.from} 00:00:00`, to_excl: `${addDay(period.to)} 00:00:00`, tz },
		format: 'JSONEachRow'
	});
	return z.array(MeasuredRow).parse(await rs.json());
}

/** Mean first response over the live channels only, null when none of them measures it. */
function liveFirstResponse(rows: MeasuredRow[]): number | null {
	const live = rows.filter((r) => LIVE_CHANNELS.includes(r.channel));
	const n = live.reduce((s, r) => s + r.firstResponse, 0);
	return n ? live.reduce((s, r) => s + r.firstResponseSum, 0) / n : null;
}

/**
 * Baseline and comparison periods: the stored ones, or from the data's own range — the first and
 * last half-year when it spans a year or more, else its first and second half.
 */
export function periodsFromRange(min: string, max: string): { baseline: Period; comparison: Period } {
	const at = (d: string, days: number) =>
		new Date(Date.parse(`${d}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
	const span = daysIn({ from: min, to: max });
	const half = span >= 365 ? 182 : Math.max(1, Math.floor(span / 2));
	return {
		baseline: { from: min, to: at(min, half - 1) },
		comparison: { from: at(max, -(half - 1)), to: max }
	};
}
type Period = { from: string; to: string };

/** The service levels of a period, and the KPI each holds. */
const LEVEL_KPIS = {
	contacts: 'volume',
	fcr: 'fcr',
	csat: 'csat',
	ahtSeconds: 'aht',
	firstResponseSeconds: 'firstResponse',
	complaintRate: 'complaintRate',
	complaintCount: 'complaints'
} as const satisfies KpiColumns;
export const LEVELS_SQL = sqlTemplate(levelsSql, { kpis: kpiList('hourly', LEVEL_KPIS) });
export const CHURN_SQL = churnSql;
export const CUSTOMER_VALUE_SQL = customerValueSql;
/** An assumed customer value this many times the measured mean is flagged. */
export const CLV_WARN_RATIO = 5;

const LevelsRow = z.object({ handledContacts: num, ...kpiShape(LEVEL_KPIS) });
const ChurnRow = z.object({ activeAtStart: num, activeDuring: num, churned: num, activeNow: num });
const ValueRow = z.object({ currency: z.string(), customers: num, mean: num });

/** The customer value as a kept portrait part: it takes no input, so it is built once per data version. */
export const ROI_PARTS = { customerValue: CUSTOMER_VALUE_SQL };

/** What a customer's orders are worth, per currency (never added up across currencies). */
async function customerValue(client: ClickHouseClient): Promise<CustomerValue[]> {
	// TRICKY: orders FINAL over every order takes a few hundred ms at 10M; the stored portrait holds
	// the answer for the current data, so a request reads its rows (computed while none is current).
	const { customerValue: rows } = await readWholeParts(client, ROI_PARTS);
	return z.array(ValueRow).parse(rows);
}

const dayMs = 86_400_000;
export const daysIn = (p: { from: string; to: string }) =>
	Math.round((Date.parse(p.to) - Date.parse(p.from)) / dayMs) + 1;
const addDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);

export async function measureLevels(
	client: ClickHouseClient,
	period: { from: string; to: string },
	tz: string
): Promise<KpiLevels & { complaintsPerWeek: number | null; activeNow: number }> {
	const [lv, ch] = await Promise.all([
		client
			.query({
				query: LEVELS_SQL,
				query_params: { from: `${period.from} 00:00:00`, to_excl: `${addDay(period.to)} 00:00:00`, tz },
				format: 'JSONEachRow'
			})
			.then((r) => r.json())
			.then((rows) => LevelsRow.parse((rows as unknown[])[0])),
		client
			.query({ query: CHURN_SQL, query_params: { from: period.from, to: period.to }, format: 'JSONEachRow' })
			.then((r) => r.json())
			.then((rows) => ChurnRow.parse((rows as unknown[])[0]))
	]);
	const days = daysIn(period);
	const perYear = 365 / days;
	return {
		fcr: lv.fcr,
		csat: lv.csat,
		ahtSeconds: lv.ahtSeconds,
		firstResponseSeconds: lv.firstResponseSeconds,
		complaintRate: lv.contacts ? lv.complaintRate : null,
		churnRate: ch.activeAtStart ? (ch.churned / ch.activeAtStart) * perYear : null,
		// Over the customers active at any time in the period: those who joined during it made
		// contacts too, and dividing by those at its start alone would inflate the rate.
		contactsPerCustomer: ch.activeDuring && lv.contacts ? (lv.contacts / ch.activeDuring) * perYear : null,
		contacts: lv.contacts,
		handledContacts: lv.handledContacts,
		days,
		complaintsPerWeek: lv.contacts ? (lv.complaintCount / days) * 7 : null,
		activeNow: ch.activeNow
	};
}

/** The ROI model's inputs: stored assumptions, with measured volumes where an assumption is 0 (= measure it). */
export function roiInputs(a: RoiAssumptions, before: KpiLevels, after: KpiLevels, activeCustomers: number): RoiInputs {
	const perYear = 365 / Math.max(1, after.days);
	return {
		investment: totalInvestment(a.investments),
		customers: a.customers || activeCustomers,
		annualContacts: a.annualContacts || Math.round(after.contacts * perYear),
		annualHandledContacts: a.annualContacts
			? Math.round(a.annualContacts * (after.contacts ? after.handledContacts / after.contacts : 0))
			: Math.round(after.handledContacts * perYear),
		clv: a.clv,
		costPerMinute: a.costPerMinute,
		costPerComplaint: a.costPerComplaint,
		costPerContact: a.costPerContact,
		discountRate: a.discountRate,
		years: a.years,
		industryClvUplift: a.industryClvUplift,
		before,
		after
	};
}

/**
 * Progress 0 at the baseline, 1 at the target; null when there is no way to go — a baseline that
 * already met the target (progress towards it would read as 0% next to "target met").
 */
export function progressOf(
	baseline: number | null,
	current: number | null,
	target: number | null,
	higher = true
): number | null {
	if (baseline === null || current === null || target === null || target === baseline) return null;
	if (higher ? baseline >= target : baseline <= target) return null;
	return (current - baseline) / (target - baseline);
}

/** The plan's KPIs (each a trend KPI, forecast to date its target), scored in the direction its definition says is better. */
const SCORE_KPIS = (['fcr', 'csat', 'complaints', 'aht', 'firstResponse'] as const satisfies readonly TrendKpi[]).map(
	(kpi) => ({ kpi, higher: KPIS[kpi].higher })
);

export interface RoiSummary {
	/** The assumptions in force, with the periods filled in (from the data when not set). */
	assumptions: RoiAssumptions & { baseline: Period; comparison: Period };
	/** The periods came from the data's range, not from a setting. */
	periodsFromData: boolean;
	/** Numbers not shown, or shown with a caveat, and why. */
	warnings: RoiWarning[];
	targets: Targets;
	tz: string;
	before: KpiLevels;
	after: KpiLevels;
	inputs: RoiInputs;
	result: RoiResult;
	scorecards: Scorecard[];
	/** Customers' order value per currency, to hold the assumed CLV against. */
	customerValue: CustomerValue[];
}
export interface CustomerValue {
	currency: string;
	customers: number;
	mean: number;
}

export async function getRoiSummary(
	client: ClickHouseClient,
	a: RoiAssumptions,
	targets: Targets,
	tz: string,
	opts: { forecasts?: boolean } = {}
): Promise<RoiSummary> {
	const periodsFromData = !a.baseline || !a.comparison;
	let periods = { baseline: a.baseline, comparison: a.comparison };
	if (periodsFromData) {
		const range = await getTrendRange(client, tz);
		const today = new Date().toISOString().slice(0, 10);
		const fromData = periodsFromRange(range.min ?? today, range.max ?? today);
		periods = { baseline: a.baseline ?? fromData.baseline, comparison: a.comparison ?? fromData.comparison };
	}
	const assumptions = { ...a, baseline: periods.baseline!, comparison: periods.comparison! };
	const [measuredBefore, measuredAfter, byBefore, byAfter, values] = await Promise.all([
		measureLevels(client, assumptions.baseline, tz),
		measureLevels(client, assumptions.comparison, tz),
		measuredBy(client, assumptions.baseline, tz),
		measuredBy(client, assumptions.comparison, tz),
		customerValue(client)
	]);
	const warnings: RoiWarning[] = [];
	// No churn recorded in the baseline (or nobody active then) is no measurement of churn: a later
	// churn against it would read as a loss. The retention term is left out instead, and says why.
	const before = {
		...measuredBefore,
		churnRate: measuredBefore.churnRate ? measuredBefore.churnRate : null,
		firstResponseSeconds: liveFirstResponse(byBefore)
	};
	const after = { ...measuredAfter, firstResponseSeconds: liveFirstResponse(byAfter) };
	if (!a.currency) warnings.push('currencyUnset');
	const currencies = new Set(a.investments.map((x) => x.currency || a.currency));
	const mixed = currencies.size > 1;
	if (mixed) warnings.push('mixedCurrencies');
	if (!a.investments.length) warnings.push('noInvestment');
	if (before.churnRate === null) warnings.push('retentionNoBaseline');
	if (before.ahtSeconds === null || after.ahtSeconds === null) warnings.push('handleTimeNoBaseline');
	if (before.complaintRate === null || after.complaintRate === null) warnings.push('complaintsNoBaseline');
	if (before.contactsPerCustomer === null || after.contactsPerCustomer === null) warnings.push('deflectionNoBaseline');
	// The retention term multiplies by the assumed CLV: one far above what customers' orders are
	// worth (in the same currency) would inflate it.
	const own = values.find((v) => v.currency === a.currency);
	if (own && own.mean > 0 && a.clv > CLV_WARN_RATIO * own.mean) warnings.push('clvAboveMeasured');
	const base = roiInputs(assumptions, before, after, after.activeNow);
	// Amounts in different currencies are never added up: no investment total, so no ROI %.
	const inputs = mixed ? { ...base, investment: 0 } : base;
	const pick = (l: typeof before, k: Scorecard['kpi']) =>
		k === 'fcr'
			? l.fcr
			: k === 'csat'
				? l.csat
				: k === 'aht'
					? l.ahtSeconds
					: k === 'firstResponse'
						? l.firstResponseSeconds
						: l.complaintsPerWeek;
	const targetOf = (k: Scorecard['kpi']) =>
		k === 'fcr'
			? targets.fcr
			: k === 'csat'
				? targets.csat
				: k === 'aht'
					? targets.ahtSeconds
					: k === 'firstResponse'
						? targets.firstResponseSeconds
						: before.complaintsPerWeek === null
							? null
							: before.complaintsPerWeek * (1 - a.complaintReductionTarget);
	const scorecards: Scorecard[] = [];
	for (const s of SCORE_KPIS) {
		const baseline = pick(before, s.kpi);
		const current = pick(after, s.kpi);
		const target = targetOf(s.kpi);
		const meets = (v: number | null) => v !== null && target !== null && (s.higher ? v >= target : v <= target);
		const met = meets(current);
		let reachBy: string | null = null;
		let forecast: Scorecard['forecast'] = 'none';
		if (!met && target !== null && opts.forecasts !== false) {
			const f = await getForecast(client, { kpi: s.kpi, horizon: 26, interval: 'week', tz }, tz);
			// A date is a promise: only a forecast whose backtest ran and beat seasonal-naive makes one.
			const checked = f.status === 'ok' && f.backtest.mase !== null && f.backtest.mase < 1;
			forecast = checked ? 'validated' : 'unvalidated';
			if (checked) reachBy = f.forecast.find((p) => (s.higher ? p.mean >= target : p.mean <= target))?.bucket ?? null;
		}
		const count = (r: MeasuredRow) => (s.kpi === 'complaints' ? r.contacts : r[s.kpi]);
		const measured = byAfter
			.filter((r) => count(r) > 0 && (s.kpi !== 'firstResponse' || LIVE_CHANNELS.includes(r.channel)))
			.map((r) => ({ source: r.source, channel: r.channel, contacts: count(r) }));
		scorecards.push({
			kpi: s.kpi,
			measuredBy: measured,
			higher: s.higher,
			baseline,
			current,
			target,
			progress: progressOf(baseline, current, target, s.higher),
			met,
			metAtBaseline: meets(baseline),
			reachBy,
			forecast
		});
	}
	const strip = ({ complaintsPerWeek: _c, activeNow: _a, ...l }: typeof before): KpiLevels => l;
	return {
		assumptions,
		periodsFromData,
		warnings,
		targets,
		tz,
		before: strip(before),
		after: strip(after),
		inputs: { ...inputs, before: strip(before), after: strip(after) },
		result: computeRoi(inputs),
		scorecards,
		customerValue: values
	};
}
