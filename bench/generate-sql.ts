/**
 * Why this exists: the demo generator writes source files that go through the ingest CLI — right
 * for ≤ 10M interactions, but 100M would mean tens of GB of files and hours of parsing. Above that size
 * the bench makes the data inside ClickHouse with SQL instead: a demo-generated, ingested seed (1M
 * interactions by default, exported to Parquet) is cloned K times with
 * `INSERT INTO <table> SELECT … FROM file(seed.parquet) …`, each copy with its own customer ids
 * (C0000001 + k × seed customers), interaction/order ids (`<id>~k`) and timestamps moved by a
 * deterministic ±2 h (clamped to the seed's span). Rows go into the real `customers`, `orders`
 * and `interactions` tables, so every materialised view and roll-up fills exactly as for ingested
 * data, and every distribution of the demo generator (channels, stages, touchpoints, intents,
 * texts from ingest/demo/topics.ts, CSAT/NPS/sentiment, complaints, the planted pain points and
 * their start dates, churned and quiet customers, festival peaks, the 2-year span) is the seed's,
 * scaled by K. Deterministic: the same seed and size give the same rows. Resumable: a run that was
 * interrupted continues where it stopped (rows are counted per copy).
 *
 * `tsx bench/generate-sql.ts --interactions N --seed <parquet dir> --out <data dir>`
 * (bench/run.ts calls it for N > 10M).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parquetFile } from './export-parquet';

/** Timestamps of copy k ≥ 1 move by up to this many seconds either way. */
const JITTER_S = 7200;

/** Customer id of copy {k}: demo ids are C + 7 digits; anything else (anonymous '') is kept. */
const customerId = (col: string) =>
	`if({k:UInt32} = 0 OR NOT match(${col}, '^C[0-9]+$'), ${col},
	    concat('C', leftPad(toString(toUInt64(substring(${col}, 2)) + {k:UInt32} * {customers:UInt32}), 7, '0')))`;
const copyId = (col: string) => `if({k:UInt32} = 0, ${col}, concat(${col}, '~', toString({k:UInt32})))`;
const moved = (col: string, key: string) =>
	`if({k:UInt32} = 0, ${col}, least(greatest(${col} + toIntervalSecond(toInt64(cityHash64(${key}, {k:UInt32}) % ${2 * JITTER_S + 1}) - ${JITTER_S}),
	    parseDateTime64BestEffort({start:String}, 3, 'UTC')), parseDateTime64BestEffort({end:String}, 3, 'UTC')))`;

export const INTERACTIONS_SQL = `INSERT INTO interactions
  (interaction_id, source, source_id, customer_id, ts, channel, stage, touchpoint, scenario, intent,
   is_complaint, outcome, fcr, wait_s, handle_s, first_response_s, csat, csat_scale_min, csat_scale_max,
   csat_10, nps, sentiment, language, text, agent, team, region, product, segment, tier, attributes, ingest_run_id)
SELECT ${copyId('interaction_id')}, source, ${copyId('source_id')}, ${customerId('customer_id')},
       ${moved('ts', 'interaction_id')}, channel, stage, touchpoint, scenario, intent,
       is_complaint, outcome, fcr, wait_s, handle_s, first_response_s, csat, csat_scale_min, csat_scale_max,
       csat_10, nps, sentiment, language, text, agent, team, region, product, segment, tier, attributes,
       concat('bench-sql-', toString({k:UInt32}))
FROM file({seed:String}, 'Parquet')`;

const CUSTOMERS_SQL = `INSERT INTO customers
  (customer_id, source, name, email, phone, segment, tier, region, account_opened, lifetime_value,
   revenue, status, churn_date, attributes, ingest_run_id)
SELECT ${customerId('customer_id')}, source, name,
       if({k:UInt32} = 0, email, replaceRegexpOne(email, '[0-9]+@', concat(toString(toUInt64(substring(customer_id, 2)) + {k:UInt32} * {customers:UInt32}), '@'))),
       phone, segment, tier, region, account_opened, lifetime_value, revenue, status, churn_date, attributes,
       concat('bench-sql-', toString({k:UInt32}))
FROM file({seed:String}, 'Parquet')`;

const ORDERS_SQL = `INSERT INTO orders
  (order_id, source, customer_id, ts, amount, currency, status, channel, items, product, attributes, ingest_run_id)
SELECT ${copyId('order_id')}, source, ${customerId('customer_id')}, ${moved('ts', 'order_id')}, amount, currency,
       status, channel, items, product, attributes, concat('bench-sql-', toString({k:UInt32}))
FROM file({seed:String}, 'Parquet')`;

export interface GenerateOptions {
	interactions: number;
	seedDir: string;
	log?: (line: string) => void;
}

/** Clones the seed into the database `getDb()` opens (already migrated). Returns rows written. */
export async function generateSql(
	client: import('@clickhouse/client').ClickHouseClient,
	opts: GenerateOptions
): Promise<{ interactions: number; customers: number; copies: number; seconds: number }> {
	const log = opts.log ?? console.log;
	const seed = (t: string) => parquetFile(resolve(opts.seedDir), t);
	for (const t of ['interactions', 'customers', 'orders'])
		if (!existsSync(seed(t))) throw new Error(`generate-sql: the seed has no ${seed(t)}`);
	const one = async <T>(query: string, params: Record<string, unknown> = {}) =>
		((await (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json()) as T[])[0]!;
	const stats = await one<{ n: string; start: string; end: string }>(
		`SELECT count() AS n, toString(min(ts)) AS start, toString(max(ts)) AS end FROM file({seed:String}, 'Parquet')`,
		{ seed: seed('interactions') }
	);
	const { customers } = await one<{ customers: string }>(
		`SELECT max(toUInt64OrZero(substring(customer_id, 2))) AS customers FROM file({seed:String}, 'Parquet')`,
		{ seed: seed('customers') }
	);
	const seedRows = Number(stats.n);
	const copies = Math.max(1, Math.round(opts.interactions / seedRows));
	const base = { customers: Number(customers), start: stats.start, end: stats.end };
	log(
		`generate-sql: ${copies} copies of a seed of ${seedRows.toLocaleString('en')} interactions and ${Number(customers).toLocaleString('en')} customers (${(copies * seedRows).toLocaleString('en')} interactions)`
	);
	// Resumable: rows already written per copy (ingest_run_id = bench-sql-k) are counted once; a
	// complete copy is skipped, a partial one gets only its missing rows (the views then see each
	// row once, so the roll-ups stay exact), so an interrupted run just continues.
	const written = async (table: string) => {
		const rs = await client.query({
			query: `SELECT ingest_run_id AS id, count() AS n FROM ${table} WHERE startsWith(ingest_run_id, 'bench-sql-') GROUP BY id`,
			format: 'JSONEachRow'
		});
		return new Map((await rs.json<{ id: string; n: string }>()).map((r) => [r.id, Number(r.n)]));
	};
	const seedCount = async (t: string) =>
		Number((await one<{ n: string }>(`SELECT count() AS n FROM file({seed:String}, 'Parquet')`, { seed: seed(t) })).n);
	const copy = async (
		table: string,
		sql: string,
		idExpr: string,
		k: number,
		want: number,
		have: Map<string, number>
	) => {
		const n = have.get(`bench-sql-${k}`) ?? 0;
		if (n >= want) return false;
		const missing = n
			? ` WHERE ${idExpr} NOT IN (SELECT ${table === 'customers' ? 'customer_id' : table === 'orders' ? 'order_id' : 'interaction_id'} FROM ${table} WHERE ingest_run_id = {run:String})`
			: '';
		await client.command({
			query: sql + missing,
			query_params: { ...base, k, seed: seed(table), run: `bench-sql-${k}` },
			// Large blocks: each block runs through every materialised view once.
			clickhouse_settings: { max_block_size: '262144', min_insert_block_size_rows: '1048576' }
		});
		return true;
	};
	const t0 = Date.now();
	// Customers first: the journey roll-up's view looks up each interaction's customer tier.
	const [seedCustomers, seedOrders] = [await seedCount('customers'), await seedCount('orders')];
	const [haveCustomers, haveOrders] = [await written('customers'), await written('orders')];
	for (let k = 0; k < copies; k++) {
		await copy('customers', CUSTOMERS_SQL, customerId('customer_id'), k, seedCustomers, haveCustomers);
		await copy('orders', ORDERS_SQL, copyId('order_id'), k, seedOrders, haveOrders);
		if ((k + 1) % 10 === 0 || k + 1 === copies) log(`generate-sql: customers and orders ${k + 1}/${copies}`);
	}
	const haveInteractions = await written('interactions');
	let made = 0;
	for (let k = 0; k < copies; k++) {
		if (!(await copy('interactions', INTERACTIONS_SQL, copyId('interaction_id'), k, seedRows, haveInteractions)))
			continue;
		made++;
		const s = (Date.now() - t0) / 1000;
		log(
			`generate-sql: interactions ${(k + 1).toString().padStart(String(copies).length)}/${copies} — ${((k + 1) * seedRows).toLocaleString('en')} in the database, ${s.toFixed(0)} s (${Math.round((made * seedRows) / s).toLocaleString('en')}/s, ~${Math.round(((copies - k - 1) * s) / made)} s left)`
		);
	}
	return {
		interactions: copies * seedRows,
		customers: copies * Number(customers),
		copies,
		seconds: (Date.now() - t0) / 1000
	};
}

if (process.argv[1]?.endsWith('generate-sql.ts')) {
	const { values } = parseArgs({
		options: {
			interactions: { type: 'string' },
			seed: { type: 'string' },
			out: { type: 'string' }
		}
	});
	if (!values.interactions || !values.seed || !values.out) {
		console.error('Usage: tsx bench/generate-sql.ts --interactions N --seed <parquet dir> --out <data dir>');
		process.exit(2);
	}
	process.env.TOUCHMAP_DATA_DIR = resolve(values.out);
	const { closeDb, getDb } = await import('../db/client');
	const { migrate } = await import('../db/migrate');
	const db = await getDb();
	await migrate(db);
	const r = await generateSql(db.client, { interactions: Number(values.interactions), seedDir: values.seed });
	console.log(
		`generate-sql: ${r.interactions.toLocaleString('en')} interactions, ${r.customers.toLocaleString('en')} customers in ${r.seconds.toFixed(0)} s`
	);
	await closeDb();
}
