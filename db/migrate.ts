/**
 * Why this exists: the schema is versioned SQL in schemas/migrations/, applied in file-name order
 * at start-up and by `npm run migrate`. Each applied file is recorded in `schema_migrations`, so a
 * second run applies nothing; every statement is also written to be idempotent (IF NOT EXISTS) so a
 * run interrupted half-way can simply be repeated. On a cluster (CLICKHOUSE_CLUSTER) each statement
 * goes through the cluster DDL planner (cluster-ddl.ts): Replicated + Distributed tables ON CLUSTER.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './client';
import { newPlanState, planStatement } from './cluster-ddl';

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

/** The runner's own bookkeeping table, planned like any migration statement. */
export const SCHEMA_MIGRATIONS_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations {{on_cluster}}
			(version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
			ENGINE = ReplacingMergeTree ORDER BY version`;

/**
 * Every migration's statements as they will run: as written on one node, in cluster form when a
 * cluster is configured. Planned from the first file on (applied ones too), so the planner knows
 * every table a new migration refers to.
 */
export function plannedMigrations(
	opts: { cluster?: string; database: string },
	dir = migrationsDir()
): { bootstrap: string[]; migrations: Migration[] } {
	const state = newPlanState(opts);
	const bootstrap = planStatement(SCHEMA_MIGRATIONS_SQL, state);
	const migrations = loadMigrations(dir).map((m) => ({
		...m,
		statements: m.statements.flatMap((st) => planStatement(st, state))
	}));
	return { bootstrap, migrations };
}

export async function migrate(db: Db, dir = migrationsDir()): Promise<string[]> {
	const { client } = db;
	const { bootstrap, migrations } = plannedMigrations({ cluster: db.cluster, database: db.database }, dir);
	await checkLayout(db);
	for (const query of bootstrap) await client.command({ query });
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
	for (const m of migrations) {
		if (done.has(m.version)) continue;
		for (const statement of m.statements) await client.command({ query: statement });
		await client.insert({ table: 'schema_migrations', values: [{ version: m.version }], format: 'JSONEachRow' });
		applied.push(m.version);
	}
	return applied;
}

/**
 * A database is created for one layout: single-node tables, or Replicated + Distributed tables on a
 * cluster. Setting or clearing CLICKHOUSE_CLUSTER on an existing database would leave the old tables
 * in place (every CREATE is IF NOT EXISTS) and record nothing new — so refuse, with the reason.
 */
async function checkLayout(db: Db): Promise<void> {
	const rs = await db.client.query({
		query: "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ engine: string }>();
	if (!row || (row.engine === 'Distributed') === Boolean(db.cluster)) return;
	throw new Error(
		db.cluster
			? `CLICKHOUSE_CLUSTER is set, but database ${db.database} was created on a single node: create the cluster ` +
					'schema in a new database (CLICKHOUSE_DATABASE) and copy the rows over, or unset CLICKHOUSE_CLUSTER.'
			: `Database ${db.database} was created on a cluster (Distributed tables): set CLICKHOUSE_CLUSTER to its cluster name.`
	);
}
