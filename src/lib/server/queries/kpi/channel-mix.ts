/**
 * Why this exists: `kpi.channelMix` — how contacts split across channels.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { ChannelMixRowSchema, type ChannelMixRow, type KpiFilter } from '$schemas/kpi';
import { MIXED_SOURCE, kpiParams } from './filter';
import sql from './channel-mix.sql?raw';

export const CHANNEL_MIX_SQL = sqlTemplate(sql, { source: MIXED_SOURCE });

export async function getChannelMix(client: ClickHouseClient, filter: KpiFilter): Promise<ChannelMixRow[]> {
	const rs = await client.query({
		query: CHANNEL_MIX_SQL,
		query_params: kpiParams(filter, { ignoreChannels: true }),
		format: 'JSONEachRow'
	});
	return z.array(ChannelMixRowSchema).parse(await rs.json());
}
