/**
 * The DuckDB baseline's SQL (bench/duckdb.ts) answers the same questions as Touchmap: ranges are
 * whole UTC days, weeks start on Monday, paths collapse repeated stages and keep the first steps.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journeyMapSql, kpiTrendSql, pathsSql } from '../../bench/duckdb';

let inst: DuckDBInstance;
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
const all = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();

beforeAll(async () => {
	inst = await DuckDBInstance.create(':memory:');
	conn = await inst.connect();
	await conn.run(`CREATE TABLE interactions (customer_id VARCHAR, ts TIMESTAMP, channel VARCHAR, stage VARCHAR,
		touchpoint VARCHAR, is_complaint UTINYINT, csat_10 FLOAT, sentiment FLOAT, fcr UTINYINT, handle_s FLOAT, outcome VARCHAR)`);
	await conn.run(`INSERT INTO interactions VALUES
		('A', '2025-03-03 00:00:00', 'phone', 'purchase', 'checkout', 0, 8, 0.5, 1, 100, 'resolved'),
		('A', '2025-03-04 10:00:00', 'chat', 'purchase', 'checkout', 0, NULL, NULL, NULL, NULL, ''),
		('A', '2025-03-05 10:00:00', 'phone', 'delivery', 'tracking', 1, 2, -0.8, 0, 300, 'unresolved'),
		('A', '2025-03-06 10:00:00', 'phone', 'loyalty', 'points', 0, NULL, NULL, NULL, NULL, ''),
		('B', '2025-03-09 23:59:59', 'email', 'delivery', 'tracking', 1, 4, -0.5, NULL, NULL, 'escalated'),
		('B', '2025-03-10 00:00:00', 'email', 'after_sales', 'returns', 0, NULL, NULL, NULL, NULL, ''),
		('',  '2025-03-05 00:00:00', 'x', 'awareness', 'social', 0, NULL, NULL, NULL, NULL, '')`);
});
afterAll(() => {
	conn.closeSync();
	inst.closeSync();
});

it('counts the journey map per stage over whole UTC days, with a channel filter', async () => {
	const rows = await all(journeyMapSql({ from: '2025-03-03', to: '2025-03-09', channels: ['phone', 'email'] }));
	const stage = (s: string) => rows.find((r) => r.stage === s && r.touchpoint === null && r.channel === null);
	expect(Number(stage('delivery')!.interactions)).toBe(2);
	expect(Number(stage('delivery')!.complaints)).toBe(2);
	expect(Number(stage('purchase')!.interactions)).toBe(1);
	expect(stage('after_sales')).toBeUndefined(); // 2025-03-10 is outside the range
	const total = rows.find((r) => r.stage === null);
	expect(Number(total!.interactions)).toBe(4);
	expect(Number(total!.customers)).toBe(2);
});

it('buckets the KPI trend by Monday weeks', async () => {
	const rows = await all(kpiTrendSql({ from: '2025-03-01', to: '2025-03-31' }, 'week'));
	expect(rows.map((r) => [r.bucket, Number(r.interactions)])).toEqual([
		['2025-03-03', 6],
		['2025-03-10', 1]
	]);
});

it('collapses repeated stages into paths cut to the depth, counting channels per customer', async () => {
	const rows = await all(pathsSql({ from: '2025-03-01', to: '2025-03-31' }, 2));
	const byPath = Object.fromEntries(rows.map((r) => [(r.path as string[]).join(' > '), Number(r.channels)]));
	expect(byPath).toEqual({ 'purchase > delivery': 2, 'delivery > after_sales': 1 });
});
