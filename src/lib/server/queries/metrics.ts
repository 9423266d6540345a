/**
 * Why this exists: the SQL of the measures and KPIs defined in $schemas/metrics, as literal parts
 * for sqlTemplate. A query file says `{{measures}}` where it selects a roll-up's measure sums,
 * `{{kpis}}` where it selects an answer's KPI columns and `{{csat}} AS csat` where it computes one
 * KPI, so every query computes a KPI with the same formula.
 */
import {
	columnOf,
	KPIS,
	MEASURES,
	ROLLUPS,
	type Kpi,
	type KpiColumns,
	type KpiId,
	type MeasureId,
	type RollupId
} from '$schemas/metrics';

/** A measure merged over roll-up rows, e.g. `sum(sent_sum)`. */
export function measureSql(rollup: RollupId, measure: MeasureId): string {
	return `${MEASURES[measure].merge}(${columnOf(rollup, measure)})`;
}

/** The roll-up's summed measures (distinct customers are merged where a query needs them). */
export function sumsOf<R extends RollupId>(rollup: R) {
	const all: readonly MeasureId[] = ROLLUPS[rollup].measures;
	return all.filter((m) => MEASURES[m].merge === 'sum') as Exclude<
		(typeof ROLLUPS)[R]['measures'][number],
		'customers'
	>[];
}

/** A SELECT list: `sum(column) AS measure` for each measure, one per line. */
export function measureList(rollup: RollupId, measures: readonly MeasureId[] = sumsOf(rollup)): string {
	return measures.map((m) => `${measureSql(rollup, m)} AS ${m}`).join(',\n    ');
}

/**
 * A KPI over roll-up rows: a measure's total, or `if(sum(per) = 0, NULL, sum(of) / sum(per))`.
 * `round` rounds a ratio to the KPI's digits (series, where full precision only bloats the JSON).
 */
export function kpiSql(rollup: RollupId, kpi: KpiId, opts: { round?: boolean } = {}): string {
	const k: Kpi = KPIS[kpi];
	const m = (id: MeasureId) => measureSql(rollup, id);
	const of = k.minus ? `(${m(k.of)} - ${m(k.minus)})` : m(k.of);
	const numerator = k.times ? `${k.times} * ${of}` : of;
	if (!k.per) return numerator;
	const ratio = `${numerator} / ${m(k.per)}`;
	return `if(${m(k.per)} = 0, NULL, ${opts.round && k.digits !== undefined ? `round(${ratio}, ${k.digits})` : ratio})`;
}

/** A SELECT list: `formula AS column` for each KPI column, one per line. */
export function kpiList(rollup: RollupId, columns: KpiColumns, opts: { round?: boolean } = {}): string {
	return Object.entries(columns)
		.map(([column, k]) => `${kpiSql(rollup, k, opts)} AS ${column}`)
		.join(',\n    ');
}

/** sqlTemplate parts `{{kpi}}` for each KPI. */
export function kpiParts(rollup: RollupId, kpis: readonly KpiId[], opts: { round?: boolean } = {}) {
	return Object.fromEntries(kpis.map((k) => [k, kpiSql(rollup, k, opts)]));
}
