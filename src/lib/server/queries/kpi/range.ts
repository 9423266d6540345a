/**
 * Why this exists: `kpi.range` — the span of the data, so pages default to a range that has data.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import sql from './range.sql?raw';

export const RANGE_SQL = sql;
export const DataRangeSchema = z.object({ min: z.iso.date().nullable(), max: z.iso.date().nullable() });
export type DataRange = z.infer<typeof DataRangeSchema>;

export async function getDataRange(client: ClickHouseClient): Promise<DataRange> {
	const rs = await client.query({ query: sql, format: 'JSONEachRow' });
	return DataRangeSchema.parse((await rs.json())[0]);
}
