/**
 * Why this exists: `trends.series` — every trend KPI per day/week/month in the reader's time zone,
 * overall or per channel / team / segment / stage, read from the hourly roll-up (kpi_hourly) and with
 * empty buckets filled here, so a chart shows a quiet week as a gap, not a line across it.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import type { Interval } from '$schemas/kpi';
import {
	emptyTrendRow,
	TrendRowSchema,
	TrendSeriesInputSchema,
	TREND_KPIS,
	type Breakdown,
	type TrendRow,
	type TrendSeries,
	type TrendSeriesInput
} from '$schemas/trends';
import { bucketStarts } from '../kpi/trend';
import { named } from '$schemas/metrics';
import { kpiList } from '../metrics';
import sql from './series.sql?raw';
import rangeSql from './range.sql?raw';

/** Local calendar buckets; weeks start on Monday (ISO). */
export const BUCKET: Record<Interval, string> = {
	day: 'toDate(hour, {tz:String})',
	week: 'toMonday(toDate(hour, {tz:String}))',
	month: 'toStartOfMonth(toDate(hour, {tz:String}))'
};

/** Roll-up rows of each breakdown kind (the `dim` column). */
export const DIM: Record<Breakdown, string> = {
	none: 'all',
	channel: 'channel',
	team: 'team',
	segment: 'segment',
	stage: 'stage'
};

/** At most this many groups per breakdown (the largest by volume); a chart with more is unreadable. */
export const MAX_GROUPS = 12;

const KPIS = kpiList('hourly', named(TREND_KPIS), { round: true });

export function seriesSql(interval: Interval): string {
	return sqlTemplate(sql, { bucket: BUCKET[interval], kpis: KPIS });
}
export const RANGE_SQL = rangeSql;

const addDay = (d: string) => {
	const t = new Date(`${d}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + 1);
	return t.toISOString().slice(0, 10);
};

export const emptyRow = emptyTrendRow;

/** Every (group, bucket) pair, in group order then time order; missing ones as empty rows. */
export function fillSeries(rows: TrendRow[], groups: string[], buckets: string[]): TrendRow[] {
	const key = (g: string, b: string) => `${g}\u0000${b}`;
	const have = new Map(rows.map((r) => [key(r.group, r.bucket), r]));
	return groups.flatMap((g) => buckets.map((b) => have.get(key(g, b)) ?? emptyRow(b, g)));
}

export async function getTrendSeries(
	client: ClickHouseClient,
	raw: TrendSeriesInput,
	defaultTz = 'UTC'
): Promise<TrendSeries> {
	const input = TrendSeriesInputSchema.parse(raw);
	const tz = input.tz ?? defaultTz;
	const rs = await client.query({
		query: seriesSql(input.interval),
		query_params: {
			dim: DIM[input.breakdown],
			value: input.breakdown === 'none' ? '' : input.value,
			from: `${input.from} 00:00:00`,
			to_excl: `${addDay(input.to)} 00:00:00`,
			tz
		},
		format: 'JSONEachRow'
	});
	const rows = z.array(TrendRowSchema).parse(await rs.json());
	const volumeByGroup = new Map<string, number>();
	for (const r of rows) volumeByGroup.set(r.group, (volumeByGroup.get(r.group) ?? 0) + r.volume);
	const groups =
		input.breakdown === 'none'
			? ['']
			: [...volumeByGroup.entries()]
					.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
					.slice(0, MAX_GROUPS)
					.map(([g]) => g);
	if (input.breakdown !== 'none' && input.value && !groups.includes(input.value)) groups.push(input.value);
	const kept = new Set(groups);
	return {
		tz,
		interval: input.interval,
		breakdown: input.breakdown,
		groups,
		rows: fillSeries(
			rows.filter((r) => kept.has(r.group)),
			groups,
			bucketStarts(input.from, input.to, input.interval)
		)
	};
}

export async function getTrendRange(
	client: ClickHouseClient,
	tz = 'UTC'
): Promise<{ min: string | null; max: string | null; fingerprint: string }> {
	const rs = await client.query({ query: RANGE_SQL, query_params: { tz }, format: 'JSONEachRow' });
	const [r] = await rs.json<{ min: string; max: string; n: string | number; total: string | number }>();
	return r && Number(r.n) > 0
		? { min: r.min, max: r.max, fingerprint: `${r.n}:${r.total}:${r.min}:${r.max}` }
		: { min: null, max: null, fingerprint: 'empty' };
}
