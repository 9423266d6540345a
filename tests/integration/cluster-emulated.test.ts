/**
 * The cluster layout, executed: chdb started with a config that declares a cluster `tm` of one local
 * shard runs the planner's cluster DDL — Distributed tables in front of `<name>_local` tables,
 * materialised views on the local tables, backfills through the Distributed tables — minus what
 * needs a real cluster (ON CLUSTER needs the DDL queue and Replicated engines need Keeper, neither of
 * which embedded chdb runs; a second shard needs a TCP server). The demo data is then ingested
 * through the normal pipeline with the cluster code paths on (db.cluster set: GLOBAL IN over the
 * stage, synchronous Distributed inserts, GLOBAL double-distributed subqueries; kind 'remote', so
 * the loader's stage statements carry their session id as with a server) and the dashboard
 * API must answer exactly what it answers on a single-node database loaded with the same data.
 *
 * What this cannot show: rows spread over several shards (sharding keys, co-location of a
 * customer's rows, FINAL per shard) and replication.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { Session } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { CLUSTER_SETTINGS } from '../../db/cluster';
import { plannedMigrations } from '../../db/migrate';

const DEMO = { customers: 300, seed: 11 };
const FILTER = { from: '2026-08-03', to: '2026-10-31' };
const dir = mkdtempSync(join(tmpdir(), 'touchmap-cluster-emu-'));
const config = join(dir, 'cluster.xml');
const sourceDir = join(dir, 'demo-source');
let session: Session;
let client: ClickHouseClient;

/** What a one-node cluster without Keeper runs of the planned statement (see the file comment). */
function emulate(statement: string): string {
	return statement
		.replaceAll(" ON CLUSTER 'tm'", '')
		.replace(/Replicated(\w*MergeTree)\('[^']*', '\{replica\}'(?:, )?/g, '$1(');
}

async function setUp(database: string, cluster?: string): Promise<Db> {
	await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
	await client.command({ query: `USE ${database}` });
	const { bootstrap, migrations } = plannedMigrations({ cluster, database });
	for (const s of [...bootstrap, ...migrations.flatMap((m) => m.statements)])
		await client.command({ query: cluster ? emulate(s) : s });
	return { client, kind: cluster ? 'remote' : 'embedded', database, onCluster: '', cluster };
}

/** Loads the demo and asks the dashboard API, with fresh module state (no cache shared between runs). */
async function answers(db: Db) {
	vi.resetModules();
	const { loadDemo } = await import('../../ingest/demo/load');
	await loadDemo(db, { ...DEMO, sourceDir });
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	const caller = createCaller({ db });
	const count = async (sql: string) =>
		Number((await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
	return {
		interactions: await count('SELECT count() AS n FROM interactions'),
		customers: await count('SELECT count() AS n FROM customers FINAL'),
		journeyRows: await count('SELECT sum(interactions) AS n FROM journey_daily'),
		kpiSummary: await caller.kpi.summary({ from: '2025-01-01', to: '2026-12-31' }),
		kpiTrend: await caller.kpi.trend({ from: '2026-01-01', to: '2026-10-31', interval: 'month' }),
		channelMix: await caller.kpi.channelMix({ from: '2025-01-01', to: '2026-12-31' }),
		journeyMap: await caller.journey.map(FILTER),
		journeyHigh: await caller.journey.map({ ...FILTER, segment: 'high' }),
		paths: await caller.journey.paths(FILTER),
		painPoints: await caller.painPoints.list(FILTER),
		segments: await caller.customers.segments({ months: 12 }),
		needs: await caller.customers.needs({ months: 12, top: 3 }),
		signals: await caller.customers.signals({ months: 12 }),
		trends: await caller.trends.series({ from: '2026-01-05', to: '2026-10-25', interval: 'week', tz: 'UTC' })
	};
}

/** Arrays sorted by their elements' JSON, recursively. */
function canonical(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
	return v;
}

let single: Awaited<ReturnType<typeof answers>>;
let clustered: Awaited<ReturnType<typeof answers>>;

beforeAll(async () => {
	writeFileSync(
		config,
		`<clickhouse>
			<tcp_port>9000</tcp_port>
			<remote_servers><tm><shard><internal_replication>true</internal_replication>
				<replica><host>localhost</host><port>9000</port></replica>
			</shard></tm>
			<tm2><shard><replica><host>localhost</host><port>9000</port></replica></shard>
				<shard><replica><host>127.0.0.2</host><port>9000</port></replica></shard></tm2>
			</remote_servers>
		</clickhouse>`
	);
	// The engine starts with the first session at this path (and its config); the client's
	// connection shares it.
	session = new Session(join(dir, 'data'), { connectionArgs: [`--config-file=${config}`] });
	client = createClient({
		connection: createChdbConnection({
			path: join(dir, 'data')
		}) as unknown as ClickHouseClientConfigOptions['connection'],
		clickhouse_settings: { date_time_input_format: 'best_effort', ...CLUSTER_SETTINGS }
	});
	single = await answers(await setUp('single_node'));
	clustered = await answers(await setUp('clustered', 'tm'));
}, 240_000);

afterAll(async () => {
	await client?.close();
	session?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('cluster layout on a one-shard cluster in chdb', () => {
	it('really built the cluster layout', async () => {
		const rs = await client.query({
			query: `SELECT name, engine FROM system.tables WHERE database = 'clustered'
				AND name IN ('interactions', 'interactions_local', 'journey_daily_mv', 'customers')`,
			format: 'JSONEachRow'
		});
		expect(
			Object.fromEntries((await rs.json<{ name: string; engine: string }>()).map((r) => [r.name, r.engine]))
		).toEqual({
			customers: 'Distributed',
			interactions: 'Distributed',
			interactions_local: 'MergeTree',
			journey_daily_mv: 'MaterializedView'
		});
		const mv = await client.query({
			query:
				"SELECT create_table_query AS q FROM system.tables WHERE database = 'clustered' AND name = 'journey_daily_mv'",
			format: 'JSONEachRow'
		});
		expect((await mv.json<{ q: string }>())[0]!.q).toMatch(
			/TO clustered\.journey_daily_local .*FROM clustered\.interactions_local/s
		);
	});

	it('needs GLOBAL subqueries once there are two shards (why the client sets distributed_product_mode)', async () => {
		// tm2's second shard is not reachable: the query fails either way, but the default refuses
		// it at analysis, and the cluster settings get it past analysis to the network.
		await client.command({
			query:
				"CREATE TABLE clustered.two AS clustered.interactions_local ENGINE = Distributed('tm2', 'clustered', 'interactions_local', rand())"
		});
		const q = 'SELECT count() FROM clustered.two WHERE customer_id IN (SELECT customer_id FROM clustered.two)';
		await expect(client.query({ query: q, clickhouse_settings: { distributed_product_mode: 'deny' } })).rejects.toThrow(
			/Double-distributed IN\/JOIN subqueries is denied/
		);
		await expect(
			client.query({ query: q, clickhouse_settings: { connect_timeout_with_failover_ms: 100 } })
		).rejects.toThrow(/connection|NETWORK|refused/i);
	});

	it('stored the same data and its views filled the local roll-ups', () => {
		expect(clustered.interactions).toBeGreaterThan(1000);
		expect(clustered.interactions).toBe(single.interactions);
		expect(clustered.customers).toBe(DEMO.customers);
		expect(clustered.journeyRows).toBe(clustered.interactions);
	});

	it.each([
		'kpiSummary',
		'kpiTrend',
		'channelMix',
		'journeyMap',
		'journeyHigh',
		'paths',
		'painPoints',
		'segments',
		'needs',
		'signals',
		'trends'
	] as const)('answers %s exactly as a single node does', (key) => {
		// Row order among ties is not fixed (parallel reads) on either layout: compare as sets.
		expect(canonical(clustered[key])).toEqual(canonical(single[key]));
	});
});
