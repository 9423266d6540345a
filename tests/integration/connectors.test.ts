/**
 * Connectors end to end against fixture servers in each vendor's shape: pagination, cursors across
 * runs, 429 / 5xx / slow / broken pages, quarantine of malformed records, identity resolution across
 * sources, pausing a source that keeps failing, and files appended to a watched folder.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { parseSources, type Source } from '../../ingest/service/config';
import { runSource } from '../../ingest/service/runner';
import { Scheduler } from '../../ingest/service/scheduler';
import { readCursorOf, readStatus } from '../../ingest/service/state';
import { freshDb, rows } from '../helpers/db';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server';
import * as v from '../fixtures/connectors/vendors';

let db: Db;
let close: () => Promise<void>;
let server: FixtureServer;
let folder: string;
let zendeskTickets = 25;

const FAST = { timeoutMs: 300, attempts: 4, backoffMs: 5 };

/** A source read through one of the shipped mappings (ingest/connectors/mappings/<mapping>.yaml). */
function src(name: string, kind: string, mapping: string, options: object, more: object = {}): Source {
	const source = { http: FAST, name, kind, mapping: `ingest/connectors/mappings/${mapping}.yaml`, options, ...more };
	return parseSources({ sources: [source] }, process.cwd())[0]!;
}

beforeAll(async () => {
	({ db, close } = await freshDb());
	folder = mkdtempSync(join(tmpdir(), 'touchmap-files-'));
	server = await startFixtureServer({
		// Zendesk: 10 tickets a page; page 2 answers 429 first, page 3 a 500 then a broken body.
		'/api/v2/incremental/tickets/cursor.json': (url, hit) => {
			const from = Number(url.searchParams.get('cursor') ?? 0);
			if (from === 10 && hit === 1) return { status: 429, headers: { 'retry-after': '0' } };
			if (from === 20 && hit === 1) return { status: 500, body: 'oops' };
			if (from === 20 && hit === 2) return { body: '{"tickets": [{"id": 1' };
			const end = Math.min(from + 10, zendeskTickets);
			const tickets = [];
			for (let i = from; i < end; i++) tickets.push(v.zendeskTicket(i));
			// One malformed ticket (no created_at) goes to quarantine, not into the table.
			if (from === 0) tickets[3] = { ...tickets[3]!, created_at: 'yesterday' };
			return { body: { tickets, after_cursor: String(end), end_of_stream: end >= zendeskTickets } };
		},
		'/services/data/v59.0/query': () => ({
			body: {
				totalSize: 8,
				done: false,
				records: [0, 1, 2, 3].map(v.salesforceContact),
				nextRecordsUrl: '/services/data/v59.0/query/01g-4'
			}
		}),
		'/services/data/v59.0/query/01g-4': (_u, hit) => ({
			delay: hit === 1 ? 500 : 0, // slow once: times out, then retried
			body: { totalSize: 8, done: true, records: [4, 5, 6, 7].map(v.salesforceContact) }
		}),
		'/2010-04-01/Accounts/AC123/Calls.json': (url) => {
			const page = Number(url.searchParams.get('Page') ?? 0);
			const calls = Array.from({ length: 5 }, (_, i) => v.twilioCall(page * 5 + i));
			return {
				body: {
					calls,
					page,
					next_page_uri: page < 2 ? `/2010-04-01/Accounts/AC123/Calls.json?PageSize=5&Page=${page + 1}` : null
				}
			};
		},
		'/2/tweets/search/recent': (url) => {
			const token = url.searchParams.get('next_token');
			const ids = token ? [3, 4] : [0, 1, 2];
			return {
				body: {
					data: ids.map(v.tweet),
					includes: { users: [900, 901, 902, 903, 904, 905, 906].map(v.xUser) },
					meta: {
						result_count: ids.length,
						newest_id: v.tweet(ids.at(-1)!).id,
						next_token: token ? undefined : 'page2'
					}
				}
			};
		},
		'/r/acme/new.json': (url) => {
			const after = url.searchParams.get('after');
			const posts = after ? [2, 3].map(v.redditPost) : [0, 1].map(v.redditPost);
			return { body: { kind: 'Listing', data: { after: after ? null : 't3_next', children: posts } } };
		},
		'/crm/v3/objects/contacts': (url) => {
			const after = url.searchParams.get('after');
			const list = after ? [2, 3] : [0, 1];
			return {
				body: { results: list.map(v.hubspotContact), paging: after ? undefined : { next: { after: '2', link: '' } } }
			};
		},
		'/2/statuses/mentions.json': (url) => {
			const c = url.searchParams.get('cursor');
			return { body: { statuses: (c ? [2, 3] : [0, 1]).map(v.weiboStatus), next_cursor: c ? 0 : 42 } };
		},
		'/always-down/api/v2/incremental/tickets/cursor.json': () => ({ status: 503, body: 'maintenance' })
	});
});

afterAll(async () => {
	await server?.close();
	await close?.();
	rmSync(folder, { recursive: true, force: true });
});

const count = async (q: string, p = {}) => Number((await rows<{ n: string }>(db, q, p))[0]!.n);

describe('connectors against fixture servers', () => {
	it('Zendesk: pages through 429, 5xx and a broken page; quarantines the malformed ticket; resumes from its cursor', async () => {
		const zd = src('zendesk', 'zendesk', 'zendesk-tickets', { baseUrl: server.url });
		const r = await runSource(db, zd);
		expect(r).toMatchObject({ pages: 3, accepted: 24, rejected: 1 });
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'zendesk'")).toBe(24);
		const q = await rows<{ reason: string; raw: string }>(
			db,
			"SELECT reason, raw FROM quarantine WHERE source = 'zendesk'"
		);
		expect(q).toHaveLength(1);
		expect(q[0]!.reason).toMatch(/ts/);
		expect(JSON.parse(q[0]!.raw).id).toBe(1003);
		expect(await readCursorOf(db, 'zendesk')).toBe('{"after":"25"}');
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'zendesk' AND csat IS NOT NULL")).toBe(5);
		// New tickets appear: the next run starts from the cursor and reads only them.
		zendeskTickets = 32;
		const before = server.log.length;
		const r2 = await runSource(db, zd);
		expect(r2).toMatchObject({ accepted: 7, rejected: 0 });
		expect(server.log.slice(before).every((l) => !l.includes('start_time'))).toBe(true);
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'zendesk'")).toBe(31);
		// A rerun from scratch stores nothing twice.
		await db.client.insert({
			table: 'ingest_state',
			values: [{ source: 'zendesk', cursor: '', updated_at: Date.now() + 5 }],
			format: 'JSONEachRow'
		});
		const r3 = await runSource(db, zd);
		expect(r3.accepted).toBe(0);
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'zendesk'")).toBe(31);
		expect(await count("SELECT count() AS n FROM quarantine WHERE source = 'zendesk'")).toBe(1);
	});

	it('Salesforce contacts (nextRecordsUrl, a slow page) link identities; Twilio calls resolve to them', async () => {
		const sf = src('sf-contacts', 'salesforce', 'salesforce-contact', {
			instanceUrl: server.url,
			object: 'Contact',
			fields: ['FirstName', 'LastName', 'Email', 'Phone']
		});
		expect(await runSource(db, sf)).toMatchObject({ pages: 2, accepted: 8 });
		expect(JSON.parse((await readCursorOf(db, 'sf-contacts'))!).since).toBe('2026-01-01T00:07:00Z');
		expect(server.log.some((l) => decodeURIComponent(l).includes('SystemModstamp >= 1970-01-01T00:00:00Z'))).toBe(true);
		const tw = src('twilio', 'twilio', 'twilio-calls', { baseUrl: server.url, accountSid: 'AC123', pageSize: 5 });
		expect(await runSource(db, tw)).toMatchObject({ pages: 3, accepted: 15 });
		const linked = await rows<{ customer_id: string; source_id: string }>(
			db,
			"SELECT customer_id, source_id FROM interactions WHERE source = 'twilio' AND customer_id != ''"
		);
		// Call 0 came from +14155551000 = contact 0's phone, written (415) 555-1000 in the CRM.
		expect(linked.map((l) => l.customer_id)).toContain('003000000000000');
		const why = await rows<{ matched_on: string; rule: string }>(
			db,
			"SELECT matched_on, rule FROM identity_merges WHERE source = 'twilio' AND customer_id = '003000000000000'"
		);
		expect(why[0]).toEqual({ matched_on: 'phone:+14155551000', rule: 'phone' });
	});

	it('X, Reddit, Weibo and HubSpot paginate; known handles link, unknown authors stay anonymous', async () => {
		// HubSpot contact bo1 has twitterhandle bo1; X user901 is unknown.
		const hs = src('hubspot', 'hubspot', 'hubspot-contacts', {
			baseUrl: server.url,
			object: 'contacts',
			properties: ['email']
		});
		expect(await runSource(db, hs)).toMatchObject({ pages: 2, accepted: 4 });
		await db.client.insert({
			table: 'identity_links',
			values: [{ identifier: 'x:user902', customer_id: '702', source: 'hubspot', rule: 'handle' }],
			format: 'JSONEachRow'
		});
		const x = src('x', 'x', 'x-recent-search', { baseUrl: server.url, query: 'acme' });
		expect(await runSource(db, x)).toMatchObject({ pages: 2, accepted: 5 });
		expect(JSON.parse((await readCursorOf(db, 'x'))!)).toEqual({ since_id: v.tweet(4).id });
		const posts = await rows<{ customer_id: string; profile: string; handle: string }>(
			db,
			"SELECT customer_id, attributes['profile'] AS profile, attributes['handle'] AS handle FROM interactions WHERE source = 'x' ORDER BY source_id"
		);
		expect(posts.find((p) => p.handle === 'user902')).toMatchObject({ customer_id: '702', profile: '' });
		expect(posts.find((p) => p.handle === 'user901')).toMatchObject({ customer_id: '', profile: 'anon:x:user901' });
		const rd = src('reddit', 'reddit', 'reddit-listing', { baseUrl: server.url, path: '/r/acme/new.json' });
		expect(await runSource(db, rd)).toMatchObject({ pages: 2, accepted: 4 });
		const wb = src('weibo', 'weibo', 'weibo-mentions', { baseUrl: server.url });
		expect(await runSource(db, wb)).toMatchObject({ pages: 2, accepted: 4 });
	});

	it('a source that keeps failing is paused with its error visible; others go on', async () => {
		const down = src(
			'down',
			'zendesk',
			'zendesk-tickets',
			{ baseUrl: `${server.url}/always-down` },
			{ maxFailures: 2 }
		);
		const rd = src('reddit2', 'reddit', 'reddit-listing', { baseUrl: server.url, path: '/r/acme/new.json' });
		const s = new Scheduler(db, [down, rd], () => undefined);
		await expect(s.runNow('down')).rejects.toThrow(/HTTP 503/);
		await expect(s.runNow('down')).rejects.toThrow(/HTTP 503/);
		const st = await readStatus(db, 'down');
		expect(st).toMatchObject({ paused: true, state: 'paused', failures: 2 });
		expect(st.last_error).toMatch(/HTTP 503/);
		expect(await s.runNow('down')).toBeUndefined(); // paused: not run
		expect(await s.runNow('reddit2')).toMatchObject({ accepted: 4 });
		const m = await s.metrics();
		expect(m).toMatch(/touchmap_ingest_paused\{source="down"\} 1/);
		expect(m).toMatch(/touchmap_ingest_records_total\{source="reddit2"\} 4/);
		expect(m).toMatch(/touchmap_ingest_lag_seconds\{source="reddit2"\} \d+/);
		await s.resume('down');
		expect((await readStatus(db, 'down')).paused).toBe(false);
		await s.stop();
	});

	it('watched folder: Amazon Connect CTR NDJSON and an appended Asterisk Master.csv', async () => {
		writeFileSync(
			join(folder, 'ctr-1.ndjson'),
			[0, 1, 2].map((i) => JSON.stringify(v.connectCtr(i))).join('\n') + '\n{broken\n'
		);
		const ctr = src('connect', 'files', 'amazon-connect-ctr', {
			path: folder,
			pattern: '\\.ndjson$',
			format: 'ndjson'
		});
		expect(await runSource(db, ctr)).toMatchObject({ accepted: 3, rejected: 1 });
		writeFileSync(join(folder, 'ctr-2.ndjson'), JSON.stringify(v.connectCtr(3)) + '\n');
		expect(await runSource(db, ctr)).toMatchObject({ accepted: 1, rejected: 0 });
		const cdrDir = mkdtempSync(join(tmpdir(), 'touchmap-cdr-'));
		const line = (i: number) =>
			`"","41555510${String(i).padStart(2, '0')}","100","from-external","","SIP/trunk-0000${i}","SIP/100-0000${i}","Dial","SIP/100","2026-01-05 10:0${i}:00","2026-01-05 10:0${i}:05","2026-01-05 10:0${i}:45",45,40,"ANSWERED","DOCUMENTATION","1767607200.${i}",""\n`;
		writeFileSync(join(cdrDir, 'Master.csv'), line(0) + line(1));
		const cdr = src('asterisk', 'files', 'asterisk-cdr', {
			path: join(cdrDir, 'Master.csv'),
			format: 'csv',
			columns: (await import('../../ingest/sources/connectors/files')).ASTERISK_CDR_COLUMNS
		});
		expect(await runSource(db, cdr)).toMatchObject({ accepted: 2 });
		appendFileSync(join(cdrDir, 'Master.csv'), line(2));
		expect(await runSource(db, cdr)).toMatchObject({ accepted: 1, duplicates: 0 });
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'asterisk' AND handle_s = 40")).toBe(3);
		rmSync(cdrDir, { recursive: true, force: true });
	});

	it('the generic call-log mapping reads the shared call-center data set', async (ctx) => {
		// ../shared/datasets from the main checkout (/work/main), ../../shared from a worktree.
		const { existsSync } = await import('node:fs');
		const file = ['../shared', '../../shared']
			.map((d) => join(process.cwd(), d, 'datasets/call-center/call_center_agents_5000.csv'))
			.find((f) => existsSync(f));
		if (!file) {
			console.warn('skipped: ../shared/datasets/call-center/call_center_agents_5000.csv is absent');
			return ctx.skip();
		}
		const log = src('call-log', 'files', 'call-log-csv', { path: file, format: 'csv' });
		const r = await runSource(db, log);
		expect(r.accepted + r.rejected).toBe(5000);
		expect(r.accepted).toBe(5000);
		expect(await count("SELECT count() AS n FROM interactions WHERE source = 'call-log' AND csat IS NULL")).toBe(946);
	});
});
