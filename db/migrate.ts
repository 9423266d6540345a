/**
 * Why this exists: the schema is versioned SQL in schemas/migrations/, applied in file-name order
 * at start-up and by `npm run migrate`. Each applied file is recorded in `schema_migrations`, so a
 * second run applies nothing; every statement is also written to be idempotent (IF NOT EXISTS) so a
 * run interrupted half-way can simply be repeated. On a cluster (CLICKHOUSE_CLUSTER) each statement
 * goes through the cluster DDL planner (cluster-ddl.ts): Replicated + Distributed tables ON CLUSTER.
 *
 * A baseline file (`-- replaces: <version>` header lines) holds the schema as the versions it replaces
 * left it, so those files could be deleted: it runs on a new database and is recorded with every
 * version it replaces; on a database that has all of them it is only recorded; on one that has some
 * of them the runner stops, since neither running it nor skipping it would give the right schema
 * (docs/decisions/migration-baseline.md).
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
	/** Baseline only: the versions whose files it replaces. */
	replaces: string[];
	/** Baseline only: the last release that shipped the replaced files. */
	shippedIn?: string;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
	const migrations = readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => {
			const sql = readFileSync(join(dir, f), 'utf8');
			return {
				version: f.replace(/\.sql$/, ''),
				statements: splitStatements(sql),
				replaces: [...sql.matchAll(/^--\s*replaces:\s*(\S+)\s*$/gm)].map((m) => m[1]!),
				shippedIn: /^--\s*replaced files last shipped in:\s*(.+?)\s*$/m.exec(sql)?.[1]
			};
		});
	const files = new Set(migrations.map((m) => m.version));
	for (const m of migrations)
		for (const v of m.replaces)
			// A replaced version must come before its baseline and have no file of its own, or the
			// order in which the runner applies things would depend on which case it is in.
			if (v >= m.version || files.has(v))
				throw new Error(
					`migration ${m.version} replaces ${v}, which ${files.has(v) ? 'still has a file' : 'sorts after it'}`
				);
	return migrations;
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
		const present = m.replaces.filter((v) => done.has(v));
		if (present.length && present.length < m.replaces.length) throw new PartialBaselineError(db.database, m, done);
		// Every replaced version applied: the schema is already what this baseline creates.
		const run = present.length === 0;
		if (run) for (const statement of m.statements) await client.command({ query: statement });
		const record = run ? [m.version, ...m.replaces] : [m.version];
		await client.insert({
			table: 'schema_migrations',
			values: record.map((version) => ({ version })),
			format: 'JSONEachRow'
		});
		if (run) applied.push(m.version);
	}
	return applied;
}

/** A database with some, not all, of the versions a baseline replaces: it needs an older release first. */
export class PartialBaselineError extends Error {
	constructor(database: string, baseline: Migration, done: Set<string>) {
		const missing = baseline.replaces.filter((v) => !done.has(v));
		super(
			`Database ${database} has ${baseline.replaces.length - missing.length} of the ${baseline.replaces.length} ` +
				`migrations that ${baseline.version} replaces; missing: ${missing.join(', ')}. Migrate it first with ` +
				`the last release that has them (${baseline.shippedIn ?? 'see the baseline file'}), then run this version.`
		);
	}
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
