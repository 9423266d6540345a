import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, type IngestSummary } from '../../ingest/loading/ingest-file';
import { loadMapping } from '../../ingest/mapping/mapping-file';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let crm: IngestSummary;
let calls: IngestSummary;
beforeAll(async () => {
	ctx = await freshDb();
	crm = await ingestFile({
		db: ctx.db,
		file: 'tests/fixtures/customers.ndjson',
		mapping: loadMapping('tests/fixtures/customers.mapping.json')
	});
	calls = await ingestFile({
		db: ctx.db,
		file: 'tests/fixtures/calls.csv',
		mapping: loadMapping('tests/fixtures/calls.mapping.json'),
		batchSize: 2 // several batches even for a small file
	});
});
afterAll(() => ctx.close());

describe('NDJSON mapper (CRM customers)', () => {
	it('accepts valid records with nested fields and rejects the rest', async () => {
		expect(crm).toMatchObject({ accepted: 3, rejected: 2, duplicates: 0 });
		const customers = await rows<{
			customer_id: string;
			name: string;
			email: string;
			account_opened: string;
			lifetime_value: number;
		}>(
			ctx.db,
			'SELECT customer_id, name, email, toString(account_opened) AS account_opened, lifetime_value FROM customers FINAL ORDER BY customer_id'
		);
		expect(customers).toEqual([
			{
				customer_id: 'cust-1',
				name: 'Ada Lovelace',
				email: 'ada@example.com',
				account_opened: '2019-05-01',
				lifetime_value: 12000
			},
			{
				customer_id: 'cust-2',
				name: '王芳',
				email: 'wang@example.cn',
				account_opened: '2024-01-10',
				lifetime_value: 800
			},
			{ customer_id: 'cust-3', name: 'Sam Lee', email: '', account_opened: '2022-07-15', lifetime_value: 1500 }
		]);
	});
});

describe('CSV mapper (call records)', () => {
	it('maps values, converts units and scales, and enriches from the customer', async () => {
		expect(calls).toMatchObject({ accepted: 4, rejected: 4, duplicates: 0 });
		const r = await rows<Record<string, unknown>>(
			ctx.db,
			`SELECT interaction_id, ts, channel, stage, touchpoint, handle_s, wait_s, fcr, is_complaint, csat, csat_10, segment, region, attributes['queue'] AS queue
			 FROM interactions WHERE source_id = 'c2'`
		);
		expect(r).toEqual([
			{
				interaction_id: 'fixture-calls:c2',
				ts: '2025-03-04 10:00:00.000',
				channel: 'phone',
				stage: 'after_sales',
				touchpoint: 'billing inquiry',
				handle_s: 540,
				wait_s: 45,
				fcr: 0,
				is_complaint: 0,
				csat: 2,
				csat_10: 2.5,
				segment: 'enterprise',
				region: 'EU',
				queue: 'Billing'
			}
		]);
	});
});

describe('quarantine', () => {
	it('keeps every invalid record with its raw payload, line and reason', async () => {
		const q = await rows<{ source: string; line: number; raw: string; reason: string }>(
			ctx.db,
			'SELECT source, line, raw, reason FROM quarantine WHERE run_id IN ({a:String}, {b:String}) ORDER BY source, line',
			{ a: crm.runId, b: calls.runId }
		);
		expect(q.map((x) => [x.source, Number(x.line), x.reason])).toEqual([
			['fixture-calls', 5, 'ts: "not-a-date" is not a valid datetime'],
			['fixture-calls', 6, 'csat: csat is outside its scale'],
			['fixture-calls', 8, 'wait_s: "oops" is not a number'],
			['fixture-calls', 9, 'expected 9 fields, found 4'],
			['fixture-crm', 4, 'customer_id: Invalid input: expected string, received undefined'],
			['fixture-crm', 5, expect.stringMatching(/^invalid JSON/)]
		]);
		const csvLines = readFileSync('tests/fixtures/calls.csv', 'utf8').split('\n');
		// A CSV record is kept as header → value (re-processable); a ragged line as it was.
		const header = csvLines[0]!.split(',');
		expect(JSON.parse(q.find((x) => x.reason.startsWith('wait_s'))!.raw)).toEqual(
			Object.fromEntries(header.map((h, i) => [h, csvLines[7]!.split(',')[i]]))
		);
		expect(q.find((x) => x.reason.startsWith('expected 9'))?.raw).toBe(csvLines[8]);
		expect(q.find((x) => x.source === 'fixture-crm' && Number(x.line) === 5)?.raw).toBe('this is not json');
	});

	it('accounts for every record: accepted + rejected = records in the file', () => {
		const records = readFileSync('tests/fixtures/calls.csv', 'utf8').trim().split('\n').length - 1;
		expect(calls.accepted + calls.rejected + calls.duplicates).toBe(records);
	});
});

describe('re-ingest', () => {
	it('adds no duplicate rows and counts them as duplicates', async () => {
		const before = await rows<{ n: number; k: number }>(
			ctx.db,
			'SELECT count() AS n, sum(interactions) AS k FROM (SELECT count() AS n, 0 AS interactions FROM interactions UNION ALL SELECT 0, sum(interactions) FROM kpi_daily)'
		);
		const again = await ingestFile({
			db: ctx.db,
			file: 'tests/fixtures/calls.csv',
			mapping: loadMapping('tests/fixtures/calls.mapping.json')
		});
		expect(again).toMatchObject({ accepted: 0, duplicates: 4, rejected: 4 });
		const crmAgain = await ingestFile({
			db: ctx.db,
			file: 'tests/fixtures/customers.ndjson',
			mapping: loadMapping('tests/fixtures/customers.mapping.json')
		});
		expect(crmAgain).toMatchObject({ accepted: 0, duplicates: 3 });
		const [counts] = await rows<{ interactions: number; rolled: number; customers: number }>(
			ctx.db,
			'SELECT (SELECT count() FROM interactions) AS interactions, (SELECT sum(interactions) FROM kpi_daily) AS rolled, (SELECT count() FROM customers) AS customers'
		);
		expect(Number(counts?.interactions)).toBe(4);
		expect(Number(counts?.rolled)).toBe(4); // the roll-up did not count the re-ingest twice
		expect(Number(counts?.customers)).toBe(3);
		expect(before.length).toBe(1);
	});

	it('records each run in ingest_runs with its counts', async () => {
		const runs = await rows<{ source: string; status: string; accepted: number; rejected: number; duplicates: number }>(
			ctx.db,
			"SELECT source, status, accepted, rejected, duplicates FROM ingest_runs FINAL WHERE source = 'fixture-calls' ORDER BY started_at"
		);
		expect(runs.map((r) => [r.status, Number(r.accepted), Number(r.rejected), Number(r.duplicates)])).toEqual([
			['ok', 4, 4, 0],
			['ok', 0, 4, 4]
		]);
	});
});

describe('a run killed mid-insert', () => {
	it('is closed as failed by the next run, whose duplicate check then sees the rows it stored', async () => {
		// The state SIGKILL can leave: a run still 'running' from an earlier process, and rows it
		// wrote to interactions whose keys the key view never wrote.
		const mapping = loadMapping('tests/fixtures/calls.mapping.json');
		const run = 'killed-run';
		await ctx.db.client.command({
			query: `ALTER TABLE interactions UPDATE ingest_run_id = {run:String} WHERE source = 'fixture-calls'`,
			query_params: { run },
			clickhouse_settings: { mutations_sync: '1' }
		});
		await ctx.db.client.command({
			query: `INSERT INTO ingest_runs (run_id, source, file, entity, started_at, finished_at, status)
				VALUES ({run:String}, 'fixture-calls', 'tests/fixtures/calls.csv', 'interaction', now64(3) - 3600, now64(3) - 3600, 'running')`,
			query_params: { run }
		});
		await ctx.db.client.command({
			query: "DELETE FROM interaction_keys WHERE startsWith(interaction_id, 'fixture-calls:')"
		});
		const again = await ingestFile({ db: ctx.db, file: 'tests/fixtures/calls.csv', mapping });
		expect(again).toMatchObject({ accepted: 0, duplicates: 4, rejected: 4 });
		const [n] = await rows<{ n: number }>(
			ctx.db,
			"SELECT count() AS n FROM interactions WHERE source = 'fixture-calls'"
		);
		expect(Number(n!.n)).toBe(4);
		const [closed] = await rows<{ status: string; error: string }>(
			ctx.db,
			'SELECT status, error FROM ingest_runs FINAL WHERE run_id = {run:String}',
			{ run }
		);
		expect(closed).toEqual({
			status: 'failed',
			error: 'the process ended during the run (killed or crashed); re-run the file to finish it'
		});
	}, 120_000);
});
