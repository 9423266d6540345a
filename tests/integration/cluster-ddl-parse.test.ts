/**
 * Every statement the migrations produce — single node and cluster form — goes through ClickHouse's
 * own parser (chdb's formatQuerySingleLine parses without executing, so ON CLUSTER, Replicated and
 * Distributed engines need no cluster here). A statement the planner mangles fails to parse.
 * Also the cluster-only runtime statements (mutations on local tables, GLOBAL IN over the stage,
 * the lease table's queries).
 */
import { query } from 'chdb';
import { describe, expect, it } from 'vitest';
import { plannedMigrations } from '../../db/migrate';
import { inLocalSubquery, mutationTarget } from '../../db/cluster';
import { newPlanState, planStatement } from '../../db/cluster-ddl';

const literal = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
/** ClickHouse's formatting of the statement (throws a syntax error when it does not parse). */
const parse = (sql: string) => query(`SELECT formatQuerySingleLine(${literal(sql)})`, 'TSVRaw').trim();

const modes = [
	['single node', { database: 'touchmap' }],
	['cluster', { cluster: 'tm', database: 'touchmap' }]
] as const;

describe.each(modes)('generated DDL parses (%s)', (mode, opts) => {
	const { bootstrap, migrations } = plannedMigrations(opts);
	const statements = [...bootstrap, ...migrations.flatMap((m) => m.statements)];

	it('parses every statement', () => {
		expect(statements.length).toBeGreaterThan(40);
		const failures: string[] = [];
		for (const s of statements) {
			try {
				const formatted = parse(s);
				if (mode === 'cluster' && !s.startsWith('INSERT')) expect(formatted).toContain('ON CLUSTER tm');
			} catch (err) {
				failures.push(`${s.slice(0, 100)} → ${(err as Error).message.slice(0, 200)}`);
			}
		}
		expect(failures).toEqual([]);
	});
});

describe('the parser sees what the planner meant', () => {
	const { migrations } = plannedMigrations({ cluster: 'tm', database: 'touchmap' });
	const all = migrations.flatMap((m) => m.statements);
	const one = (prefix: string) => parse(all.find((s) => s.startsWith(prefix))!);

	it('a Distributed table with its sharding key', () => {
		expect(one('CREATE TABLE IF NOT EXISTS interactions ')).toBe(
			"CREATE TABLE IF NOT EXISTS interactions ON CLUSTER tm AS interactions_local ENGINE = Distributed('tm', 'touchmap', 'interactions_local', if(customer_id = '', cityHash64(interaction_id), cityHash64(customer_id)))"
		);
	});

	it('a view from local source to local target', () => {
		expect(one('CREATE MATERIALIZED VIEW IF NOT EXISTS interaction_keys_mv')).toBe(
			'CREATE MATERIALIZED VIEW IF NOT EXISTS interaction_keys_mv ON CLUSTER tm TO interaction_keys_local AS SELECT interaction_id FROM interactions_local'
		);
	});

	it('a backfill with its insert settings', () => {
		// The migrations hold no backfill now; plan one as a later migration would.
		const state = newPlanState({ cluster: 'tm', database: 'touchmap' });
		for (const s of plannedMigrations({ database: 'touchmap' }).migrations.flatMap((m) => m.statements))
			planStatement(s, state);
		const [backfill] = planStatement(
			"INSERT INTO customer_timeline SELECT customer_id, ts, interaction_id FROM interactions WHERE customer_id != ''",
			state
		);
		expect(parse(backfill!)).toMatch(
			/^INSERT INTO customer_timeline SETTINGS insert_distributed_sync = 1, distributed_product_mode = 'global' SELECT /
		);
	});

	it('runtime statements that differ on a cluster', () => {
		const db = { cluster: 'tm' };
		for (const sql of [
			`ALTER TABLE ${mutationTarget(db, 'interactions')} MODIFY TTL toDateTime(ts) + toIntervalDay(30)`,
			`ALTER TABLE ${mutationTarget(db, 'quarantine')} UPDATE reason = 'x' WHERE source = 's'`,
			`DELETE FROM ${mutationTarget(db, 'quarantine')} WHERE source = {source:String}`,
			`DELETE FROM ${mutationTarget(db, 'interaction_keys')} WHERE interaction_id IN {ids:Array(String)}`,
			`TRUNCATE TABLE IF EXISTS ${mutationTarget(db, 'churn_scores')}`,
			`SELECT count() FROM _stage_x WHERE interaction_id IN (SELECT interaction_id FROM interaction_keys WHERE interaction_id ${inLocalSubquery(db)} (SELECT interaction_id FROM _stage_x))`
		])
			expect(() => parse(sql), sql).not.toThrow();
		expect(parse(`DELETE FROM ${mutationTarget(db, 'quarantine')} WHERE 1`)).toBe(
			'DELETE FROM quarantine_local ON CLUSTER tm WHERE 1'
		);
	});

	it('rejects a broken statement (the check can fail)', () => {
		expect(() => parse('CREATE TABLE x_local ON CLUSTER tm (a String ENGINE = MergeTree')).toThrow(/Syntax error/);
	});
});
