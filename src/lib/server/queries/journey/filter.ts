/**
 * Why this exists: the roll-up rows a journey query reads for a filter, and their bound parameters.
 * Whole months come from journey_monthly, the partial months at the range's edges from
 * journey_daily (as the KPI queries do), so a long range merges a few dozen buckets per cell.
 */
import type { JourneyFilter, SeveritySettings } from '$schemas/journey';
import { addDays } from '$lib/format';
import { wholeMonths } from '../kpi/filter';

/** Every journey filter, as one boolean SQL expression over roll-up or raw columns. */
export const JOURNEY_WHERE = `(empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))
      AND (empty({regions:Array(String)}) OR has({regions:Array(String)}, region))
      AND (empty({scenarios:Array(String)}) OR has({scenarios:Array(String)}, scenario))
      AND (empty({intents:Array(String)}) OR has({intents:Array(String)}, intent))
      AND ({segment:String} = 'all' OR (({segment:String} = 'high') = has({hv_tiers:Array(String)}, tier)))`;

export const JOURNEY_SOURCE = `SELECT * FROM journey_monthly
    WHERE day >= {full_from:Date} AND day < {full_to:Date} AND ${JOURNEY_WHERE}
    UNION ALL
    SELECT * FROM journey_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT (day >= {full_from:Date} AND day < {full_to:Date}) AND ${JOURNEY_WHERE}`;

export function journeyParams(f: JourneyFilter, settings: Pick<SeveritySettings, 'highValueTiers'>) {
	return {
		from: f.from,
		to: f.to,
		channels: f.channels ?? [],
		regions: f.regions ?? [],
		scenarios: f.scenarios ?? [],
		intents: f.intents ?? [],
		segment: f.segment,
		hv_tiers: settings.highValueTiers,
		...wholeMonths(f.from, f.to)
	};
}

/** The period of equal length just before [from, to]. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
	const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
	return { from: addDays(from, -days), to: addDays(from, -1) };
}
