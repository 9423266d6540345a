/**
 * Why this exists: the one place that creates the ClickHouse client. Embedded (chdb, in-process,
 * data under TOUCHMAP_DATA_DIR) by default; a server or cluster when CLICKHOUSE_URL is set. All
 * other code sees only `@clickhouse/client`'s API, so the two modes run the same SQL.
 *
 * TRICKY: the embedded connection is opened lazily, never at import. `vite build` imports server
 * modules to analyse routes; opening chdb there crashed the build (exit 139) and collided with a
 * running server's lock. Only one process may own an embedded data directory.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { dataDir, env, type Env } from './env';
import { CLUSTER_SETTINGS } from './cluster';
import { ChdbPool } from './pool';

export type ClickHouseKind = 'embedded' | 'remote';

export interface Db {
	client: ClickHouseClient;
	kind: ClickHouseKind;
	/** Database holding Touchmap's tables. */
	database: string;
	/** `ON CLUSTER x` when a cluster is configured, else ''. */
	onCluster: string;
	/** CLICKHOUSE_CLUSTER when set: tables are Replicated `<name>_local` behind Distributed `<name>`. */
	cluster?: string;
	/**
	 * Embedded only: chdb's raw passthrough insert (the payload goes to ClickHouse's parser as one
	 * buffer, without the client's per-row encoding and string concatenation). The loader's hot path.
	 */
	rawInsert?: (p: {
		table: string;
		columns: readonly string[];
		format: 'JSONCompactEachRow';
		values: string;
	}) => Promise<void>;
}

/**
 * A wrapper around a client (a request's budgeted client) answers this with the client it wraps, so
 * what is kept per database (answers, the data version, the reason dictionary) is shared by every
 * request rather than kept per wrapper.
 */
export const WRAPPED_CLIENT = Symbol('touchmap.wrappedClient');

/** The database's own client behind any wrapper: the key for what is kept per database. */
export function baseClient(client: ClickHouseClient): ClickHouseClient {
	const inner = (client as unknown as Record<symbol, ClickHouseClient | undefined>)[WRAPPED_CLIENT];
	return inner ? baseClient(inner) : client;
}

/** The embedded directory is held by another process (usually `npm start`). */
export class DatabaseLockedError extends Error {
	constructor(public readonly dir: string) {
		super(
			`The embedded database in ${dir} is in use by another Touchmap process (usually the server started by ` +
				'`npm start`). Stop that process first, or point both at a ClickHouse server with CLICKHOUSE_URL.'
		);
	}
}

let current: Promise<Db> | undefined;

async function open(e: Env): Promise<Db> {
	const settings = {
		// Dashboard queries can carry large IN lists and arrays; keep the defaults generous.
		date_time_input_format: 'best_effort' as const
	};
	if (e.CLICKHOUSE_URL) {
		// On a cluster: inserts into Distributed tables are written to the shards before they return
		// (a session or setting is read right after it is written), and IN/JOIN subqueries over
		// Distributed tables run GLOBAL (correct whatever two tables' sharding). See cluster.ts.
		if (e.CLICKHOUSE_CLUSTER) Object.assign(settings, CLUSTER_SETTINGS);
		const client = createClient({
			url: e.CLICKHOUSE_URL,
			username: e.CLICKHOUSE_USER,
			password: e.CLICKHOUSE_PASSWORD,
			clickhouse_settings: settings,
			request_timeout: 120_000
		});
		await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${e.CLICKHOUSE_DATABASE}${cluster(e)}` });
		await client.close();
		return {
			client: createClient({
				url: e.CLICKHOUSE_URL,
				username: e.CLICKHOUSE_USER,
				password: e.CLICKHOUSE_PASSWORD,
				database: e.CLICKHOUSE_DATABASE,
				clickhouse_settings: settings,
				request_timeout: 120_000
			}),
			kind: 'remote',
			database: e.CLICKHOUSE_DATABASE,
			onCluster: cluster(e),
			cluster: e.CLICKHOUSE_CLUSTER
		};
	}
	const dir = dataDir(e);
	mkdirSync(dir, { recursive: true });
	claimDirectory(dir);
	// The embedded engine's jemalloc reads JE_MALLOC_CONF once, when chdb loads. ClickHouse's
	// default is an arena per core; one arena lets memory freed by one thread serve the next
	// allocation of another, instead of each arena keeping its own freed pages for 5 s: loading
	// 1M tickets peaked at 1.0 GB resident instead of 1.25 GB, at the same CPU (measured).
	process.env.JE_MALLOC_CONF ??= 'percpu_arena:disabled,narenas:1';
	const { createChdbConnection } = await import('chdb/connection');
	// Native connections to the one engine: an API query for each of the fair gate's slots
	// (TOUCHMAP_QUERY_SLOTS) and one more, so a write or a background job finds one idle (pool.ts).
	const natives = [];
	try {
		for (let i = 0; i <= e.TOUCHMAP_QUERY_SLOTS; i++) natives.push(createChdbConnection({ path: dir }));
	} catch (err) {
		for (const c of natives) await c.close();
		releaseDirectory(dir);
		if ((err as { code?: string }).code === 'CHDB_CONNECTION') throw new DatabaseLockedError(dir);
		throw err;
	}
	const pool = new ChdbPool(natives as unknown as ConstructorParameters<typeof ChdbPool>[0]);
	const client = createClient({
		connection: pool.connection(),
		// TRICKY: chdb applies a query's settings with SET on the connection's session, so an API
		// request's time and memory budget would outlive its query and stop the next ingest batch.
		// Every query therefore sets them afresh: unlimited unless the query names a budget.
		clickhouse_settings: { ...settings, max_execution_time: 0, max_memory_usage: '0' }
	});
	await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${e.CLICKHOUSE_DATABASE}` });
	// chdb has no per-client default database: make ours each connection's current one.
	await pool.broadcast(`USE ${e.CLICKHOUSE_DATABASE}`);
	const raw = pool.rawInsert;
	return {
		client,
		kind: 'embedded',
		database: e.CLICKHOUSE_DATABASE,
		onCluster: '',
		rawInsert: raw ? async (p) => void (await raw(p)) : undefined
	};
}

/**
 * The engine's own lock only shows up as a raw error on stderr, so we keep a pid file beside it
 * and check it first: a second process gets DatabaseLockedError with a clear message instead.
 */
function claimDirectory(dir: string): void {
	const pidFile = join(dir, 'touchmap.pid');
	if (existsSync(pidFile)) {
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		if (pid && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dir);
	}
	writeFileSync(pidFile, String(process.pid));
	process.once('exit', () => releaseDirectory(dir));
}

function releaseDirectory(dir: string): void {
	const pidFile = join(dir, 'touchmap.pid');
	try {
		if (Number(readFileSync(pidFile, 'utf8').trim()) === process.pid) rmSync(pidFile);
	} catch {
		// already gone
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function cluster(e: Env): string {
	return e.CLICKHOUSE_CLUSTER ? ` ON CLUSTER '${e.CLICKHOUSE_CLUSTER}'` : '';
}

/** The shared client, opened on first use. */
export function getDb(): Promise<Db> {
	current ??= open(env()).catch((err) => {
		current = undefined;
		throw err;
	});
	return current;
}

export async function closeDb(): Promise<void> {
	const db = current;
	current = undefined;
	if (db) await (await db).client.close();
}
