/**
 * The bench's SQL generator (bench/generate-sql.ts) clones a seed exported to Parquet: each copy
 * gets its own customer, interaction and order ids, times stay inside the seed's span, anonymous
 * contacts stay anonymous, and the roll-ups fill through their views as for ingested rows.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORTED, parquetFile } from '../../bench/export-parquet';
import { generateSql } from '../../bench/generate-sql';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
const seedDir = () => join(ctx.dir, 'seed');

beforeAll(async () => {
	ctx = await freshDb();
	const c = ctx.db.client;
	await c.insert({
		table: 'customers',
		format: 'JSONEachRow',
		values: [1, 2, 3].map((i) => ({
			customer_id: `C000000${i}`,
			source: 'crm',
			email: `user${i}@example.com`,
			tier: i === 1 ? 'gold' : 'bronze',
			status: 'Active'
		}))
	});
	await c.insert({
		table: 'orders',
		format: 'JSONEachRow',
		values: [{ order_id: 'O1', source: 'crm', customer_id: 'C0000001', ts: '2025-03-01 10:00:00', amount: 10 }]
	});
	const contact = (id: string, customer: string, ts: string, stage: string) => ({
		interaction_id: id,
		source: 'calls',
		source_id: id,
		customer_id: customer,
		ts,
		channel: 'phone',
		stage,
		touchpoint: `${stage}-tp`,
		is_complaint: stage === 'delivery' ? 1 : 0,
		csat_10: 5,
		// The customer's tier, as the loader writes it (the seed comes from an ingested database).
		tier: customer === 'C0000001' ? 'gold' : customer ? 'bronze' : ''
	});
	await c.insert({
		table: 'interactions',
		format: 'JSONEachRow',
		values: [
			contact('i1', 'C0000001', '2025-01-01 00:30:00', 'purchase'),
			contact('i2', 'C0000001', '2025-02-01 12:00:00', 'delivery'),
			contact('i3', 'C0000002', '2025-02-02 12:00:00', 'delivery'),
			contact('i4', 'C0000003', '2025-03-03 12:00:00', 'loyalty'),
			contact('i5', '', '2025-03-04 12:00:00', 'awareness'),
			contact('i6', 'C0000002', '2025-03-31 23:30:00', 'after_sales')
		]
	});
	for (const [table, select] of Object.entries(EXPORTED))
		await c.command({ query: `INSERT INTO FUNCTION file('${parquetFile(seedDir(), table)}', 'Parquet') ${select}` });
	// A fresh set of tables: the clone starts from empty ones, as in the bench.
	for (const t of ['interactions', 'customers', 'orders', 'journey_daily', 'journey_steps', 'kpi_daily'])
		await c.command({ query: `TRUNCATE TABLE ${t}` });
	const r = await generateSql(c, { interactions: 18, seedDir: seedDir(), log: () => undefined });
	expect(r).toMatchObject({ copies: 3, interactions: 18, customers: 9 });
});
afterAll(() => ctx.close());

it('writes K copies with their own ids, anonymous contacts staying anonymous', async () => {
	const [x] = await rows<{ n: string; ids: string; customers: string; anonymous: string; first: string; last: string }>(
		ctx.db,
		`SELECT count() AS n, uniqExact(interaction_id) AS ids, uniqExact(customer_id) AS customers,
		        countIf(customer_id = '') AS anonymous, toString(min(ts)) AS first, toString(max(ts)) AS last
		 FROM interactions`
	);
	expect([x!.n, x!.ids, x!.customers, x!.anonymous].map(Number)).toEqual([18, 18, 10, 3]);
	expect(x!.first >= '2025-01-01 00:30:00' && x!.last <= '2025-03-31 23:30:00.000').toBe(true);
	const customers = await rows<{ customer_id: string; email: string; tier: string }>(
		ctx.db,
		'SELECT customer_id, email, tier FROM customers FINAL ORDER BY customer_id'
	);
	expect(customers.map((c) => c.customer_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `C000000${i}`));
	expect(customers[3]).toMatchObject({ email: 'user4@example.com', tier: 'gold' });
	const [o] = await rows<{ n: string }>(ctx.db, "SELECT count() AS n FROM orders FINAL WHERE customer_id = 'C0000007'");
	expect(Number(o!.n)).toBe(1);
});

it('fills the roll-ups through their views, each copy keeping its tier', async () => {
	const [j] = await rows<Record<string, string>>(
		ctx.db,
		`SELECT sum(interactions) AS n, sumIf(interactions, tier = 'gold') AS gold, sum(complaints) AS complaints
		 FROM journey_daily`
	);
	expect([j!.n, j!.gold, j!.complaints].map(Number)).toEqual([18, 6, 6]);
	const [s] = await rows<{ n: string }>(ctx.db, 'SELECT count() AS n FROM journey_steps');
	expect(Number(s!.n)).toBe(15);
	const [k] = await rows<{ n: string }>(ctx.db, 'SELECT sum(interactions) AS n FROM kpi_daily');
	expect(Number(k!.n)).toBe(18);
});

it('continues an interrupted run without writing a row twice', async () => {
	await ctx.db.client.command({
		query: "ALTER TABLE interactions DELETE WHERE interaction_id IN ('i3~2', 'i5~1') SETTINGS mutations_sync = 1"
	});
	await generateSql(ctx.db.client, { interactions: 18, seedDir: seedDir(), log: () => undefined });
	const [x] = await rows<{ n: string; ids: string }>(
		ctx.db,
		'SELECT count() AS n, uniqExact(interaction_id) AS ids FROM interactions'
	);
	expect([x!.n, x!.ids].map(Number)).toEqual([18, 18]);
	const [c] = await rows<{ n: string }>(ctx.db, 'SELECT count() AS n FROM customers');
	expect(Number(c!.n)).toBe(9);
});
