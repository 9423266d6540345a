/**
 * Why this exists: `kpi.trend` — KPIs per day/week/month with empty buckets filled on the server,
 * so charts draw gaps as zero-volume periods instead of silently joining distant points.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { KPI_TREND_KPIS, KpiTrendRowSchema, type Interval, type KpiTrendInput, type KpiTrendRow } from '$schemas/kpi';
import { emptyKpis } from '$schemas/metrics';
import { kpiList } from '../metrics';
import { DAILY_SOURCE, MIXED_SOURCE, WEEKLY_SOURCE, kpiParams } from './filter';
import sql from './trend.sql?raw';

/** Weeks start on Monday (ISO). */
export const BUCKET: Record<Interval, string> = {
	day: 'day',
	week: 'toMonday(day)',
	month: 'toStartOfMonth(day)'
};

/** Months read whole months from kpi_monthly, weeks whole weeks from kpi_weekly; days the daily rows. */
const SOURCE: Record<Interval, string> = { day: DAILY_SOURCE, week: WEEKLY_SOURCE, month: MIXED_SOURCE };

const KPIS = kpiList('kpi', KPI_TREND_KPIS);

export function trendSql(interval: Interval): string {
	return sqlTemplate(sql, { bucket: BUCKET[interval], kpis: KPIS, source: SOURCE[interval] });
}

/** Bucket start dates (YYYY-MM-DD, UTC calendar) covering [from, to]. */
export function bucketStarts(from: string, to: string, interval: Interval): string[] {
	const start = new Date(`${from}T00:00:00Z`);
	if (interval === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
	if (interval === 'month') start.setUTCDate(1);
	const end = new Date(`${to}T00:00:00Z`);
	const out: string[] = [];
	for (const d = start; d <= end;) {
		out.push(d.toISOString().slice(0, 10));
		if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
		else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
		else d.setUTCMonth(d.getUTCMonth() + 1);
	}
	return out;
}

const { interactions, ...rest } = emptyKpis(KPI_TREND_KPIS);
/** A bucket without contacts, in the order of a trend row. */
const EMPTY = { interactions, customers: 0, ...rest };

export function fillBuckets(rows: KpiTrendRow[], buckets: string[]): KpiTrendRow[] {
	const byBucket = new Map(rows.map((r) => [r.bucket, r]));
	return buckets.map((bucket) => byBucket.get(bucket) ?? { bucket, ...EMPTY });
}

export async function getKpiTrend(client: ClickHouseClient, input: KpiTrendInput): Promise<KpiTrendRow[]> {
	const rs = await client.query({
		query: trendSql(input.interval),
		query_params: kpiParams(input),
		format: 'JSONEachRow'
	});
	const rows = z.array(KpiTrendRowSchema).parse(await rs.json());
	return fillBuckets(rows, bucketStarts(input.from, input.to, input.interval));
}
