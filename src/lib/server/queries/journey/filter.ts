/**
 * Why this exists: the roll-up rows a journey query reads for a filter, and their bound parameters.
 * Whole months come from journey_monthly, the partial months at the range's edges from
 * journey_daily (as the KPI queries do), so a long range merges a few dozen buckets per cell.
 */
import type { JourneyFilter, PainPointKind, SeveritySettings } from '$schemas/journey';
import { RESOLVED_STAGE, RESOLVED_TOUCHPOINT, type ReasonBinding } from '$ingest';
import { FIRST_DAY } from '$schemas/fields';
import { dayNumber, dayString, wholeMonths, wholeWeeks } from '../kpi/filter';

const CHANNELS = '(empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))';
/** The value segment, given how a row tells a high-value customer. */
const segment = (highValue: string) => `({segment:String} = 'all' OR (({segment:String} = 'high') = ${highValue}))`;
const where = (highValue: string) => `${CHANNELS}
      AND (empty({regions:Array(String)}) OR has({regions:Array(String)}, region))
      AND (empty({scenarios:Array(String)}) OR has({scenarios:Array(String)}, scenario))
      AND (empty({intents:Array(String)}) OR has({intents:Array(String)}, intent))
      AND (empty({reasons:Array(String)}) OR has({reasons:Array(String)}, reason_id))
      AND ${segment(highValue)}`;
const TIER_IS_HIGH_VALUE = 'has({hv_tiers:Array(String)}, tier)';

/** Every journey filter, as one boolean SQL expression over roll-up columns. */
export const JOURNEY_WHERE = where(TIER_IS_HIGH_VALUE);
/** The journey filters the coarse reason roll-up can answer (coarseSums): channel, reason, value segment. */
export const COARSE_JOURNEY_WHERE = `${CHANNELS}
      AND (empty({reasons:Array(String)}) OR has({reasons:Array(String)}, reason_id))
      AND ${segment(TIER_IS_HIGH_VALUE)}`;
/** The same over rows without a tier (raw interactions, journey_steps): the tier is looked up among customers. */
export const RAW_WHERE = where(`(customer_id IN (SELECT customer_id FROM customers WHERE ${TIER_IS_HIGH_VALUE}))`);

/**
 * A reason roll-up's rows with stage and touchpoint resolved: where a source gave no touchpoint,
 * the reason's current name and stage from the dictionary (bound as {r_ids}, {r_stages}, {r_names}).
 * TRICKY: resolved outside the filtering subquery, so a WHERE never sees the replaced columns.
 */
export const resolvedRows = (
	rows: string
) => `SELECT * REPLACE (${RESOLVED_STAGE} AS stage, ${RESOLVED_TOUCHPOINT} AS touchpoint)
    FROM (${rows})`;

/**
 * The same rows keyed by contact reason instead: every row's reason (its current name, merges
 * followed) and the reason's stage stand where stage and touchpoint were, whatever touchpoint a
 * source gave — so pain points can be judged by reason beside touchpoints. Rows without a reason
 * (or of a hidden one) get no stage: counted, never judged.
 */
const reasonRows = (rows: string) => `SELECT * REPLACE (
        transform(reason_id, {r_ids:Array(String)}, {r_stages:Array(String)}, '') AS stage,
        transform(reason_id, {r_ids:Array(String)}, {r_names:Array(String)}, '') AS touchpoint)
    FROM (${rows})`;

/** Roll-up rows keyed as the pain-point kind asks. */
export const keyedRows = (rows: string, by: PainPointKind) => (by === 'reason' ? reasonRows(rows) : resolvedRows(rows));

const ROLLUP_ROWS = (where: string, table = 'reason') => `SELECT * FROM ${table}_monthly
    WHERE day >= {full_from:Date} AND day < {full_to:Date} AND ${where}
    UNION ALL
    SELECT * FROM ${table}_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT (day >= {full_from:Date} AND day < {full_to:Date}) AND ${where}`;

export const JOURNEY_SOURCE = resolvedRows(ROLLUP_ROWS(JOURNEY_WHERE));
/**
 * The same from the coarse reason roll-up (no segment, region, scenario, intent or distinct
 * customers), for a filter coarseSums allows.
 */
const COARSE_ROLLUP_ROWS = ROLLUP_ROWS(COARSE_JOURNEY_WHERE, 'reason_coarse');
export const JOURNEY_COARSE_SOURCE = resolvedRows(COARSE_ROLLUP_ROWS);
/** The journey's rows keyed by contact reason (reasonRows). */
export const REASON_SOURCE = reasonRows(ROLLUP_ROWS(JOURNEY_WHERE));
export const REASON_COARSE_SOURCE = reasonRows(COARSE_ROLLUP_ROWS);

/**
 * A superset of one pain point's stored rows, by the stored columns: its touchpoint, or a row
 * without one whose reason is named so ({tp_reasons}: the ids idsNamed gives). Tested inside the
 * roll-up read, before resolving, so ClickHouse reads the distinct-customer sketches of those rows
 * only; the caller still tests the resolved stage and touchpoint.
 */
export const ONE_TOUCHPOINT: Record<PainPointKind, string> = {
	touchpoint: `(touchpoint = {touchpoint:String} OR (touchpoint = '' AND has({tp_reasons:Array(String)}, reason_id)))`,
	reason: 'has({tp_reasons:Array(String)}, reason_id)'
};
/** One pain point's roll-up rows, keyed as its kind asks (ONE_TOUCHPOINT). */
export const oneTouchpointSource = (by: PainPointKind) =>
	keyedRows(ROLLUP_ROWS(`${JOURNEY_WHERE} AND ${ONE_TOUCHPOINT[by]}`), by);

/** The coarse customers roll-up knows only channel and tier: enough for the channel and value filters. */
const COARSE_WHERE = `${CHANNELS}
      AND ${segment(TIER_IS_HIGH_VALUE)}`;

/**
 * Whole months, then whole weeks outside them, then the remaining days (see wholeWeeks), from
 * journey_customers_* (per value tier) or journey_reach_* (every tier: no value segment chosen).
 * Neither has the reason: rows without a touchpoint (whose reason is their touchpoint) come from
 * the reason roll-up, resolved.
 */
function customersSource(table: 'journey_customers' | 'journey_reach'): string {
	const perTier = table === 'journey_customers';
	const cols = `day, stage, touchpoint, channel${perTier ? ', tier' : ''}, customers`;
	const where = `${perTier ? COARSE_WHERE : CHANNELS} AND touchpoint != ''`;
	return `SELECT ${cols} FROM ${table}_monthly
    WHERE day >= {full_from:Date} AND day < {full_to:Date} AND ${where}
    UNION ALL
    SELECT ${cols} FROM ${table}_weekly
    WHERE has({weeks:Array(Date)}, day) AND ${where}
    UNION ALL
    SELECT ${cols} FROM ${table}_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT (day >= {full_from:Date} AND day < {full_to:Date})
        AND NOT has({weeks:Array(Date)}, toMonday(day)) AND ${where}
    UNION ALL
    SELECT ${cols} FROM (${resolvedRows(ROLLUP_ROWS(`${JOURNEY_WHERE} AND touchpoint = ''`))})`;
}
export const CUSTOMERS_COARSE_SOURCE = customersSource('journey_customers');
export const CUSTOMERS_REACH_SOURCE = customersSource('journey_reach');

/** Whether a filter's sums can come from the coarse reason roll-up (it has channel, tier and reason). */
export function coarseSums(f: JourneyFilter): boolean {
	return !f.regions?.length && !f.scenarios?.length && !f.intents?.length;
}

/**
 * Where distinct customers for this filter come from: the every-tier roll-up (no value segment),
 * the per-tier one (channel and value filters only), else the fine reason roll-up.
 */
export function customersGrain(f: JourneyFilter): 'reach' | 'coarse' | 'fine' {
	if (f.regions?.length || f.scenarios?.length || f.intents?.length || f.reasons?.length) return 'fine';
	return f.segment === 'all' ? 'reach' : 'coarse';
}

/**
 * A filter's bound parameters. `reasons` are the stored ids of the chosen reasons (a reason and the
 * ids merged into it: reasonFilterIds).
 */
export function journeyParams(
	f: JourneyFilter,
	settings: Pick<SeveritySettings, 'highValueTiers'>,
	binding: ReasonBinding & { reasons: string[] }
) {
	const months = wholeMonths(f.from, f.to);
	return {
		...binding,
		from: f.from,
		to: f.to,
		channels: f.channels ?? [],
		regions: f.regions ?? [],
		scenarios: f.scenarios ?? [],
		intents: f.intents ?? [],
		segment: f.segment,
		hv_tiers: settings.highValueTiers,
		...months,
		weeks: wholeWeeks(f.from, f.to, months)
	};
}

/**
 * The period of equal length just before [from, to], cut at the first day a filter may name
 * (ClickHouse's Date starts in 1970).
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
	const days = dayNumber(to) - dayNumber(from) + 1;
	const first = Math.max(dayNumber(FIRST_DAY), dayNumber(from) - days);
	const last = Math.max(first, dayNumber(from) - 1);
	return { from: dayString(first), to: dayString(last) };
}
