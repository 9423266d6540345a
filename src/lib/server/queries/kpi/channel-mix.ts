/**
 * Why this exists: `kpi.channelMix` — how contacts split across channels.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ChannelMixRowSchema, type ChannelMixRow, type KpiFilter } from '$schemas/kpi';
import { kpiParams } from './filter';
import sql from './channel-mix.sql?raw';

export const CHANNEL_MIX_SQL = sql;

export async function getChannelMix(client: ClickHouseClient, filter: KpiFilter): Promise<ChannelMixRow[]> {
	const rs = await client.query({ query: sql, query_params: kpiParams(filter), format: 'JSONEachRow' });
	return z.array(ChannelMixRowSchema).parse(await rs.json());
}
