/**
 * Why this exists: a file ingest killed mid-run (SIGKILL, power loss, OOM) leaves its `ingest_runs`
 * row at 'running' and may leave a block of its records in `interactions` whose keys are missing
 * from `interaction_keys`: the key view writes its part after the table's, and both ingest paths
 * decide duplicates by those keys. Re-running the file would then store those records twice.
 *
 * So before a file run starts, every run that can no longer be alive is closed: the keys of the
 * records it stored are rebuilt from `interactions` itself (each row carries its run id), its
 * leftover SQL-path tables are dropped, and it is marked 'failed' with why. Idempotent: a crash
 * during the repair is repaired the same way next time.
 */
import type { Db } from '../../db/client';

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
	if (crashed.some((r) => r.entity === 'interaction')) await repairKeys(db, ids);
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
