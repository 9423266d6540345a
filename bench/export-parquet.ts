/**
 * Why this exists: the bench needs the stored data outside Touchmap twice — as the seed the SQL
 * generator (bench/generate-sql.ts) clones into 100M-interaction databases, and as the raw table
 * the DuckDB baseline (bench/duckdb.ts) loads. Both read Parquet written here once per scale.
 *
 * Runs as its own process (`tsx bench/export-parquet.ts <dataDir> <outDir>`): only one process may
 * open an embedded data directory, and the bench's server must not be running on it meanwhile.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Tables exported, with the read that gives one row per key (ReplacingMergeTree needs FINAL). */
export const EXPORTED: Record<string, string> = {
	interactions: 'SELECT * EXCEPT (ingested_at) FROM interactions',
	customers: 'SELECT * FROM customers FINAL',
	orders: 'SELECT * EXCEPT (ingested_at) FROM orders FINAL'
};

export const parquetFile = (outDir: string, table: string) => join(outDir, `${table}.parquet`);

/** Every exported file is present (the files are renamed into place only when complete). */
export const parquetReady = (outDir: string) => Object.keys(EXPORTED).every((t) => existsSync(parquetFile(outDir, t)));

async function main(dataDir: string, outDir: string) {
	process.env.TOUCHMAP_DATA_DIR = resolve(dataDir);
	const { closeDb, getDb } = await import('../db/client');
	const db = await getDb();
	mkdirSync(outDir, { recursive: true });
	for (const [table, select] of Object.entries(EXPORTED)) {
		const file = parquetFile(resolve(outDir), table);
		const tmp = `${file}.tmp`;
		rmSync(tmp, { force: true });
		const t0 = Date.now();
		await db.client.command({
			query: `INSERT INTO FUNCTION file('${tmp}', 'Parquet') ${select}`,
			clickhouse_settings: { output_format_parquet_compression_method: 'zstd' }
		});
		renameSync(tmp, file);
		console.log(`bench: exported ${table} to ${file} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
	await closeDb();
}

if (process.argv[1]?.endsWith('export-parquet.ts')) {
	const [dataDir, outDir] = process.argv.slice(2);
	if (!dataDir || !outDir) {
		console.error('Usage: tsx bench/export-parquet.ts <dataDir> <outDir>');
		process.exit(2);
	}
	await main(dataDir, outDir);
}
