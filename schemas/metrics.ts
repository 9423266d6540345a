/**
 * Why this exists: every measure and KPI is defined here once, and everything that needs one is
 * built from this definition — the SELECT lists and KPI formulas of the query modules
 * (src/lib/server/queries/metrics.ts renders them), the zod row schemas, the rates computed in JS,
 * each KPI's unit, direction and plausible range. The roll-up tables themselves are migrations,
 * which are history and never rewritten; a test reads the migrated tables and views back from
 * ClickHouse and fails when they drift from ROLLUPS and MEASURES.
 *
 * A measure is additive: one column of a roll-up, merged over any set of rows by `merge`. A KPI is a
 * formula over measures: a plain total, or a ratio that is null when its denominator is 0 (nothing
 * was measured), never 0.
 */
import { num, numOrNull } from './fields';

export interface Measure {
	/** What the views compute per group of `interactions` rows (a test checks the migrated views). */
	insert: string;
	/** ClickHouse type of the roll-up column. */
	type: string;
	/** Aggregate that merges the column over roll-up rows (`sum` → `sum(csat_sum)`). */
	merge: string;
	/** Aggregate that merges the column into a coarser roll-up's column (views fed by a roll-up). */
	remerge: string;
	description: string;
}

const sum = (t: 'UInt64' | 'Float64', insert: string, description: string): Measure => ({
	insert,
	type: `SimpleAggregateFunction(sum, ${t})`,
	merge: 'sum',
	remerge: 'sum',
	description
});
/** Sum of a nullable column of interactions; rows where it is null add 0 (and are not counted in `_n`). */
const sumOf = (t: 'UInt64' | 'Float64', column: string, description: string) =>
	sum(t, `sum(assumeNotNull(to${t}(ifNull(${column}, 0))))`, description);

/** What makes one interaction a bad experience, counted by the measures and used to rank raw rows. */
export const LOW_CSAT = 'ifNull(csat_10, 10) <= 4';
export const NEGATIVE_SENTIMENT = 'ifNull(sentiment, 0) < -0.25';

export const MEASURES = {
	interactions: sum('UInt64', 'count()', 'Contacts.'),
	customers: {
		insert: "uniqCombinedStateIf(14)(customer_id, customer_id != '')",
		type: 'AggregateFunction(uniqCombined(14), String)',
		merge: 'uniqCombinedMerge(14)',
		remerge: 'uniqCombinedMergeState(14)',
		description: 'Distinct identified customers (approximate; anonymous contacts are not customers).'
	},
	complaints: sum('UInt64', 'countIf(is_complaint = 1)', 'Contacts flagged as complaints.'),
	csat_sum: sumOf('Float64', 'csat_10', 'Sum of CSAT answers, normalised to 0–10.'),
	csat_n: sum('UInt64', 'count(csat_10)', 'Contacts with a CSAT answer.'),
	csat_low: sum('UInt64', `countIf(${LOW_CSAT})`, 'CSAT ≤ 4 of 10 (1–2 on a 1–5 survey).'),
	satisfied: sum('UInt64', 'countIf(csat_10 >= 7.5)', 'CSAT ≥ 7.5 of 10 (4–5 on a 1–5 survey, "top two boxes").'),
	sentiment_sum: sumOf('Float64', 'sentiment', 'Sum of sentiment scores, −1..1.'),
	sentiment_n: sum('UInt64', 'count(sentiment)', 'Contacts with a sentiment score.'),
	sentiment_neg: sum('UInt64', `countIf(${NEGATIVE_SENTIMENT})`, 'Sentiment below −0.25.'),
	fcr_sum: sumOf('UInt64', 'fcr', 'Contacts resolved at first contact.'),
	fcr_n: sum('UInt64', 'count(fcr)', 'Contacts where the source says whether they were resolved first time.'),
	handle_sum: sumOf('Float64', 'handle_s', 'Handle time, seconds.'),
	handle_n: sum('UInt64', 'count(handle_s)', 'Contacts with a handle time.'),
	first_resp_sum: sumOf('Float64', 'first_response_s', 'First-response time, seconds.'),
	first_resp_n: sum('UInt64', 'count(first_response_s)', 'Contacts with a first-response time.'),
	wait_sum: sumOf('Float64', 'wait_s', 'Queue wait, seconds.'),
	wait_n: sum('UInt64', 'count(wait_s)', 'Contacts that queued (wait time known).'),
	abandoned: sum('UInt64', "countIf(outcome = 'abandoned' AND wait_s IS NOT NULL)", 'Queued contacts abandoned.'),
	outcome_n: sum('UInt64', "countIf(outcome != '')", 'Contacts with an outcome.'),
	unresolved: sum(
		'UInt64',
		"countIf(outcome IN ('unresolved', 'escalated', 'transferred', 'abandoned'))",
		'Contacts unresolved, escalated, transferred or abandoned.'
	),
	not_resolved: sum(
		'UInt64',
		"countIf(outcome NOT IN ('', 'resolved'))",
		'Contacts with an outcome other than resolved (the customer roll-ups call it `unresolved`).'
	),
	repeat_n: sum('UInt64', "countIf(mapContains(attributes, 'reopens'))", 'Contacts that can be reopened.'),
	repeats: sum('UInt64', "countIf(toUInt32OrZero(attributes['reopens']) > 0)", 'Contacts reopened.'),
	promoters: sum('UInt64', 'countIf(nps >= 9)', 'NPS answers 9–10.'),
	detractors: sum('UInt64', 'countIf(nps <= 6)', 'NPS answers 0–6.'),
	nps_n: sum('UInt64', 'count(nps)', 'NPS answers.')
} as const satisfies Record<string, Measure>;
export type MeasureId = keyof typeof MEASURES;

export interface Rollup {
	tables: readonly string[];
	/** The measures the tables carry, in column order. */
	measures: readonly MeasureId[];
	/** Columns named other than their measure. */
	columns?: Partial<Record<MeasureId, string>>;
	/** Aggregate columns that are not measures (name → type), after the measures. */
	other?: Record<string, string>;
}

/** Each service-time measure with its count, as the KPI roll-ups lay them out. */
const SERVICE = ['fcr_sum', 'fcr_n', 'handle_sum', 'handle_n', 'first_resp_sum', 'first_resp_n'] as const;

/** The customer roll-ups' contact measures (per customer-month, and for all customers). */
const CONTACTS = [
	'interactions',
	'complaints',
	'not_resolved',
	'csat_sum',
	'csat_n',
	'sentiment_sum',
	'sentiment_n'
] as const;

/** What the severity model reads per journey cell (the journey and reason roll-ups carry it). */
const JOURNEY = [
	'interactions',
	'customers',
	'complaints',
	'csat_sum',
	'csat_n',
	'csat_low',
	'sentiment_sum',
	'sentiment_n',
	'sentiment_neg',
	'fcr_sum',
	'fcr_n',
	'handle_sum',
	'handle_n',
	'outcome_n',
	'unresolved',
	'repeat_n',
	'repeats'
] as const;
const JOURNEY_COLUMNS = { sentiment_sum: 'sent_sum', sentiment_n: 'sent_n', sentiment_neg: 'sent_neg' } as const;
const JOURNEY_SUMS = JOURNEY.filter((m) => m !== 'customers');
/** Reach and complaint stand-ins of the severity model (docs/journey.md, "Severity"). */
const REASON_OTHER = {
	authors: 'AggregateFunction(uniqCombined(14), String)',
	unattributed: 'SimpleAggregateFunction(sum, UInt64)',
	complaint_like: 'SimpleAggregateFunction(sum, UInt64)'
} as const;

const countsByKey = 'SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64)))';

/** The AggregatingMergeTree roll-ups the dashboards read, as the migrations create them. */
export const ROLLUPS = {
	journey: { tables: ['journey_daily', 'journey_monthly'], measures: JOURNEY, columns: JOURNEY_COLUMNS },
	/** The journey roll-up with the contact reason and the source in the key (the Reasons page, and
	 * the journey map, which resolves reason-touchpoints at query time). */
	reasons: {
		tables: ['reason_daily', 'reason_monthly'],
		measures: JOURNEY,
		columns: JOURNEY_COLUMNS,
		other: REASON_OTHER
	},
	/** The same without segment, region, scenario, intent and distinct customers: the map's usual
	 * question (no such filter) reads a tenth of the rows. */
	reasonsCoarse: {
		tables: ['reason_coarse_daily', 'reason_coarse_monthly'],
		measures: JOURNEY_SUMS,
		columns: JOURNEY_COLUMNS,
		other: REASON_OTHER
	},
	/** Which sources and channels measure the ROI scorecard's KPIs, per hour. */
	measured: {
		tables: ['measured_hourly'],
		measures: ['interactions', 'csat_n', 'fcr_n', 'handle_n', 'first_resp_sum', 'first_resp_n']
	},
	journeyCustomers: {
		tables: ['journey_customers_daily', 'journey_customers_weekly', 'journey_customers_monthly'],
		measures: ['customers']
	},
	/** The same over every value tier: the map's distinct customers when no value segment is chosen. */
	journeyReach: {
		tables: ['journey_reach_daily', 'journey_reach_weekly', 'journey_reach_monthly'],
		measures: ['customers']
	},
	kpi: {
		tables: ['kpi_daily', 'kpi_weekly', 'kpi_monthly'],
		measures: [
			'interactions',
			'customers',
			'csat_sum',
			'csat_n',
			...SERVICE,
			'complaints',
			'sentiment_sum',
			'sentiment_n'
		]
	},
	hourly: {
		tables: ['kpi_hourly'],
		measures: [
			'interactions',
			'csat_sum',
			'csat_n',
			'satisfied',
			...SERVICE,
			'wait_sum',
			'wait_n',
			'abandoned',
			'complaints',
			'sentiment_sum',
			'sentiment_n',
			'promoters',
			'detractors',
			'nps_n'
		]
	},
	customer: {
		tables: ['customer_monthly'],
		measures: CONTACTS,
		columns: { not_resolved: 'unresolved' },
		other: {
			last_ts: "SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
			channels: countsByKey,
			stages: countsByKey,
			needs: countsByKey,
			complaint_intents: countsByKey
		}
	},
	contactMix: {
		tables: ['contact_mix_monthly'],
		measures: CONTACTS,
		columns: { not_resolved: 'unresolved' }
	},
	/** Needs by scenario: contacts by (scenario, intent, reason) per month, for everyone and per customer. */
	needs: { tables: ['need_monthly', 'customer_need_monthly'], measures: ['interactions'] }
} as const satisfies Record<string, Rollup>;
export type RollupId = keyof typeof ROLLUPS;

/** The roll-up column holding a measure. */
export function columnOf(rollup: RollupId, measure: MeasureId): string {
	const r: Rollup = ROLLUPS[rollup];
	if (!r.measures.includes(measure)) throw new Error(`roll-up ${rollup} has no measure ${measure}`);
	return r.columns?.[measure] ?? measure;
}

export type Unit = 'count' | 'score10' | 'share' | 'seconds' | 'score';

export interface Kpi {
	/** The measure summed (a total), or the ratio's numerator. */
	of: MeasureId;
	/** Subtracted from `of` before dividing (NPS: promoters − detractors). */
	minus?: MeasureId;
	/** Factor applied to the numerator (NPS is in points, −100..100). */
	times?: number;
	/** Denominator: the KPI is `of / per`, null when `per` is 0. Absent for totals. */
	per?: MeasureId;
	unit: Unit;
	/** Whether more is better. */
	higher: boolean;
	/** Values outside cannot occur (forecast bands are clipped to it). */
	range: readonly [number, number];
	/** Decimal places a series carries: far below what a chart or table shows, so JSON stays small. */
	digits?: number;
	description: string;
}

/** Plausible values by unit ('score' KPIs give their own). */
const RANGE: Partial<Record<Unit, readonly [number, number]>> = {
	count: [0, Number.MAX_VALUE],
	seconds: [0, Number.MAX_VALUE],
	share: [0, 1],
	score10: [0, 10]
};

/** A measure's total. */
function total<const O extends MeasureId>(of: O, better: 'higher' | 'lower', description: string) {
	return { of, unit: 'count' as const, higher: better === 'higher', range: RANGE.count!, description };
}

/** A ratio of two measures' totals, null when `per` is 0. */
function ratio<const O extends MeasureId, const P extends MeasureId>(
	of: O,
	per: P,
	unit: Unit,
	better: 'higher' | 'lower',
	description: string,
	more: Pick<Kpi, 'minus' | 'times' | 'digits'> & { range?: readonly [number, number] } = {}
) {
	const range = more.range ?? RANGE[unit];
	if (!range) throw new Error(`KPI over ${of} needs a range`);
	return { of, per, unit, higher: better === 'higher', description, ...more, range };
}

export const KPIS = {
	volume: total('interactions', 'higher', 'Contacts.'),
	complaints: total('complaints', 'lower', 'Complaints.'),
	csat: ratio('csat_sum', 'csat_n', 'score10', 'higher', 'Mean CSAT, normalised to 0–10.', { digits: 4 }),
	satisfied: ratio('satisfied', 'csat_n', 'share', 'higher', 'Share of CSAT answers ≥ 7.5 of 10.', { digits: 5 }),
	fcr: ratio('fcr_sum', 'fcr_n', 'share', 'higher', 'First-contact resolution rate 0–1.', { digits: 5 }),
	aht: ratio('handle_sum', 'handle_n', 'seconds', 'lower', 'Average handle time, seconds.', { digits: 2 }),
	firstResponse: ratio('first_resp_sum', 'first_resp_n', 'seconds', 'lower', 'Average first-response time, seconds.', {
		digits: 2
	}),
	wait: ratio('wait_sum', 'wait_n', 'seconds', 'lower', 'Average queue wait, seconds.', { digits: 2 }),
	abandonment: ratio('abandoned', 'wait_n', 'share', 'lower', 'Share of queued contacts abandoned.', { digits: 5 }),
	sentiment: ratio('sentiment_sum', 'sentiment_n', 'score', 'higher', 'Mean sentiment −1..1.', {
		digits: 4,
		range: [-1, 1]
	}),
	nps: ratio('promoters', 'nps_n', 'score', 'higher', 'Net promoter score −100..100 (promoters − detractors).', {
		minus: 'detractors',
		times: 100,
		digits: 2,
		range: [-100, 100]
	}),
	complaintRate: ratio('complaints', 'interactions', 'share', 'lower', 'Complaints per contact.'),
	lowCsatRate: ratio('csat_low', 'csat_n', 'share', 'lower', 'Share of CSAT answers ≤ 4 of 10.'),
	negSentimentRate: ratio(
		'sentiment_neg',
		'sentiment_n',
		'share',
		'lower',
		'Share of contacts with sentiment below −0.25.'
	),
	unresolvedRate: ratio(
		'unresolved',
		'outcome_n',
		'share',
		'lower',
		'Share of contacts with an outcome that were unresolved, escalated, transferred or abandoned.'
	),
	repeatRate: ratio('repeats', 'repeat_n', 'share', 'lower', 'Share of reopenable contacts that were reopened.'),
	notResolvedShare: ratio(
		'not_resolved',
		'interactions',
		'share',
		'lower',
		'Share of contacts with an outcome other than resolved.'
	)
} as const satisfies Record<string, Kpi>;
export type KpiId = keyof typeof KPIS;

/** Measure sums as rows carry them (any subset, keyed by measure). */
export type MeasureRow = Partial<Record<MeasureId, number>>;

/** A KPI from summed measures: a total, or a ratio that is null when nothing was measured. */
export function kpiValue(kpi: KpiId, row: MeasureRow): number | null {
	const k: Kpi = KPIS[kpi];
	const of = k.minus ? measure(row, k.of, kpi) - measure(row, k.minus, kpi) : measure(row, k.of, kpi);
	const numerator = k.times ? k.times * of : of;
	if (!k.per) return numerator;
	const per = measure(row, k.per, kpi);
	return per > 0 ? numerator / per : null;
}

/** The observations a ratio KPI rests on: its denominator (a total's own value). */
export function kpiSample(kpi: KpiId, row: MeasureRow): number {
	const k: Kpi = KPIS[kpi];
	return measure(row, k.per ?? k.of, kpi);
}

function measure(row: MeasureRow, m: MeasureId, kpi: KpiId): number {
	const v = row[m];
	if (v === undefined) throw new Error(`KPI ${kpi} needs measure ${m}`);
	return v;
}

/** The zod shape of a row of measure sums, keyed by measure. */
export function measureShape<const M extends readonly MeasureId[]>(measures: M) {
	return Object.fromEntries(measures.map((m) => [m, num])) as { [K in M[number]]: typeof num };
}

type KpiField<K extends KpiId> = (typeof KPIS)[K] extends { per: string } ? typeof numOrNull : typeof num;

/** Columns of an answer, each holding a KPI: `{ avgHandleSeconds: 'aht' }`. */
export type KpiColumns = Record<string, KpiId>;

/** Columns named after the KPI they hold. */
export function named<const K extends readonly KpiId[]>(kpis: K) {
	return Object.fromEntries(kpis.map((k) => [k, k])) as { [P in K[number]]: P };
}

/** The zod shape of KPI columns (ratios nullable), each described by its KPI's definition. */
export function kpiShape<const C extends KpiColumns>(columns: C) {
	return Object.fromEntries(
		Object.entries(columns).map(([column, k]) => {
			const d: Kpi = KPIS[k];
			return [column, (d.per ? numOrNull : num).meta({ description: d.description })];
		})
	) as { [P in keyof C]: KpiField<C[P]> };
}

/** KPI columns of an empty bucket: totals 0, ratios null (nothing measured). */
export function emptyKpis<const C extends KpiColumns>(columns: C) {
	return Object.fromEntries(
		Object.entries(columns).map(([column, k]) => [column, (KPIS[k] as Kpi).per ? null : 0])
	) as {
		[P in keyof C]: (typeof KPIS)[C[P]] extends { per: string } ? null : 0;
	};
}
