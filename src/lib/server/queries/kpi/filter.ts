/**
 * Why this exists: the WHERE clause shared by every kpi_daily query, and its bound parameters.
 * Values are always parameters; nothing from the request is spliced into SQL text.
 */
import type { KpiFilter } from '$schemas/kpi';

export const KPI_WHERE = `day BETWEEN {from:Date} AND {to:Date}
  AND (empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))
  AND ({segment:String} = '' OR segment = {segment:String})`;

export function kpiParams(f: KpiFilter) {
	return { from: f.from, to: f.to, channels: f.channels ?? [], segment: f.segment ?? '' };
}
