/**
 * Why this exists: integration tests run on a real embedded ClickHouse in a fresh temp directory.
 * libchdb binds one directory per process and vitest runs each test file in its own fork, so one
 * database per test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
