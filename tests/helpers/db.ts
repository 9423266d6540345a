/**
 * Why this exists: integration tests run on a real embedded ClickHouse in a fresh temp directory.
 * libchdb binds one directory per process and vitest runs each test file in its own fork, so one
 * database per test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../db/client';

export async function freshDb() {
	process.env.TOUCHMAP_DATA_DIR = mkdtempSync(join(tmpdir(), 'touchmap-it-'));
	process.env.TOUCHMAP_DEMO = '0';
	const { openDb } = await import('../../db/open');
	const { closeDb } = await import('../../db/client');
	const dir = process.env.TOUCHMAP_DATA_DIR;
	const close = async () => {
		await closeDb();
		rmSync(dir, { recursive: true, force: true });
	};
	return { db: await openDb(), close, dir };
}

export async function rows<T>(
	db: { client: import('@clickhouse/client').ClickHouseClient },
	query: string,
	query_params = {}
) {
	const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
	return rs.json<T>();
}

/** Checks that ClickHouse's own parser accepts a query (EXPLAIN SYNTAX: parsed and analysed, not run). */
export async function expectParses(
	db: { client: Db['client'] },
	sql: string,
	query_params: Record<string, unknown> = {}
) {
	const rs = await db.client.query({ query: `EXPLAIN SYNTAX ${sql}`, query_params, format: 'JSONEachRow' });
	expect((await rs.json()).length).toBeGreaterThan(0);
}

/** Writes `records` as an NDJSON file in the test's directory and ingests it through `mapping`. */
export async function ingestRecords(
	ctx: { db: Db; dir: string },
	records: object[],
	mapping: unknown,
	opts: { name?: string; batchSize?: number } = {}
) {
	// Imported here, like the database above: after freshDb has pointed the environment at the temp directory.
	const { ingestFile } = await import('../../ingest/loading/ingest-file');
	const { parseMapping } = await import('../../ingest/mapping/mapping-file');
	const file = join(ctx.dir, opts.name ?? 'records.ndjson');
	writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
	return ingestFile({ db: ctx.db, file, mapping: parseMapping(mapping), batchSize: opts.batchSize });
}
