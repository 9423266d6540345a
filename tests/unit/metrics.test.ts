/**
 * The measure and KPI definitions ($schemas/metrics) and the SQL rendered from them: each KPI keeps
 * the formula the queries have always used, every KPI and factor names measures that exist, and the
 * JS rates agree with the SQL ones.
 */
import { describe, expect, it } from 'vitest';
import { FACTOR_KPI, FACTORS } from '../../schemas/journey';
import { columnOf, KPIS, kpiSample, kpiValue, MEASURES, ROLLUPS, type Kpi, type KpiId } from '../../schemas/metrics';
import { KPI_META, TREND_KPIS, TrendRowSchema, emptyTrendRow } from '../../schemas/trends';
import { kpiSql, measureList, sumsOf } from '../../src/lib/server/queries/metrics';

describe('KPI formulas', () => {
	it.each([
		['kpi', 'csat', false, 'if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n))'],
		['kpi', 'aht', false, 'if(sum(handle_n) = 0, NULL, sum(handle_sum) / sum(handle_n))'],
		['kpi', 'volume', false, 'sum(interactions)'],
		['hourly', 'fcr', true, 'if(sum(fcr_n) = 0, NULL, round(sum(fcr_sum) / sum(fcr_n), 5))'],
		['hourly', 'abandonment', true, 'if(sum(wait_n) = 0, NULL, round(sum(abandoned) / sum(wait_n), 5))'],
		[
			'hourly',
			'nps',
			true,
			'if(sum(nps_n) = 0, NULL, round(100 * (sum(promoters) - sum(detractors)) / sum(nps_n), 2))'
		],
		['hourly', 'complaints', true, 'sum(complaints)'],
		['hourly', 'complaintRate', false, 'if(sum(interactions) = 0, NULL, sum(complaints) / sum(interactions))'],
		['journey', 'sentiment', false, 'if(sum(sent_n) = 0, NULL, sum(sent_sum) / sum(sent_n))'],
		['customer', 'notResolvedShare', false, 'if(sum(interactions) = 0, NULL, sum(unresolved) / sum(interactions))']
	] as const)('%s %s (rounded: %s) is %s', (rollup, kpi, round, sql) => {
		expect(kpiSql(rollup, kpi, { round })).toBe(sql);
	});

	it('refuses a KPI the roll-up has no measures for', () => {
		expect(() => kpiSql('kpi', 'wait')).toThrow(/kpi has no measure wait_sum/);
		expect(() => kpiSql('journey', 'nps')).toThrow(/journey has no measure promoters/);
	});

	it('selects each summed measure under its own name, whatever the column is called', () => {
		const list = measureList('journey');
		expect(list).toContain('sum(sent_sum) AS sentiment_sum');
		expect(list).toContain('sum(repeats) AS repeats');
		expect(list).not.toContain('customers');
		expect(list.split(',\n').length).toBe(16);
		expect(measureList('customer')).toContain('sum(unresolved) AS not_resolved');
		expect(sumsOf('kpi')).not.toContain('customers');
	});
});

describe('KPI values in JS', () => {
	it('computes totals, ratios and NPS as the SQL does, null when nothing was measured', () => {
		expect(kpiValue('volume', { interactions: 7 })).toBe(7);
		expect(kpiValue('csat', { csat_sum: 17, csat_n: 2 })).toBe(8.5);
		expect(kpiValue('csat', { csat_sum: 0, csat_n: 0 })).toBeNull();
		expect(kpiValue('nps', { promoters: 5, detractors: 2, nps_n: 10 })).toBe(30);
		expect(kpiSample('lowCsatRate', { csat_low: 1, csat_n: 40 })).toBe(40);
	});

	it('says which measure is missing', () => {
		expect(() => kpiValue('fcr', { fcr_sum: 1 })).toThrow(/fcr needs measure fcr_n/);
	});
});

describe('definitions', () => {
	const kpiMeasures = (k: Kpi) => [k.of, k.minus, k.per].filter((m) => m !== undefined);

	it('names only defined measures, and every roll-up column once', () => {
		for (const k of Object.values(KPIS) as Kpi[]) for (const m of kpiMeasures(k)) expect(MEASURES).toHaveProperty(m);
		for (const [id, r] of Object.entries(ROLLUPS)) {
			const columns = r.measures.map((m) => columnOf(id as keyof typeof ROLLUPS, m));
			expect(new Set(columns).size, id).toBe(columns.length);
		}
	});

	it('judges every severity factor on measures of the journey roll-up', () => {
		const journey: readonly string[] = ROLLUPS.journey.measures;
		for (const f of FACTORS) {
			const k: Kpi = KPIS[FACTOR_KPI[f]];
			expect(k.per, f).toBeDefined();
			for (const m of kpiMeasures(k)) expect(journey, `${f}: ${m}`).toContain(m);
		}
	});

	it('derives the trend KPIs’ direction, unit, row schema and empty bucket from the definitions', () => {
		expect(KPI_META.aht).toEqual({ higher: false, unit: 'seconds' });
		expect(KPI_META.nps).toEqual({ higher: true, unit: 'score' });
		for (const k of TREND_KPIS) expect(KPI_META[k].higher).toBe(KPIS[k as KpiId].higher);
		const empty = emptyTrendRow('2025-01-06', '');
		expect(empty).toMatchObject({ volume: 0, complaints: 0, csat: null, nps: null });
		expect(TrendRowSchema.parse(empty)).toEqual(empty);
		expect(TrendRowSchema.parse({ ...empty, volume: '12', csat: '8.25' })).toMatchObject({ volume: 12, csat: 8.25 });
		expect(TrendRowSchema.shape.csat.meta()?.description).toBe('Mean CSAT, normalised to 0–10.');
	});
});
