import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../db/migrate';
import { SUMMARY_SQL } from '../../src/lib/server/queries/kpi/summary';
import { trendSql } from '../../src/lib/server/queries/kpi/trend';
import { CHANNEL_MIX_SQL } from '../../src/lib/server/queries/kpi/channel-mix';
import { RANGE_SQL } from '../../src/lib/server/queries/kpi/range';
import { SETTING_SQL } from '../../src/lib/server/queries/settings/settings';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb(); // applies all migrations once
});
afterAll(() => ctx.close());

describe('migrations', () => {
	it('records every migration and applies nothing on a second run', async () => {
		const versions = loadMigrations().map((m) => m.version);
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

	it.each([
		['kpi summary', SUMMARY_SQL],
		['kpi trend (week)', trendSql('week')],
		['kpi trend (month)', trendSql('month')],
		['channel mix', CHANNEL_MIX_SQL],
		['data range', RANGE_SQL],
		['setting', SETTING_SQL]
	])('%s SQL parses in ClickHouse', async (_name, sql) => {
		// Parameters are bound as in production; unused ones are ignored.
		const query_params = {
			from: '2025-01-01',
			to: '2025-01-31',
			full_from: '2025-01-01',
			full_to: '2025-02-01',
			channels: ['phone'],
			segment: '',
			key: 'targets'
		};
		const rs = await ctx.db.client.query({ query: `EXPLAIN SYNTAX ${sql}`, query_params, format: 'JSONEachRow' });
		expect((await rs.json()).length).toBeGreaterThan(0);
	});
});
