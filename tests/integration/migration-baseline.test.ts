/**
 * The migration baseline (docs/decisions/migration-baseline.md): a new database gets the schema the
 * replaced migrations left, an existing one records the baseline without running it, one with only
 * some of them is refused, and migrations after the baseline apply in both cases.
 *
 * The replaced files are read from git history (the commit the baseline names); without it (a
 * shallow clone, an exported tree) the comparison with them is skipped, with the reason.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { loadMigrations, migrate, migrationsDir, PartialBaselineError } from '../../db/migrate';
import { freshDb, rows } from '../helpers/db';

const baseline = loadMigrations().find((m) => m.replaces.length > 0)!;
const commit = /commit (\w+)/.exec(baseline.shippedIn ?? '')?.[1] ?? '';

/** The replaced migration files as that commit had them, or undefined when git cannot show them. */
function replacedFiles(): Map<string, string> | undefined {
	try {
		return new Map(
			baseline.replaces.map((v) => [
				v,
				execFileSync('git', ['show', `${commit}:schemas/migrations/${v}.sql`], {
					encoding: 'utf8',
					stdio: ['ignore', 'pipe', 'ignore']
				})
			])
		);
	} catch {
		return undefined;
	}
}
const oldFiles = replacedFiles();

let ctx: Awaited<ReturnType<typeof freshDb>>;
const temp: string[] = [];
beforeAll(async () => {
	ctx = await freshDb();
});
afterAll(async () => {
	await ctx.close();
	for (const d of temp) rmSync(d, { recursive: true, force: true });
});

/** A migrations folder holding `files` (name → SQL) and copies of the current ones named in `keep`. */
function folder(files: Record<string, string>, keep: string[] = []): string {
	const dir = mkdtempSync(join(tmpdir(), 'touchmap-migrations-'));
	temp.push(dir);
	for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, `${name}.sql`), sql);
	for (const v of keep) copyFileSync(join(migrationsDir(), `${v}.sql`), join(dir, `${v}.sql`));
	return dir;
}

/** A second database on the same engine. */
async function database(name: string): Promise<Db> {
	await ctx.db.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${name}` });
	return { ...ctx.db, database: name };
}

/** chdb has one session, whose current database unqualified statements use: switch it first. */
async function inDb<T>(db: Db, run: () => Promise<T>): Promise<T> {
	await db.client.command({ query: `USE ${db.database}` });
	return run();
}
const migrateIn = (db: Db, dir: string) => inDb(db, () => migrate(db, dir));

/** Tables, views and columns as ClickHouse reports them, the database name left out. */
async function schema(db: Db) {
	const params = { db: db.database };
	const tables = await rows<Record<string, string>>(
		db,
		`SELECT name, engine, replaceAll(create_table_query, {db:String} || '.', '') AS q
		 FROM system.tables WHERE database = {db:String} AND name != 'schema_migrations' ORDER BY name`,
		params
	);
	const columns = await rows<Record<string, string>>(
		db,
		`SELECT table, name, type, default_kind, default_expression, compression_codec, position
		 FROM system.columns WHERE database = {db:String} AND table != 'schema_migrations' ORDER BY table, position`,
		params
	);
	const dictionaries = await rows(db, 'SELECT name FROM system.dictionaries WHERE database = {db:String}', params);
	return { tables, columns, dictionaries };
}

const recorded = async (db: Db) =>
	(
		await rows<{ version: string }>(db, `SELECT version FROM ${db.database}.schema_migrations FINAL ORDER BY version`)
	).map((r) => r.version);

const LATER = '20261207_1999_later';
const LATER_SQL = "ALTER TABLE settings {{on_cluster}} ADD COLUMN IF NOT EXISTS note String DEFAULT '';\n";

describe('migration baseline', () => {
	it('names the versions it replaces and the release that last shipped them', () => {
		expect(baseline.replaces).toHaveLength(18);
		expect(baseline.replaces.every((v) => v < baseline.version)).toBe(true);
		expect(commit).toMatch(/^[0-9a-f]{7,40}$/);
	});

	it('runs on a new database and records itself with every version it replaces', async () => {
		expect(await recorded(ctx.db)).toEqual(
			[baseline.version, ...baseline.replaces, ...loadMigrations().map((m) => m.version)]
				.filter((v, i, all) => all.indexOf(v) === i)
				.sort()
		);
	});

	it.skipIf(!oldFiles)(
		'creates the same tables, views, columns and dictionaries as the migrations it replaces (git history)',
		async () => {
			const old = await database('replaced');
			const dir = folder(Object.fromEntries(oldFiles!));
			expect(await migrateIn(old, dir)).toEqual(baseline.replaces);
			const fromBaseline = await database('from_baseline');
			expect(await migrateIn(fromBaseline, folder({}, [baseline.version]))).toEqual([baseline.version]);
			const want = await schema(old);
			expect(want.tables.length).toBeGreaterThan(40);
			expect(await schema(fromBaseline)).toEqual(want);

			// The same database upgraded to the baseline (and a migration after it): nothing re-runs.
			const next = folder({ [LATER]: LATER_SQL }, [baseline.version]);
			expect(await migrateIn(old, next)).toEqual([LATER]);
			expect(await recorded(old)).toEqual([...baseline.replaces, baseline.version, LATER]);
			expect(await migrateIn(fromBaseline, next)).toEqual([LATER]);
			expect(await schema(fromBaseline)).toEqual(await schema(old));
		},
		300_000
	);

	it('applies a later migration after the baseline on a new database', async () => {
		const db = await database('fresh_with_later');
		expect(await migrateIn(db, folder({ [LATER]: LATER_SQL }, [baseline.version]))).toEqual([baseline.version, LATER]);
		const cols = await rows<{ name: string }>(
			db,
			"SELECT name FROM system.columns WHERE database = 'fresh_with_later' AND table = 'settings' ORDER BY position"
		);
		expect(cols.map((c) => c.name)).toEqual(['key', 'value', 'updated_at', 'note']);
	});

	it('records the baseline without running it where every replaced version is recorded', async () => {
		// Bookkeeping only: no replaced schema is present, so running the baseline would create tables.
		const db = await database('all_recorded');
		await migrateIn(db, folder({}));
		await db.client.insert({
			table: `${db.database}.schema_migrations`,
			values: baseline.replaces.map((version) => ({ version })),
			format: 'JSONEachRow'
		});
		expect(await migrateIn(db, folder({}, [baseline.version]))).toEqual([]);
		expect(await recorded(db)).toEqual([...baseline.replaces, baseline.version]);
		const tables = await rows(db, "SELECT name FROM system.tables WHERE database = 'all_recorded'");
		expect(tables).toEqual([{ name: 'schema_migrations' }]);
	});

	it('refuses a database with only some of the replaced versions, naming the missing ones and the release', async () => {
		const db = await database('partial');
		await migrateIn(db, folder({}));
		const [first, second, ...rest] = baseline.replaces;
		await db.client.insert({
			table: `${db.database}.schema_migrations`,
			values: [{ version: first }, { version: second }],
			format: 'JSONEachRow'
		});
		const run = migrateIn(db, folder({}, [baseline.version]));
		await expect(run).rejects.toThrow(PartialBaselineError);
		const message = await run.catch((e: Error) => e.message);
		expect(message).toContain(`has 2 of the 18 migrations that ${baseline.version} replaces`);
		expect(message).toContain(`missing: ${rest.join(', ')}.`);
		expect(message).toContain(`(commit ${commit})`);
		expect(await recorded(db)).toEqual([first, second]);
	});

	it('refuses a baseline that replaces a version which still has a file', () => {
		const dir = folder({
			'20261101_0001_a': 'SELECT 1;\n',
			'20261102_0001_b': '-- replaces: 20261101_0001_a\nSELECT 1;\n'
		});
		expect(() => loadMigrations(dir)).toThrow(/replaces 20261101_0001_a, which still has a file/);
	});
});
