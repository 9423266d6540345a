/**
 * Several ingest workers on one database: two schedulers (two "workers", each with its own lease
 * owner) race for the same source. Each source must run in one worker at a time, and nothing may be
 * stored twice. Leases are off by default on an embedded database (one owner process), so the test
 * hands each scheduler its own LeaseManager; the lease log lives in ClickHouse like on a server.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { parseSources, type Source } from '../../ingest/service/config';
import { LeaseManager } from '../../ingest/service/lease';
import { Scheduler } from '../../ingest/service/scheduler';
import { freshDb, rows } from '../helpers/db';
import * as v from '../fixtures/connectors/vendors';

let db: Db;
let close: () => Promise<void>;
let folder: string;
let next = 0;

const quiet = () => undefined;
const lines = (n: number) => Array.from({ length: n }, () => JSON.stringify(v.connectCtr(next++))).join('\n') + '\n';
const source = (name: string, path: string): Source =>
	parseSources(
		{
			sources: [
				{
					name,
					kind: 'files',
					mapping: 'ingest/connectors/mappings/amazon-connect-ctr.yaml',
					// Small pages: a run spans several pages, so racing runs really overlap in time.
					options: { path, pattern: '\\.ndjson$', format: 'ndjson', pageSize: 10 }
				}
			]
		},
		process.cwd()
	)[0]!;
const count = async (sql: string, params = {}) => Number((await rows<{ n: string }>(db, sql, params))[0]!.n);
const worker = (owner: string, src: Source, ttlMs = 10_000) =>
	new Scheduler(db, [src], quiet, new LeaseManager(db, { owner, ttlMs, settleMs: 100 }));

beforeAll(async () => {
	({ db, close } = await freshDb());
	folder = mkdtempSync(join(tmpdir(), 'touchmap-leases-'));
});
afterAll(async () => {
	await close?.();
	rmSync(folder, { recursive: true, force: true });
});

describe('two ingest workers, one database', () => {
	it('runs a source in one worker at a time and stores every record once', async () => {
		const file = join(folder, 'ctr.ndjson');
		writeFileSync(file, lines(60));
		const src = source('connect', folder);
		const a = worker('worker-a', src);
		const b = worker('worker-b', src);
		let expected = 60;
		for (let round = 0; round < 4; round++) {
			const [ra, rb] = await Promise.all([a.runNow('connect'), b.runNow('connect')]);
			// Exactly one of them ran; the other skipped the leased source.
			expect([ra, rb].filter(Boolean)).toHaveLength(1);
			const ran = (ra ?? rb)!;
			expect(ran.accepted).toBe(round === 0 ? 60 : 15);
			expect(ran.duplicates).toBe(0);
			appendFileSync(file, lines(15));
			expected += 15;
		}
		await Promise.all([a.runNow('connect'), b.runNow('connect')]);
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'connect'")).toBe(expected);
		expect(await count("SELECT uniqExact(interaction_id) AS n FROM interactions WHERE source = 'connect'")).toBe(
			expected
		);
		// One run per round, none overlapping another, none taken for crashed.
		const runs = await rows<{ started_at: string; finished_at: string; status: string }>(
			db,
			"SELECT started_at, finished_at, status FROM ingest_runs FINAL WHERE source = 'connect' ORDER BY started_at"
		);
		expect(runs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
		for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at >= runs[i - 1]!.finished_at).toBe(true);
		// Every lease taken was given back.
		expect((await new LeaseManager(db).state('connect')).holder).toBeNull();
	});

	it('skips a source leased by another live worker, and takes it once that lease expires', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'touchmap-leases-'));
		writeFileSync(join(dir, 'ctr.ndjson'), lines(20));
		const src = source('connect-2', dir);
		// A worker that took the lease and died (never renews, never releases).
		const dead = await new LeaseManager(db, { owner: 'worker-dead', ttlMs: 1_500, settleMs: 50 }).acquire('connect-2');
		expect(dead).toBeDefined();
		const a = worker('worker-a', src);
		expect(await a.runNow('connect-2')).toBeUndefined();
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'connect-2'")).toBe(0);
		await new Promise((r) => setTimeout(r, 1_700));
		expect(await a.runNow('connect-2')).toMatchObject({ accepted: 20, duplicates: 0 });
		rmSync(dir, { recursive: true, force: true });
	});

	it('keeps the lease alive by renewing it during a long run', async () => {
		const holder = new LeaseManager(db, { owner: 'worker-long', ttlMs: 300, settleMs: 20 });
		const rival = new LeaseManager(db, { owner: 'worker-rival', ttlMs: 300, settleMs: 20 });
		let rivalGot: unknown = 'not tried';
		const r = await holder.withLease('long-source', async () => {
			await new Promise((res) => setTimeout(res, 900)); // three TTLs
			rivalGot = await rival.acquire('long-source');
			return 'done';
		});
		expect(r).toBe('done');
		expect(rivalGot).toBeUndefined();
		expect(await rival.acquire('long-source')).toBeDefined();
	});
});
