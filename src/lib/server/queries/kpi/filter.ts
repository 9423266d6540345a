/**
 * Why this exists: the roll-up rows a KPI query reads for a filter, and their bound parameters.
 * Whole months of the range come from kpi_monthly and the partial months at its edges from
 * kpi_daily, so a 2-year summary merges ~24 buckets per channel instead of ~730. Values are
 * always bound parameters.
 */
import type { KpiFilter } from '$schemas/kpi';

const FILTER = `(empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))
      AND ({segment:String} = '' OR segment = {segment:String})`;

/** Rows of kpi_daily for the range (day and week buckets). */
export const DAILY_SOURCE = `SELECT * FROM kpi_daily WHERE day BETWEEN {from:Date} AND {to:Date} AND ${FILTER}`;

/** Rows of kpi_monthly for whole months plus kpi_daily for the edges; `day` is the bucket start. */
export const MIXED_SOURCE = `SELECT * FROM kpi_monthly
    WHERE day >= {full_from:Date} AND day < {full_to:Date} AND ${FILTER}
    UNION ALL
    SELECT * FROM kpi_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT (day >= {full_from:Date} AND day < {full_to:Date}) AND ${FILTER}`;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The whole months inside [from, to] as [full_from, full_to) — empty when there are none. */
export function wholeMonths(from: string, to: string): { full_from: string; full_to: string } {
	const f = new Date(`${from}T00:00:00Z`);
	const start = f.getUTCDate() === 1 ? f : new Date(Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 1));
	const t = new Date(`${to}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + 1); // exclusive end
	const end = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
	return start < end ? { full_from: iso(start), full_to: iso(end) } : { full_from: iso(start), full_to: iso(start) };
}

export function kpiParams(f: KpiFilter, opts: { ignoreChannels?: boolean } = {}) {
	return {
		from: f.from,
		to: f.to,
		channels: opts.ignoreChannels ? [] : (f.channels ?? []),
		segment: f.segment ?? '',
		...wholeMonths(f.from, f.to)
	};
}
