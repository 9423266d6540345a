/**
 * Why this exists: the roll-up rows a KPI query reads for a filter, and their bound parameters.
 * Whole months of the range come from kpi_monthly and the partial months at its edges from
 * kpi_daily, so a 2-year summary merges ~24 buckets per channel instead of ~730. Values are
 * always bound parameters. Week buckets read whole weeks from kpi_weekly likewise.
 */
import type { KpiFilter } from '$schemas/kpi';

const FILTER = `(empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))
      AND ({segment:String} = '' OR segment = {segment:String})`;

/** Rows of kpi_daily for the range (day buckets). */
export const DAILY_SOURCE = `SELECT * FROM kpi_daily WHERE day BETWEEN {from:Date} AND {to:Date} AND ${FILTER}`;

/**
 * Rows of kpi_weekly for the whole weeks of the range plus kpi_daily for the edges. A week that runs
 * into a new month is two rows of kpi_weekly: bucket by toMonday(day).
 */
export const WEEKLY_SOURCE = `SELECT * FROM kpi_weekly WHERE has({weeks:Array(Date)}, toMonday(day)) AND ${FILTER}
    UNION ALL
    SELECT * FROM kpi_daily
    WHERE day BETWEEN {from:Date} AND {to:Date} AND NOT has({weeks:Array(Date)}, toMonday(day)) AND ${FILTER}`;

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

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 (a number: comparisons and steps cannot go wrong the way strings can). */
export const dayNumber = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
export const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Mondays of the whole weeks inside [from, to] that lie entirely outside [full_from, full_to). */
export function wholeWeeks(from: string, to: string, full: { full_from: string; full_to: string }): string[] {
	const [first, last] = [dayNumber(from), dayNumber(to)];
	const [fullFrom, fullTo] = [dayNumber(full.full_from), dayNumber(full.full_to)];
	if (![first, last, fullFrom, fullTo].every(Number.isFinite)) throw new RangeError(`not a date range: ${from}..${to}`);
	const out: string[] = [];
	// Day 0 (1970-01-01) was a Thursday: (n + 3) % 7 counts days since Monday.
	const monday = first + ((7 - ((first + 3) % 7)) % 7);
	for (let w = monday; w + 6 <= last; w += 7) if (w + 6 < fullFrom || w >= fullTo) out.push(dayString(w));
	return out;
}

export function kpiParams(f: KpiFilter, opts: { ignoreChannels?: boolean } = {}) {
	return {
		from: f.from,
		to: f.to,
		channels: opts.ignoreChannels ? [] : (f.channels ?? []),
		segment: f.segment ?? '',
		...wholeMonths(f.from, f.to),
		// Every whole week of the range (none left to whole months).
		weeks: wholeWeeks(f.from, f.to, { full_from: f.from, full_to: f.from })
	};
}
