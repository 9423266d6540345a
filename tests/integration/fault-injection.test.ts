/**
 * No loss, no duplicates: the ingest CLI pulls a Zendesk-shaped source of 5,000 tickets (50 pages)
 * from a fixture server and is killed with SIGKILL at 20 random points — during start-up and
 * migrations, between pages, in the middle of inserts — and restarted each time. Afterwards every
 * ticket is stored exactly once and every malformed one is quarantined exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server';
import { zendeskTicket } from '../fixtures/connectors/vendors';

const TOTAL = 5000;
const PAGE = 100;
const KILLS = 20;
const BAD_EVERY = 500; // tickets 0, 500, 1000, … have an unreadable created_at
const seed = process.env.FAULT_SEED ?? String(Date.now());
const random = seedrandom(seed);

let server: FixtureServer;
let dir: string;
let pages = 0;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'touchmap-fault-'));
	server = await startFixtureServer({
		'/api/v2/incremental/tickets/cursor.json': (url) => {
			pages++;
			const from = Number(url.searchParams.get('cursor') ?? 0);
			const end = Math.min(from + PAGE, TOTAL);
			const tickets = [];
			for (let i = from; i < end; i++)
				tickets.push(i % BAD_EVERY === 0 ? { ...zendeskTicket(i), created_at: 'not a date' } : zendeskTicket(i));
			return { delay: 15, body: { tickets, after_cursor: String(end), end_of_stream: end >= TOTAL } };
		}
	});
	writeFileSync(
		join(dir, 'sources.json'),
		JSON.stringify({
			sources: [
				{
					name: 'zd',
					kind: 'zendesk',
					mapping: join(process.cwd(), 'ingest/connectors/mappings/zendesk-tickets.yaml'),
					options: { baseUrl: server.url }
				}
			]
		})
	);
});

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

// One process (node --import tsx), so SIGKILL hits the process that owns the database.
function start(): { child: ChildProcess; exit: Promise<number | null> } {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'ingest/cli.ts', '--source', 'zd', '--once', '--sources', join(dir, 'sources.json')],
		{
			env: { ...process.env, TOUCHMAP_DATA_DIR: join(dir, 'db'), TOUCHMAP_DEMO: '0' },
			stdio: ['ignore', 'ignore', 'pipe']
		}
	);
	let err = '';
	child.stderr!.on('data', (d) => (err += d));
	const exit = new Promise<number | null>((ok) =>
		child.on('exit', (code) => {
			if (code) console.error(err);
			ok(code);
		})
	);
	return { child, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it(`every record exactly once after ${KILLS} SIGKILLs (seed ${seed})`, { timeout: 600_000 }, async () => {
	let killedMidRun = 0;
	for (let k = 0; k < KILLS; k++) {
		const { child, exit } = start();
		// Pages to let through first: every fourth kill lands during start-up and migrations, the rest
		// after 1–3 pages, so most kills hit a run mid-way whatever the seed.
		const wait = k % 4 === 0 ? 0 : 1 + Math.floor(random() * 3);
		const jitter = Math.floor(random() * 60);
		const at = pages;
		let exited = false;
		void exit.then(() => (exited = true));
		if (wait === 0) await sleep(Math.floor(random() * 2500));
		else while (pages < at + wait && !exited) await sleep(2);
		await sleep(jitter);
		if (!exited) {
			child.kill('SIGKILL');
			if (pages > at) killedMidRun++;
		}
		await exit;
	}
	// A final run completes (and a second one finds nothing new).
	expect(await start().exit).toBe(0);
	expect(await start().exit).toBe(0);
	expect(killedMidRun).toBeGreaterThan(KILLS / 2);

	process.env.TOUCHMAP_DATA_DIR = join(dir, 'db');
	process.env.TOUCHMAP_DEMO = '0';
	const { openDb } = await import('../../db/open');
	const { closeDb } = await import('../../db/client');
	const db = await openDb();
	const q = async (sql: string) =>
		(await (await db.client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string>>())[0]!;
	const stored = await q(
		"SELECT count() AS n, uniqExact(source_id) AS u, min(toUInt32(source_id)) AS lo, max(toUInt32(source_id)) AS hi FROM interactions WHERE source = 'zd'"
	);
	const bad = TOTAL / BAD_EVERY;
	expect(Number(stored.n)).toBe(TOTAL - bad); // zero duplicated…
	expect(Number(stored.u)).toBe(TOTAL - bad); // …zero lost
	expect([Number(stored.lo), Number(stored.hi)]).toEqual([1001, 1000 + TOTAL - 1]);
	const quarantined = await q("SELECT count() AS n, uniqExact(raw) AS u FROM quarantine WHERE source = 'zd'");
	expect([Number(quarantined.n), Number(quarantined.u)]).toEqual([bad, bad]);
	const cursor = await q("SELECT argMax(cursor, updated_at) AS c FROM ingest_state WHERE source = 'zd'");
	expect(cursor.c).toBe(`{"after":"${TOTAL}"}`);
	await closeDb();
});
