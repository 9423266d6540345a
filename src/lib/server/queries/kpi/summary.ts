/**
 * Why this exists: `kpi.summary` — the overview's headline numbers for a filter.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlTemplate } from '$db/sql-template';
import { KpiSummarySchema, type KpiFilter, type KpiSummary } from '$schemas/kpi';
import { kpiParts } from '../metrics';
import { MIXED_SOURCE, kpiParams } from './filter';
import sql from './summary.sql?raw';

export const SUMMARY_SQL = sqlTemplate(sql, {
	source: MIXED_SOURCE,
	...kpiParts('kpi', ['volume', 'csat', 'fcr', 'aht', 'firstResponse', 'complaints', 'sentiment'])
});

export async function getKpiSummary(client: ClickHouseClient, filter: KpiFilter): Promise<KpiSummary> {
	const rs = await client.query({ query: SUMMARY_SQL, query_params: kpiParams(filter), format: 'JSONEachRow' });
	const [row] = await rs.json<unknown>();
	return KpiSummarySchema.parse(row);
}
