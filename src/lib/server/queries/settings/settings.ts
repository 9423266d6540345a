/**
 * Why this exists: settings (targets now; rules and assumptions later) are stored in ClickHouse as
 * JSON under a key and always read back through a zod schema that supplies defaults, so a missing
 * or older stored value still yields a complete, valid object.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { z } from 'zod';
import sql from './settings.sql?raw';

export const SETTING_SQL = sql;

export async function readSetting<S extends z.ZodType>(
	client: ClickHouseClient,
	key: string,
	schema: S
): Promise<z.infer<S>> {
	const rs = await client.query({ query: sql, query_params: { key }, format: 'JSONEachRow' });
	const [row] = await rs.json<{ value: string }>();
	let stored: unknown = {};
	try {
		stored = row ? JSON.parse(row.value) : {};
	} catch {
		stored = {};
	}
	const parsed = schema.safeParse(stored);
	return parsed.success ? parsed.data : schema.parse({});
}

export async function writeSetting(client: ClickHouseClient, key: string, value: unknown): Promise<void> {
	await client.insert({
		table: 'settings',
		values: [{ key, value: JSON.stringify(value), updated_at: Date.now() }],
		format: 'JSONEachRow'
	});
}
