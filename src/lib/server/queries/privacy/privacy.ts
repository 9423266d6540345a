/**
 * Why this exists: the two privacy controls admins have — revealing one customer's personal data
 * with a recorded reason, and per-source retention enforced by ClickHouse TTL (rows older than a
 * source's period are deleted by the engine itself during merges; roll-ups keep the aggregates).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Db } from '$db/client';
import { mutationTarget } from '$db/cluster';
import customerPiiSql from './customer-pii.sql?raw';
import sourcesSql from './sources.sql?raw';

export const CUSTOMER_PII_SQL = customerPiiSql;
export const SOURCES_SQL = sourcesSql;

export const CustomerPiiSchema = z.object({
	customer_id: z.string(),
	name: z.string(),
	email: z.string(),
	phone: z.string()
});
export type CustomerPii = z.infer<typeof CustomerPiiSchema>;

export async function customerPii(client: ClickHouseClient, customer_id: string): Promise<CustomerPii | undefined> {
	const rs = await client.query({ query: customerPiiSql, query_params: { customer_id }, format: 'JSONEachRow' });
	const [row] = await rs.json();
	return row ? CustomerPiiSchema.parse(row) : undefined;
}

/** Any stored source name — quotes, slashes and Unicode included — or its rows could never be deleted. */
export const SourceNameSchema = z.string().min(1).max(256);
const PLAIN = /^[A-Za-z0-9_.-]{1,64}$/;
/** A source name as a DDL literal: plain names quoted as they are, any other name hex-encoded (nothing to escape). */
const sourceLiteral = (name: string) =>
	PLAIN.test(name) ? `'${name}'` : `unhex('${Buffer.from(name, 'utf8').toString('hex')}')`;
/** Days to keep each source's interactions; a source not listed is kept forever. */
export const RetentionSchema = z.record(SourceNameSchema, z.number().int().min(1).max(36_500)).default({});
export type Retention = z.infer<typeof RetentionSchema>;

export async function retentionSources(client: ClickHouseClient) {
	const rs = await client.query({ query: sourcesSql, format: 'JSONEachRow' });
	return z
		.array(z.object({ source: z.string(), interactions: z.coerce.number(), oldest: z.string() }))
		.parse(await rs.json());
}

/**
 * The TTL clause for a retention map. TRICKY: DDL takes no bound parameters, so the expression is
 * built here — from source names written as plain or hex literals (sourceLiteral) and integer days.
 */
export function retentionTtl(retention: Retention): string | null {
	const entries = Object.entries(RetentionSchema.parse(retention)).sort(([a], [b]) => a.localeCompare(b));
	if (!entries.length) return null;
	const cases = entries.map(([source, days]) => `source = ${sourceLiteral(source)}, ${days}`).join(', ');
	return `toDateTime(ts) + toIntervalDay(multiIf(${cases}, 1000000))`;
}

/** Applies the retention map to `interactions` (and the quarantine keeps its own 90 days). */
export async function applyRetention(db: Db, retention: Retention): Promise<string> {
	const ttl = retentionTtl(retention);
	const query = ttl
		? `ALTER TABLE ${mutationTarget(db, 'interactions')} MODIFY TTL ${ttl}`
		: `ALTER TABLE ${mutationTarget(db, 'interactions')} REMOVE TTL`;
	await db.client.command({ query, clickhouse_settings: { mutations_sync: '0' } }).catch(async (err: Error) => {
		// Removing a TTL that was never set is not an error for us.
		if (!ttl && /TTL/i.test(err.message)) return;
		throw err;
	});
	return query;
}
