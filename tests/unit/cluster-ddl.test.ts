import { describe, expect, it } from 'vitest';
import {
	newPlanState,
	planStatement,
	shardingKeyFor,
	UnsupportedStatementError,
	type PlanState
} from '../../db/cluster-ddl';
import { inLocalSubquery, mutationTarget } from '../../db/cluster';
import { loadMigrations, plannedMigrations, SCHEMA_MIGRATIONS_SQL } from '../../db/migrate';

const CLUSTER = { cluster: 'tm', database: 'touchmap' };
const ON = "ON CLUSTER 'tm'";
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every statement of every migration, in cluster form, flattened. */
function clusterPlan(): string[] {
	const { bootstrap, migrations } = plannedMigrations(CLUSTER);
	return [...bootstrap, ...migrations.flatMap((m) => m.statements)].map(oneLine);
}
const plan = clusterPlan();
const find = (re: RegExp) => {
	const hits = plan.filter((s) => re.test(s));
	expect(hits, `one statement matching ${re}`).toHaveLength(1);
	return hits[0]!;
};
/** Table names created by the single-node migrations. */
const singleTables = loadMigrations()
	.flatMap((m) => m.statements)
	.map((s) => /^CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1])
	.filter((n): n is string => !!n);

describe('cluster DDL planner: single node', () => {
	it('runs every existing migration exactly as written, the ON CLUSTER slot removed', () => {
		const { bootstrap, migrations } = plannedMigrations({ database: 'touchmap' });
		const raw = loadMigrations();
		expect(migrations.map((m) => m.version)).toEqual(raw.map((m) => m.version));
		migrations.forEach((m, i) =>
			expect(m.statements).toEqual(raw[i]!.statements.map((s) => s.replace(/\{\{on_cluster\}\}|\{on_cluster\}/g, '')))
		);
		expect(bootstrap).toEqual([SCHEMA_MIGRATIONS_SQL.replace('{{on_cluster}}', '')]);
		expect(migrations.flatMap((m) => m.statements).join('\n')).not.toMatch(/_local|Replicated|Distributed|ON CLUSTER/);
	});

	it('reads the older {on_cluster} spelling as the {{on_cluster}} slot', () => {
		const statements = [
			'CREATE TABLE IF NOT EXISTS t {on_cluster} (customer_id String, v UInt64) ENGINE = MergeTree ORDER BY v',
			'CREATE VIEW IF NOT EXISTS w {on_cluster} AS SELECT v FROM t',
			'DROP TABLE IF EXISTS t {on_cluster}'
		];
		for (const opts of [{ database: 'touchmap' }, CLUSTER]) {
			const old = newPlanState(opts);
			const slot = newPlanState(opts);
			for (const st of statements)
				expect(planStatement(st.replace('{on_cluster}', '{{on_cluster}}'), slot)).toEqual(planStatement(st, old));
		}
		expect(planStatement(statements[0]!, newPlanState({ database: 'touchmap' }))).toEqual([
			'CREATE TABLE IF NOT EXISTS t  (customer_id String, v UInt64) ENGINE = MergeTree ORDER BY v'
		]);
	});

	it('keeps runtime SQL unchanged without a cluster', () => {
		expect(mutationTarget({}, 'quarantine')).toBe('quarantine');
		expect(inLocalSubquery({})).toBe('IN');
	});
});

describe('cluster DDL planner: every migration in cluster form', () => {
	it('has no placeholder left and puts ON CLUSTER on every DDL statement', () => {
		for (const s of plan) {
			expect(s).not.toMatch(/\{\{?on_cluster\}/);
			if (!s.startsWith('INSERT')) expect(s, s.slice(0, 80)).toContain(ON);
		}
	});

	it('creates a Replicated local table and a Distributed table for every table', () => {
		expect(singleTables.length).toBeGreaterThan(25);
		for (const t of ['schema_migrations', ...singleTables]) {
			const local = find(new RegExp(`^CREATE TABLE IF NOT EXISTS ${t}_local ${ON} `));
			expect(local).toMatch(
				new RegExp(
					`ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${t}_local', '\\{replica\\}'`
				)
			);
			const dist = find(new RegExp(`^CREATE TABLE IF NOT EXISTS ${t} ${ON} `));
			expect(dist).toMatch(new RegExp(`AS ${t}_local ENGINE = Distributed\\('tm', 'touchmap', '${t}_local', .+\\)$`));
			// The local table comes first: the Distributed one copies its structure.
			expect(plan.indexOf(local)).toBeLessThan(plan.indexOf(dist));
		}
	});

	it('keeps each engine and its arguments in the Replicated variant', () => {
		expect(find(/^CREATE TABLE IF NOT EXISTS customers_local /)).toContain(
			"ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/customers_local', '{replica}', updated_at) ORDER BY customer_id"
		);
		const interactions = find(/^CREATE TABLE IF NOT EXISTS interactions_local /);
		expect(interactions).toContain(
			"ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/interactions_local', '{replica}') PARTITION BY toYYYYMM(ts) ORDER BY (stage, touchpoint, ts)"
		);
		expect(interactions).toContain('INDEX idx_customer customer_id TYPE bloom_filter(0.01) GRANULARITY 4');
		expect(find(/^CREATE TABLE IF NOT EXISTS interaction_keys_local /)).toContain(
			"ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/interaction_keys_local', '{replica}') ORDER BY interaction_id"
		);
		expect(find(/^CREATE TABLE IF NOT EXISTS kpi_daily_local /)).toMatch(
			/ReplicatedAggregatingMergeTree\(.*\) PARTITION BY toYear\(day\)/
		);
		// Settings stay on the local table, where the parts are written.
		expect(find(/^CREATE TABLE IF NOT EXISTS journey_steps_local /)).toMatch(
			/ORDER BY \(h, customer_id, ts\) SAMPLE BY h SETTINGS index_granularity = 8192, min_bytes_for_wide_part = 268435456$/
		);
		expect(find(/^CREATE TABLE IF NOT EXISTS sessions_local /)).toMatch(
			/TTL toDateTime\(expires_at\) \+ INTERVAL 30 DAY$/
		);
		// `AS other` tables copy the other's local table.
		expect(find(/^CREATE TABLE IF NOT EXISTS kpi_monthly_local /)).toMatch(
			/ AS kpi_daily_local ENGINE = ReplicatedAggregatingMergeTree/
		);
		expect(find(/^CREATE TABLE IF NOT EXISTS journey_customers_weekly_local /)).toMatch(
			/ AS journey_customers_daily_local /
		);
	});

	it.each([
		['interactions', "if(customer_id = '', cityHash64(interaction_id), cityHash64(customer_id))"],
		['customers', 'cityHash64(customer_id)'],
		['orders', 'cityHash64(customer_id)'],
		['customer_monthly', 'cityHash64(customer_id)'],
		['customer_timeline', 'cityHash64(customer_id)'],
		['churn_scores', 'cityHash64(customer_id)'],
		['journey_steps', 'cityHash64(customer_id)'],
		['identity_links', 'cityHash64(identifier)'],
		['identity_merges', 'cityHash64(source, source_id)'],
		['interaction_keys', 'cityHash64(interaction_id)'],
		['ingest_state', 'cityHash64(source)'],
		['ingest_runs', 'cityHash64(run_id)'],
		['users', 'cityHash64(user_id)'],
		['sessions', 'cityHash64(token_hash)'],
		['kpi_daily', 'cityHash64(day, channel, segment)'],
		['kpi_monthly', 'cityHash64(day, channel, segment)'],
		['ingest_leases', 'cityHash64(source)'],
		['quarantine', 'rand()'],
		['audit_log', 'rand()']
	])('shards %s by %s', (table, key) => {
		expect(find(new RegExp(`^CREATE TABLE IF NOT EXISTS ${table} ${ON} `))).toContain(`'${table}_local', ${key})`);
	});

	it('makes materialised views read the local source and write the local target', () => {
		const views = plan.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'));
		expect(views.length).toBeGreaterThanOrEqual(12);
		for (const v of views) {
			expect(v).toMatch(new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS \\w+_mv ${ON} TO \\w+_local AS SELECT`));
			for (const [, table] of v.matchAll(/\b(?:FROM|JOIN) (\w+)/g)) expect(table).toMatch(/_local$/);
		}
		expect(find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS interaction_keys_mv /)).toContain(
			'TO interaction_keys_local AS SELECT interaction_id FROM interactions_local'
		);
		// journey_daily_mv reads the tier carried on the interaction, not a customer look-up.
		const journey = find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS journey_daily_mv /);
		expect(journey).toContain('TO journey_daily_local AS');
		expect(journey).toContain("if(i.customer_id = '', '', i.tier) AS tier");
		expect(journey).toMatch(/FROM interactions_local AS i\s+GROUP BY/);
		expect(find(/^CREATE TABLE IF NOT EXISTS interactions_local /)).toContain(
			'segment LowCardinality(String), tier LowCardinality(String), attributes'
		);
		expect(find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_monthly_mv /)).toContain('FROM kpi_daily_local GROUP BY');
		// kpi_hourly_mv aggregates the block first, then fans the sums out per breakdown.
		const hourly = find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_hourly_mv /);
		expect(hourly).toContain('TO kpi_hourly_local AS');
		expect(hourly).toMatch(/FROM interactions_local\s+GROUP BY hour, channel, team, segment, stage\s+\)\s+ARRAY JOIN/);
		expect(find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS customer_timeline_mv /)).toContain(
			'TO customer_timeline_local AS SELECT customer_id, ts, interaction_id, source, channel, stage, touchpoint, scenario, intent, is_complaint, outcome, csat_10, sentiment, substringUTF8(text, 1, 2000) AS text FROM interactions_local'
		);
	});

	it('backfills through the Distributed tables, synchronously, reading the whole cluster', () => {
		const st = newPlanState(CLUSTER);
		for (const m of plannedMigrations({ database: 'touchmap' }).migrations)
			for (const statement of m.statements) planStatement(statement, st);
		const backfill =
			"INSERT INTO kpi_hourly (dim, value, hour) SELECT 'all', '', toStartOfHour(ts) FROM interactions WHERE (SELECT count() FROM kpi_hourly) = 0";
		expect(planStatement(backfill, st)).toEqual([
			"INSERT INTO kpi_hourly (dim, value, hour) SETTINGS insert_distributed_sync = 1, distributed_product_mode = 'global'\n" +
				"SELECT 'all', '', toStartOfHour(ts) FROM interactions WHERE (SELECT count() FROM kpi_hourly) = 0"
		]);
	});

	it('plans the same number of statements every time (a snapshot of the plan shape)', () => {
		const count = (re: RegExp) => plan.filter((s) => re.test(s)).length;
		const tables = singleTables.length + 1; // + schema_migrations
		expect(count(/^CREATE TABLE IF NOT EXISTS \w+_local /)).toBe(tables);
		expect(count(/ENGINE = Distributed\(/)).toBe(tables);
		const single = plannedMigrations({ database: 'touchmap' });
		const statements = single.migrations.flatMap((m) => m.statements);
		// Column changes of a replicated table go to both of its tables.
		const columnChanges = statements.filter((s) => /^ALTER TABLE \w+\s+(ADD|DROP|MODIFY|RENAME) COLUMN/.test(s)).length;
		expect(columnChanges).toBe(0);
		expect(plan.length).toBe(single.bootstrap.length + statements.length + tables + columnChanges);
	});
});

describe('cluster DDL planner: other statement shapes', () => {
	const state = (): PlanState => {
		const st = newPlanState(CLUSTER);
		planStatement(
			'CREATE TABLE IF NOT EXISTS t {on_cluster} (customer_id String, v UInt64) ENGINE = MergeTree ORDER BY v',
			st
		);
		planStatement('CREATE TABLE IF NOT EXISTS m {on_cluster} (k String) ENGINE = Memory', st);
		return st;
	};

	it('column changes go to both tables, other ALTERs to the local one', () => {
		expect(planStatement('ALTER TABLE t {on_cluster} ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 0', state())).toEqual([
			`ALTER TABLE t_local ${ON} ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 0`,
			`ALTER TABLE t ${ON} ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 0`
		]);
		expect(planStatement('ALTER TABLE t {on_cluster} MODIFY TTL toDateTime(v) + INTERVAL 1 DAY', state())).toEqual([
			`ALTER TABLE t_local ${ON} MODIFY TTL toDateTime(v) + INTERVAL 1 DAY`
		]);
		expect(planStatement("ALTER TABLE t DELETE WHERE customer_id = ''", state())).toEqual([
			`ALTER TABLE t_local ${ON} DELETE WHERE customer_id = ''`
		]);
		expect(() => planStatement('ALTER TABLE t {on_cluster} ADD COLUMN x UInt8, MODIFY TTL now()', state())).toThrow(
			UnsupportedStatementError
		);
	});

	it('lightweight DELETE, TRUNCATE and OPTIMIZE target the local table', () => {
		expect(planStatement("DELETE FROM t {on_cluster} WHERE customer_id = 'a'", state())).toEqual([
			`DELETE FROM t_local ${ON} WHERE customer_id = 'a'`
		]);
		expect(planStatement("DELETE FROM t WHERE customer_id = 'a'", state())).toEqual([
			`DELETE FROM t_local ${ON} WHERE customer_id = 'a'`
		]);
		expect(planStatement('TRUNCATE TABLE IF EXISTS t {on_cluster}', state())).toEqual([
			`TRUNCATE TABLE IF EXISTS t_local ${ON}`
		]);
		expect(planStatement('OPTIMIZE TABLE t {on_cluster} FINAL', state())).toEqual([
			`OPTIMIZE TABLE t_local ${ON} FINAL`
		]);
	});

	it('creates plain views on every node, reading the Distributed tables', () => {
		expect(planStatement('CREATE VIEW IF NOT EXISTS v {on_cluster} AS SELECT v FROM t', state())).toEqual([
			`CREATE VIEW IF NOT EXISTS v ${ON} AS SELECT v FROM t`
		]);
	});

	it('drops both tables of a replicated table', () => {
		expect(planStatement('DROP TABLE IF EXISTS t {on_cluster}', state())).toEqual([
			`DROP TABLE IF EXISTS t ${ON} SYNC`,
			`DROP TABLE IF EXISTS t_local ${ON} SYNC`
		]);
	});

	it('keeps Memory tables node-local and refuses to backfill them', () => {
		const st = newPlanState(CLUSTER);
		expect(planStatement('CREATE TABLE IF NOT EXISTS m {on_cluster} (k String) ENGINE = Memory', st)).toEqual([
			`CREATE TABLE IF NOT EXISTS m ${ON} (k String) ENGINE = Memory`
		]);
		expect(() => planStatement('INSERT INTO m SELECT 1', st)).toThrow(/only replicated tables/);
	});

	it('keeps engine arguments of Summing and Collapsing trees', () => {
		const st = newPlanState(CLUSTER);
		const [local] = planStatement(
			'CREATE TABLE s {on_cluster} (k String, a UInt64, b UInt64) ENGINE = SummingMergeTree((a, b)) ORDER BY k',
			st
		);
		expect(local).toContain(
			"ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/s_local', '{replica}', (a, b))"
		);
		const [c, d] = planStatement(
			'CREATE TABLE c (k String, sign Int8) ENGINE = CollapsingMergeTree(sign) ORDER BY k',
			st
		);
		expect(c).toContain("'{replica}', sign)");
		expect(d).toContain("'c_local', cityHash64(k))");
	});

	it('fails loudly on shapes it does not understand', () => {
		expect(() => planStatement('RENAME TABLE t TO u', state())).toThrow(/unknown statement shape/);
		expect(() =>
			planStatement('CREATE MATERIALIZED VIEW v {on_cluster} ENGINE = MergeTree ORDER BY k AS SELECT k FROM t', state())
		).toThrow(/without `TO <table>`/);
		expect(() =>
			planStatement('CREATE MATERIALIZED VIEW v {on_cluster} TO t AS SELECT v FROM nowhere', state())
		).toThrow(/nowhere/);
		expect(() => planStatement('CREATE TABLE k {on_cluster} (a String) ENGINE = Kafka(x)', state())).toThrow(
			/engine Kafka/
		);
		expect(() =>
			planStatement('CREATE TABLE r {on_cluster} AS missing ENGINE = MergeTree ORDER BY a', state())
		).toThrow(/missing/);
	});

	it('picks sharding keys from the rules', () => {
		expect(shardingKeyFor('x', 'ReplacingMergeTree', ['customer_id', 'id'], ['id'])).toBe('cityHash64(id)');
		expect(shardingKeyFor('x', 'ReplacingMergeTree', ['customer_id', 'id'], ['customer_id', 'id'])).toBe(
			'cityHash64(customer_id)'
		);
		expect(shardingKeyFor('x', 'MergeTree', ['customer_id'], ['ts'])).toBe('cityHash64(customer_id)');
		expect(shardingKeyFor('x', 'MergeTree', ['a'], ['a'])).toBe('rand()');
	});

	it('targets local tables and GLOBAL IN at run time on a cluster', () => {
		expect(mutationTarget({ cluster: 'tm' }, 'quarantine')).toBe(`quarantine_local ${ON}`);
		expect(inLocalSubquery({ cluster: 'tm' })).toBe('GLOBAL IN');
	});
});
