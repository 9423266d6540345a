/**
 * Why this exists: the admin sources area — each source's state from the ingest service (configured
 * sources and any source that has a status row), the quarantine browser and recent runs. Rows are
 * checked with zod before they leave the server.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { readStatuses } from '$ingest';
import type { Source } from '$ingest';
import type { Db } from '$db/client';
import quarantineSql from './quarantine.sql?raw';
import quarantineCountSql from './quarantine-count.sql?raw';
import runsSql from './runs.sql?raw';

export const SourceRowSchema = z.object({
	name: z.string(),
	kind: z.string(),
	configured: z.boolean(),
	interval: z.number().nullable(),
	state: z.string(),
	paused: z.boolean(),
	failures: z.number(),
	lastRunAt: z.string().nullable(),
	lastOkAt: z.string().nullable(),
	lastError: z.string(),
	records: z.number(),
	rejected: z.number(),
	errors: z.number(),
	quarantined: z.number(),
	newestRecord: z.string().nullable(),
	lagSeconds: z.number().nullable()
});
export type SourceRow = z.infer<typeof SourceRowSchema>;

export async function listSources(db: Db, configured: Source[], now = Date.now()): Promise<SourceRow[]> {
	const statuses = await readStatuses(db);
	const q = await (
		await db.client.query({ query: quarantineCountSql, format: 'JSONEachRow' })
	).json<{ source: string; n: string | number }>();
	const quarantined = new Map(q.map((r) => [r.source, Number(r.n)]));
	const names = [...new Set([...configured.map((s) => s.name), ...statuses.keys()])].sort();
	return names.map((name) => {
		const c = configured.find((s) => s.name === name);
		const s = statuses.get(name);
		return SourceRowSchema.parse({
			name,
			kind: c?.kind ?? s?.kind ?? '',
			configured: Boolean(c),
			interval: c?.interval ?? null,
			state: s?.state ?? 'idle',
			paused: s?.paused ?? false,
			failures: s?.failures ?? 0,
			lastRunAt: s?.last_run_at ?? null,
			lastOkAt: s?.last_ok_at ?? null,
			lastError: s?.last_error ?? '',
			records: s?.records_total ?? 0,
			rejected: s?.rejected_total ?? 0,
			errors: s?.errors_total ?? 0,
			quarantined: quarantined.get(name) ?? 0,
			newestRecord: s?.newest_record ?? null,
			lagSeconds: s?.newest_record ? Math.max(0, Math.round((now - Date.parse(s.newest_record)) / 1000)) : null
		});
	});
}

export const QuarantineFilterSchema = z.object({
	source: z.string().max(64).default(''),
	reason: z.string().max(200).default(''),
	limit: z.number().int().min(1).max(200).default(50),
	offset: z.number().int().min(0).max(1_000_000).default(0)
});
export type QuarantineFilter = z.infer<typeof QuarantineFilterSchema>;

export const QuarantineRowSchema = z.object({
	run_id: z.string(),
	source: z.string(),
	file: z.string(),
	line: z.coerce.number(),
	raw: z.string(),
	reason: z.string(),
	at: z.string()
});

export async function listQuarantine(client: ClickHouseClient, f: QuarantineFilter) {
	const rs = await client.query({ query: quarantineSql, query_params: f, format: 'JSONEachRow' });
	return z.array(QuarantineRowSchema).parse(await rs.json());
}

export const RunRowSchema = z.object({
	run_id: z.string(),
	status: z.string(),
	accepted: z.coerce.number(),
	rejected: z.coerce.number(),
	duplicates: z.coerce.number(),
	seconds: z.coerce.number(),
	error: z.string(),
	started_at: z.string(),
	finished_at: z.string()
});

export async function listRuns(client: ClickHouseClient, source: string, limit = 10) {
	const rs = await client.query({ query: runsSql, query_params: { source, limit }, format: 'JSONEachRow' });
	return z.array(RunRowSchema).parse(await rs.json());
}
