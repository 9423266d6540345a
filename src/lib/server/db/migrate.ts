/**
 * Why this exists: the schema is versioned SQL in schemas/migrations/, applied in file-name order
 * at start-up and by `npm run migrate`. Each applied file is recorded in `schema_migrations`, so a
 * second run applies nothing; every statement is also written to be idempotent (IF NOT EXISTS) so a
 * run interrupted half-way can simply be repeated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './client';

export function migrationsDir(): string {
	// Read from the project tree (not bundled) so the same files serve the server, CLIs and tests.
	return resolve(process.env.TOUCHMAP_ROOT ?? process.cwd(), 'schemas/migrations');
}

export interface Migration {
	version: string;
	statements: string[];
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => ({
			version: f.replace(/\.sql$/, ''),
			statements: splitStatements(readFileSync(join(dir, f), 'utf8'))
		}));
}

/** Splits a migration file on `;` at the end of a line; comments are dropped. */
export function splitStatements(sql: string): string[] {
	return sql
		.split('\n')
		.filter((line) => !line.trim().startsWith('--'))
		.join('\n')
		.split(/;\s*(?:\n|$)/)
		.map((s) => s.trim())
		.filter(Boolean);
}

export async function migrate(db: Db, dir = migrationsDir()): Promise<string[]> {
	const { client, onCluster } = db;
	await client.command({
		query: `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster}
			(version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
			ENGINE = ReplacingMergeTree ORDER BY version`
	});
	const done = new Set(
		(
			await (
				await client.query({ query: 'SELECT version FROM schema_migrations', format: 'JSONEachRow' })
			).json<{
				version: string;
			}>()
		).map((r) => r.version)
	);
	const applied: string[] = [];
	for (const m of loadMigrations(dir)) {
		if (done.has(m.version)) continue;
		for (const statement of m.statements) {
			await client.command({ query: statement.replaceAll('{on_cluster}', onCluster) });
		}
		await client.insert({ table: 'schema_migrations', values: [{ version: m.version }], format: 'JSONEachRow' });
		applied.push(m.version);
	}
	return applied;
}
