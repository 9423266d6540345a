/**
 * The migrated schema on a real embedded ClickHouse: migrations apply once, the roll-ups they
 * create match the measure definitions ($schemas/metrics) column for column and expression for
 * expression, and every query file parses once its literal parts are filled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../db/migrate';
import { columnOf, MEASURES, ROLLUPS, type Rollup, type RollupId } from '../../schemas/metrics';
import { CustomerRulesSchema } from '../../schemas/customers';
import { SIGNALS } from '../../schemas/customers';
import { INTERVALS } from '../../schemas/kpi';
import { SUMMARY_SQL } from '../../src/lib/server/queries/kpi/summary';
import { trendSql } from '../../src/lib/server/queries/kpi/trend';
import { CHANNEL_MIX_SQL } from '../../src/lib/server/queries/kpi/channel-mix';
import { RANGE_SQL } from '../../src/lib/server/queries/kpi/range';
import { SETTING_SQL } from '../../src/lib/server/queries/settings/settings';
import {
	COARSE_MAP_SQL,
	COARSE_REASON_MAP_SQL,
	CUSTOMERS_SQL,
	MAP_SQL,
	REASON_CUSTOMERS_SQL,
	RATES_MAP_BY,
	REASON_MAP_SQL
} from '../../src/lib/server/queries/journey/map';
import { pathsSql } from '../../src/lib/server/queries/journey/paths';
import * as pp from '../../src/lib/server/queries/pain-points/pain-points';
import { seriesSql } from '../../src/lib/server/queries/trends/series';
import { LEVELS_SQL } from '../../src/lib/server/queries/roi/summary';
import { atRiskSql } from '../../src/lib/server/queries/customers/at-risk';
import { customerSql } from '../../src/lib/server/queries/customers/get';
import { NEEDS_SEGMENT_SQL } from '../../src/lib/server/queries/customers/needs';
import { CONTACTS_SQL, crmSql, MIX_SQL } from '../../src/lib/server/queries/customers/segments';
import { SIGNALS_SQL } from '../../src/lib/server/queries/customers/signals';
import { CONTACT_ROWS_SQL, CONTACT_SQL } from '../../src/lib/server/queries/drivers/drivers';
import { LIST_SQL as REASONS_LIST_SQL } from '../../src/lib/server/queries/reasons/list';
import { UNIT_SQL as ACTION_UNIT_SQL } from '../../src/lib/server/queries/actions/actions';
import { WEEKS_SQL as ACTION_WEEKS_SQL } from '../../src/lib/server/queries/actions/effect';
import { SAMPLE_SQL as TEXT_SAMPLE_SQL } from '../../src/lib/server/queries/text/topics';
import { expectParses, freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb(); // applies all migrations once
});
afterAll(() => ctx.close());

describe('migrations', () => {
	it('records every migration, and the versions a baseline replaces, and applies nothing on a second run', async () => {
		const versions = loadMigrations()
			.flatMap((m) => [m.version, ...m.replaces])
			.sort();
		const recorded = await rows<{ version: string }>(ctx.db, 'SELECT version FROM schema_migrations ORDER BY version');
		expect(recorded.map((r) => r.version)).toEqual(versions);
		expect(await migrate(ctx.db)).toEqual([]);
		const again = await rows<{ n: number }>(ctx.db, 'SELECT count() AS n FROM schema_migrations');
		expect(Number(again[0]?.n)).toBe(versions.length);
	});

	it('creates the canonical tables and the roll-up', async () => {
		const tables = (await rows<{ name: string }>(ctx.db, 'SHOW TABLES')).map((r) => r.name);
		for (const t of [
			'customers',
			'interactions',
			'orders',
			'quarantine',
			'ingest_runs',
			'ingest_state',
			'settings',
			'kpi_daily',
			'kpi_daily_mv',
			'kpi_monthly',
			'kpi_monthly_mv',
			'interaction_keys'
		]) {
			expect(tables).toContain(t);
		}
	});
});

describe('roll-ups against the measure definitions', () => {
	const rollupOf = new Map(
		(Object.entries(ROLLUPS) as [RollupId, Rollup][]).flatMap(([id, r]) => r.tables.map((t) => [t, id] as const))
	);
	const columns = (table: string) =>
		rows<{ name: string; type: string }>(
			ctx.db,
			'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
			{ table }
		);
	const isAggregate = (type: string) => /^(Simple)?AggregateFunction\(/.test(type);

	it('declares every aggregating table the migrations create', async () => {
		const tables = await rows<{ name: string }>(
			ctx.db,
			"SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'AggregatingMergeTree' ORDER BY name"
		);
		expect(tables.map((t) => t.name)).toEqual([...rollupOf.keys()].sort());
	});

	it.each([...rollupOf])('%s has exactly the columns of roll-up %s', async (table, id) => {
		const r: Rollup = ROLLUPS[id];
		const want = [
			...r.measures.map((m) => `${columnOf(id, m)} ${MEASURES[m].type}`),
			...Object.entries(r.other ?? {}).map(([name, type]) => `${name} ${type}`)
		];
		const got = (await columns(table)).filter((c) => isAggregate(c.type)).map((c) => `${c.name} ${c.type}`);
		expect(got).toEqual(want);
	});

	it('fills every measure of a roll-up, from each view that writes it, as the measure is defined', async () => {
		const views = await rows<{ name: string; create_table_query: string; as_select: string }>(
			ctx.db,
			"SELECT name, create_table_query, as_select FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'"
		);
		// ClickHouse's own formatting of an expression, so spacing and parentheses compare equal.
		const format = async (sql: string) =>
			(await rows<{ f: string }>(ctx.db, 'SELECT formatQuerySingleLine({sql:String}) AS f', { sql }))[0]!.f;
		// Table aliases (`i.csat_10`) are dropped: the measure is defined over interactions' columns.
		const unqualified = (s: string) => s.replace(/\b[a-z]\.(?=[a-z_])/g, '');
		let checked = 0;
		for (const v of views) {
			const target = /\bTO\s+(?:\w+\.)?(\w+)/.exec(v.create_table_query)?.[1] ?? '';
			const id = rollupOf.get(target);
			if (!id) continue;
			const viewColumns = (await columns(v.name)).map((c) => c.name);
			const select = unqualified(v.as_select);
			const fromInteractions = /\bFROM\s+(?:\w+\.)?interactions\b/.test(v.as_select);
			for (const m of ROLLUPS[id].measures) {
				const column = columnOf(id, m);
				expect(viewColumns, `${v.name} writes ${column}`).toContain(column);
				const expr = fromInteractions
					? (await format(`SELECT ${MEASURES[m].insert} AS ${column}`)).replace(/^SELECT /, '')
					: `${MEASURES[m].remerge}(${column}) AS ${column}`;
				expect(select, `${v.name}: ${m}`).toContain(expr);
				checked++;
			}
		}
		// Every roll-up table is written by a view.
		const measures = (Object.values(ROLLUPS) as Rollup[]).reduce((n, r) => n + r.tables.length * r.measures.length, 0);
		expect(checked).toBe(measures);
	});
});

describe('query files', () => {
	const root = join(process.cwd(), 'src/lib/server');
	const sqlFiles = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
			e.isDirectory() ? sqlFiles(join(dir, e.name)) : e.name.endsWith('.sql') ? [join(dir, e.name)] : []
		);
	const files = sqlFiles(root).map((f) => relative(root, f));
	const rules = CustomerRulesSchema.parse({});

	/** Files with literal parts, as the query modules fill them (every variant). */
	const FILLED: Record<string, string[]> = {
		'queries/journey/map.sql': [
			MAP_SQL,
			COARSE_MAP_SQL,
			REASON_MAP_SQL,
			COARSE_REASON_MAP_SQL,
			...Object.values(RATES_MAP_BY).flatMap((byKind) => Object.values(byKind))
		],
		'queries/journey/customers.sql': [...Object.values(CUSTOMERS_SQL), REASON_CUSTOMERS_SQL],
		'queries/journey/paths.sql': [pathsSql('stage', 1), pathsSql('touchpoint', 0.25)],
		'queries/kpi/summary.sql': [SUMMARY_SQL],
		'queries/kpi/trend.sql': INTERVALS.map(trendSql),
		'queries/kpi/channel-mix.sql': [CHANNEL_MIX_SQL],
		'queries/pain-points/trend.sql': [
			pp.TREND_SQL.week,
			pp.TREND_SQL.month,
			pp.REASON_TREND_SQL.week,
			pp.REASON_TREND_SQL.month,
			pp.COARSE_TREND_SQL.week,
			pp.COARSE_TREND_SQL.month,
			pp.COARSE_REASON_TREND_SQL.week,
			pp.COARSE_REASON_TREND_SQL.month,
			...Object.values(pp.ONE_TREND_BY).flatMap((byKind) => Object.values(byKind).flatMap((i) => Object.values(i)))
		],
		'queries/pain-points/segments.sql': [pp.SEGMENTS_SQL, pp.REASON_SEGMENTS_SQL],
		'queries/pain-points/rows.sql': [
			...Object.values(pp.ROWS_SQL),
			pp.COUNT_SQL,
			...Object.values(pp.REASON_ROWS_SQL),
			pp.REASON_COUNT_SQL
		],
		'queries/trends/series.sql': INTERVALS.map(seriesSql),
		'queries/roi/levels.sql': [LEVELS_SQL],
		'queries/customers/at-risk.sql': (['any', ...SIGNALS] as const).map((s) => atRiskSql(s)),
		'queries/customers/customer.sql': [
			customerSql(rules),
			customerSql({ ...rules, tiers: { ...rules.tiers, basis: 'revenue' } })
		],
		'queries/customers/needs-segment.sql': [NEEDS_SEGMENT_SQL],
		'queries/customers/segments-customers.sql': [crmSql(rules)],
		'queries/customers/segments-contacts.sql': [CONTACTS_SQL],
		'queries/customers/segments-mix.sql': [MIX_SQL],
		'queries/customers/signals-now.sql': [SIGNALS_SQL.now],
		'queries/customers/signals-trend.sql': [SIGNALS_SQL.trend],
		'queries/customers/signals-quiet.sql': [SIGNALS_SQL.quiet],
		'queries/reasons/list.sql': [REASONS_LIST_SQL],
		'queries/drivers/contacts.sql': Object.values(CONTACT_SQL),
		'queries/drivers/contact-rows.sql': Object.values(CONTACT_ROWS_SQL),
		'queries/actions/unit.sql': Object.values(ACTION_UNIT_SQL),
		'queries/actions/weeks.sql': Object.values(ACTION_WEEKS_SQL),
		'queries/text/sample.sql': Object.values(TEXT_SAMPLE_SQL)
	};
	/** Parameters are bound as in production; unused ones are ignored. */
	const query_params = {
		from: '2025-01-01',
		to: '2025-01-31',
		full_from: '2025-01-01',
		full_to: '2025-02-01',
		bucket_from: '2025-01-01',
		to_excl: '2025-02-01',
		weeks: ['2025-01-06'],
		channels: ['phone'],
		regions: ['Europe'],
		scenarios: ['complaint'],
		intents: ['billing'],
		segment: '',
		hv_tiers: ['gold'],
		reasons: ['r1'],
		sources: [],
		r_ids: ['r1'],
		r_stages: ['loyalty'],
		r_names: ['renewal questions'],
		tp_reasons: ['r1'],
		complaint_sources: ['crm'],
		stage: 'delivery',
		touchpoint: 'delivery status',
		...Object.fromEntries(
			[0, 1, 2].flatMap((i) => [
				[`stage_${i}`, 'delivery'],
				[`touchpoint_${i}`, 'returns'],
				[`tp_reasons_${i}`, ['r1']]
			])
		),
		one: 1,
		depth: 4,
		limit: 10,
		offset: 0,
		dim: 'all',
		value: '',
		tz: 'UTC',
		key: 'targets',
		id: 'C1',
		ids: ['C1'],
		words: ['jane'],
		customer_id: 'C1',
		as_of: '2025-01-31',
		period_from: '2024-02-01',
		months: 12,
		hv_months: 3,
		hv_min_monthly: 5,
		hv_opened_before: '2022-01-31',
		hv_tenure_months: 36,
		tier_platinum: 5000,
		tier_gold: 2000,
		tier_silver: 500,
		quiet_days: 90,
		repeat_from: '2025-01-02',
		repeat_min: 2,
		repeat_window_days: 30,
		sentiment_drop: 0.3,
		min_risk: 0.2,
		group: 'all',
		tier: '',
		lead_days: 14,
		negative_only: 0,
		inside: 1,
		channel: '',
		intent: '',
		action: '',
		email: '',
		user_id: 'u1',
		token_hash: 'h',
		source: '',
		reason: '',
		kind: 'kpi_anomaly',
		status: 'sent',
		now: 0,
		since: 0,
		alert_key: 'k',
		rule_id: 'r1'
	};

	it('fills every file that has literal parts, and nothing else needs filling', () => {
		const templated = files.filter((f) => readFileSync(join(root, f), 'utf8').includes('{{'));
		expect(Object.keys(FILLED).sort()).toEqual(templated.sort());
		for (const sql of Object.values(FILLED).flat()) expect(sql).not.toMatch(/\{\{\w+\}\}/);
	});

	it.each(files)('%s parses in ClickHouse', async (file) => {
		const variants = FILLED[file] ?? [readFileSync(join(root, file), 'utf8')];
		for (const sql of variants) {
			await expectParses(ctx.db, sql, query_params);
		}
	});

	it.each([
		['kpi summary', SUMMARY_SQL],
		['kpi trend (week)', trendSql('week')],
		['kpi trend (month)', trendSql('month')],
		['channel mix', CHANNEL_MIX_SQL],
		['data range', RANGE_SQL],
		['setting', SETTING_SQL]
	])('%s SQL parses in ClickHouse', async (_name, sql) => {
		await expectParses(ctx.db, sql, query_params);
	});
});
