/**
 * Why this exists: `kpi.summary` — the overview's headline numbers for a filter.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlTemplate } from '$db/sql-template';
import { KpiSummarySchema, OVERVIEW_KPIS, type KpiFilter, type KpiSummary } from '$schemas/kpi';
import { kpiList } from '../metrics';
import { MIXED_SOURCE, kpiParams } from './filter';
import sql from './summary.sql?raw';

export const SUMMARY_SQL = sqlTemplate(sql, { kpis: kpiList('kpi', OVERVIEW_KPIS), source: MIXED_SOURCE });

export async function getKpiSummary(client: ClickHouseClient, filter: KpiFilter): Promise<KpiSummary> {
	const rs = await client.query({ query: SUMMARY_SQL, query_params: kpiParams(filter), format: 'JSONEachRow' });
	const [row] = await rs.json<unknown>();
	return KpiSummarySchema.parse(row);
}
