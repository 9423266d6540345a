/**
 * The admin API of the ingest service and push sources: webhooks with HMAC signatures and replay
 * protection, the sources list with state and counts, pause/resume, the quarantine browser and
 * re-processing quarantined records after the mapping is fixed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { createCaller } from '../../src/lib/server/trpc/router';
import { parseSources } from '../../ingest/service/config';
import { startIngestHost, stopIngestHost } from '../../ingest/service/host';
import { handleWebhook, sign } from '../../ingest/service/webhook';
import { freshDb, rows } from '../helpers/db';

let db: Db;
let close: () => Promise<void>;
let dir: string;
const SECRET = 'test-secret-123';

const mapping = (withChat: boolean) => ({
	name: 'events',
	entity: 'interaction',
	format: 'ndjson',
	fields: {
		source_id: 'id',
		ts: 'at',
		channel: { from: 'via', map: { mail: 'email', ...(withChat ? { livechat: 'chat' } : {}) } },
		text: 'message',
		'attributes.email': 'email'
	}
});

beforeAll(async () => {
	({ db, close } = await freshDb());
	dir = mkdtempSync(join(tmpdir(), 'touchmap-admin-'));
	writeFileSync(join(dir, 'events.json'), JSON.stringify(mapping(false)));
	process.env.TEST_HOOK_SECRET = SECRET;
	const sources = parseSources(
		{
			sources: [{ name: 'events', kind: 'webhook', mapping: 'events.json', webhook: { secretEnv: 'TEST_HOOK_SECRET' } }]
		},
		dir
	);
	startIngestHost(db, sources, { schedule: false });
});

afterAll(async () => {
	await stopIngestHost();
	await close?.();
	rmSync(dir, { recursive: true, force: true });
});

const headers = (h: Record<string, string>) => ({ get: (k: string) => h[k] ?? null });
const now = () => Math.floor(Date.now() / 1000);
const post = async (body: string, ts = now(), secret = SECRET, source = 'events') => {
	const { ingestHost } = await import('../../ingest/service/host');
	return handleWebhook(
		db,
		ingestHost()!.get(source),
		headers({ 'x-touchmap-timestamp': String(ts), 'x-touchmap-signature': sign(secret, ts, body) }),
		body
	);
};
const event = (i: number, via = 'mail') => ({
	id: `e${i}`,
	at: '2026-02-01T10:00:00Z',
	via,
	message: `hello ${i}`,
	email: 'Pat@Example.com'
});

describe('webhooks', () => {
	it('accepts signed events, maps them and quarantines the bad ones', async () => {
		await db.client.insert({
			table: 'identity_links',
			values: [{ identifier: 'email:pat@example.com', customer_id: 'C42', source: 'crm', rule: 'email' }],
			format: 'JSONEachRow'
		});
		const r = await post(JSON.stringify([event(1), event(2), event(3, 'livechat')]));
		expect(r).toEqual({ status: 202, body: { accepted: 2, duplicates: 0, quarantined: 1 } });
		const stored = await rows<{ customer_id: string; channel: string }>(
			db,
			"SELECT customer_id, channel FROM interactions WHERE source = 'events'"
		);
		expect(stored).toEqual([
			{ customer_id: 'C42', channel: 'email' },
			{ customer_id: 'C42', channel: 'email' }
		]);
	});
	it('refuses bad signatures, stale timestamps and replays; never a 500', async () => {
		const body = JSON.stringify(event(4));
		expect((await post(body, now(), 'wrong')).status).toBe(401);
		expect((await post(body, now() - 3600)).status).toBe(401);
		const ts = now();
		expect((await post(body, ts)).status).toBe(202);
		expect((await post(body, ts)).status).toBe(409);
		expect((await handleWebhook(db, undefined, headers({}), body)).status).toBe(404);
		const missing = await handleWebhook(
			db,
			(await import('../../ingest/service/host')).ingestHost()!.get('events'),
			headers({}),
			body
		);
		expect(missing.status).toBe(401);
	});
	it('a body that is not JSON is 400 and kept in quarantine', async () => {
		const r = await post('{"id": "e5", oops');
		expect(r.status).toBe(400);
		const q = await rows<{ raw: string }>(
			db,
			"SELECT raw FROM quarantine WHERE source = 'events' AND raw LIKE '%oops%'"
		);
		expect(q).toHaveLength(1);
	});
});

describe('admin API', () => {
	const api = () => createCaller({ db });
	it('lists sources with counts, pauses and resumes', async () => {
		const list = await api().sources.list();
		const ev = list.find((s) => s.name === 'events')!;
		expect(ev).toMatchObject({ kind: 'webhook', configured: true, records: 3, quarantined: 2, paused: false });
		expect(ev.lagSeconds).toBeGreaterThan(0);
		await api().sources.pause({ source: 'events' });
		expect((await api().sources.list()).find((s) => s.name === 'events')!.paused).toBe(true);
		await api().sources.resume({ source: 'events' });
		expect((await api().sources.list()).find((s) => s.name === 'events')!.paused).toBe(false);
		await expect(api().sources.pause({ source: 'Bad Name!' })).rejects.toThrow(/source name/);
		await db.client.insert({
			table: 'ingest_state',
			values: [{ source: 'events', cursor: '{"next":"x"}' }],
			format: 'JSONEachRow'
		});
		await api().sources.resetCursor({ source: 'events' });
		const { readCursorOf } = await import('../../ingest/service/state');
		expect(await readCursorOf(db, 'events')).toBe('');
	});
	it('browses quarantine with filters', async () => {
		const all = await api().sources.quarantine({ source: 'events' });
		expect(all).toHaveLength(2);
		const channel = await api().sources.quarantine({ source: 'events', reason: 'CHANNEL' });
		expect(channel).toHaveLength(1);
		expect(JSON.parse(channel[0]!.raw).via).toBe('livechat');
		expect(await api().sources.quarantine({ source: 'nope' })).toEqual([]);
	});
	it('re-processes quarantined records after the mapping is fixed', async () => {
		const before = await api().sources.reprocess({ source: 'events' });
		expect(before).toMatchObject({ examined: 2, loaded: 0, stillFailing: 1, notJson: 1 });
		writeFileSync(join(dir, 'events.json'), JSON.stringify(mapping(true)));
		const after = await api().sources.reprocess({ source: 'events' });
		expect(after).toMatchObject({ loaded: 1, stillFailing: 0 });
		expect(await rows(db, "SELECT channel FROM interactions WHERE source = 'events' AND source_id = 'e3'")).toEqual([
			{ channel: 'chat' }
		]);
		expect(await api().sources.quarantine({ source: 'events' })).toHaveLength(1); // the non-JSON body stays
		const why = await api().sources.explain({ source: 'events', sourceId: 'e3' });
		expect(why[0]).toMatchObject({ customer_id: 'C42', matched_on: 'email:pat@example.com', rule: 'email' });
	});
});
