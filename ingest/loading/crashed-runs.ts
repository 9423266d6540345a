/**
 * Why this exists: a file ingest killed mid-run (SIGKILL, power loss, OOM) leaves its `ingest_runs`
 * row at 'running' and may leave a block of its records in `interactions` whose keys are missing
 * from `interaction_keys`, and whose roll-up rows are missing from the roll-ups: every view writes
 * its part after the table's. Both ingest paths decide duplicates by those keys, so re-running the
 * file would store those records twice; and the dashboards read the roll-ups, so they would count
 * fewer contacts than are stored.
 *
 * So before a file run starts, every run that can no longer be alive is closed: the keys of the
 * records it stored are rebuilt from `interactions` itself (each row carries its run id), the
 * roll-ups of the months it wrote into are rebuilt from `interactions`, its leftover SQL-path tables
 * are dropped, and it is marked 'failed' with why. Idempotent: a crash during the repair is repaired
 * the same way next time (the run stays 'running' until the repair is done).
 */
import type { Db } from '../../db/client';
import { rollupsOfInteractions } from '../enrichment/text/rescore';

export const CRASHED_RUN_ERROR = 'the process ended during the run (killed or crashed); re-run the file to finish it';

export interface CrashedRun {
	run_id: string;
	entity: string;
}

/**
 * Writes the duplicate keys of every row the runs stored in `interactions`: a run that ended in the
 * middle of an insert (killed, or failed with an error) may have rows whose keys the view never
 * wrote. A key written twice is harmless (ReplacingMergeTree, and every check reads distinct keys).
 */
export async function repairKeys(db: Db, runIds: string[]): Promise<void> {
	await db.client.command({
		query: `INSERT INTO interaction_keys SELECT DISTINCT interaction_id FROM interactions
			WHERE ingest_run_id IN {ids:Array(String)}`,
		query_params: { ids: runIds }
	});
}

const REBUILD_SOURCE = '_rollup_rebuild_src';
const REBUILD_VIEW = '_rollup_rebuild_mv_';

async function json<T>(db: Db, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
	return (await db.client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

/**
 * Rebuilds every roll-up fed from `interactions` for the months the runs wrote rows into: those
 * months are deleted from the roll-ups, then the months' stored interactions are passed once more
 * through copies of the views (reading a Null table instead of `interactions`, so nothing is stored
 * twice). Roll-ups fed by roll-ups refill through their own views. Returns the months rebuilt.
 *
 * TRICKY: rows another ingest adds to those months while this runs would be counted twice; crashed
 * runs are repaired when a file run starts, before its own inserts. Not on a cluster (the views'
 * copies would need ON CLUSTER and Distributed tables): there the months are left as they are.
 */
export async function rebuildRollups(db: Db, runIds: string[]): Promise<number[]> {
	if (db.cluster) return [];
	const run = (query: string, params: Record<string, unknown> = {}) =>
		db.client.command({ query, query_params: params, clickhouse_settings: { mutations_sync: '2' } });
	// Leftovers of a rebuild that was itself interrupted.
	const views = await json<{ name: string; as_select: string; target: string }>(
		db,
		`SELECT name, as_select, create_table_query AS target FROM system.tables
		 WHERE database = currentDatabase() AND engine = 'MaterializedView'`
	);
	for (const v of views) if (v.name.startsWith(REBUILD_VIEW)) await run(`DROP VIEW IF EXISTS ${v.name} SYNC`);
	await run(`DROP TABLE IF EXISTS ${REBUILD_SOURCE} SYNC`);
	const months = (
		await json<{ m: number }>(
			db,
			`SELECT DISTINCT toYYYYMM(ts) AS m FROM interactions WHERE ingest_run_id IN {ids:Array(String)} ORDER BY m`,
			{ ids: runIds }
		)
	).map((r) => Number(r.m));
	if (!months.length) return [];
	for (const r of await rollupsOfInteractions(db))
		if (r.dateColumn)
			await run(`ALTER TABLE ${r.table} DELETE WHERE toYYYYMM(${r.dateColumn}) IN {months:Array(UInt32)}`, { months });
	const [deps] = await json<{ deps: string[] }>(
		db,
		`SELECT dependencies_table AS deps FROM system.tables WHERE database = currentDatabase() AND name = 'interactions'`
	);
	await run(`CREATE TABLE ${REBUILD_SOURCE} AS interactions ENGINE = Null`);
	try {
		for (const v of views.filter((x) => deps?.deps.includes(x.name))) {
			const target = v.target.match(/\bTO\s+(?:`?\w+`?\.)?`?(\w+)`?/)?.[1];
			if (!target) continue;
			const select = v.as_select.replace(
				/\b(FROM|JOIN)\s+(?:`?\w+`?\.)?`?interactions`?(?![\w`])/gi,
				`$1 ${REBUILD_SOURCE}`
			);
			await run(`CREATE MATERIALIZED VIEW ${REBUILD_VIEW}${v.name} TO ${target} AS ${select}`);
		}
		const columns = (
			await json<{ name: string }>(
				db,
				`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'interactions'
				 AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') ORDER BY position`
			)
		)
			.map((c) => `\`${c.name}\``)
			.join(', ');
		await run(
			`INSERT INTO ${REBUILD_SOURCE} (${columns}) SELECT ${columns} FROM interactions WHERE toYYYYMM(ts) IN {months:Array(UInt32)}`,
			{ months }
		);
	} finally {
		for (const v of views) await run(`DROP VIEW IF EXISTS ${REBUILD_VIEW}${v.name} SYNC`).catch(() => undefined);
		await run(`DROP TABLE IF EXISTS ${REBUILD_SOURCE} SYNC`).catch(() => undefined);
	}
	return months;
}

/** When this process started: a run it did not start and that is still 'running' is not its own. */
const PROCESS_START = Math.floor(performance.timeOrigin);

/**
 * Closes the runs left 'running' by an earlier process. Embedded, the database belongs to one
 * process at a time, so every such run is dead; with a server another process may be loading, so
 * only runs of the same source and file are taken for dead. Returns the runs closed.
 */
export async function closeCrashedRuns(db: Db, source: string, file: string): Promise<CrashedRun[]> {
	const embedded = db.kind === 'embedded';
	const rs = await db.client.query({
		query: `SELECT run_id, entity FROM ingest_runs FINAL WHERE status = 'running'
			AND started_at < fromUnixTimestamp64Milli(toInt64({start:Int64}), 'UTC')
			${embedded ? '' : 'AND source = {source:String} AND file = {file:String}'}`,
		query_params: { source, file, start: PROCESS_START },
		format: 'JSONEachRow'
	});
	const crashed = await rs.json<CrashedRun>();
	if (!crashed.length) return [];
	const ids = crashed.map((r) => r.run_id);
	if (crashed.some((r) => r.entity === 'interaction')) {
		await repairKeys(db, ids);
		await rebuildRollups(db, ids);
	}
	if (embedded) {
		const prefixes = ids.map((id) => `_sqlpath_${id.replace(/[^A-Za-z0-9]/g, '')}`);
		const tables = await (
			await db.client.query({
				query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_sqlpath_')`,
				format: 'JSONEachRow'
			})
		).json<{ name: string }>();
		for (const { name } of tables)
			if (prefixes.some((p) => name.startsWith(p)))
				await db.client.command({ query: `DROP TABLE IF EXISTS ${name} SYNC` });
	}
	await db.client.command({
		query: `INSERT INTO ingest_runs (run_id, source, file, entity, started_at, finished_at, status, accepted,
				rejected, duplicates, seconds, error, top_reasons)
			SELECT run_id, source, file, entity, started_at, now64(3), 'failed', accepted, rejected, duplicates, seconds,
				{error:String}, top_reasons
			FROM ingest_runs FINAL WHERE run_id IN {ids:Array(String)}`,
		query_params: { ids, error: CRASHED_RUN_ERROR }
	});
	return crashed;
}
