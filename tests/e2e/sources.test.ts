/**
 * /admin/sources against the built app hosting the ingest service (TOUCHMAP_SOURCES): a Zendesk
 * fixture server is pulled on start-up, a broken source is paused with its error shown, a webhook
 * source accepts a signed POST and refuses an unsigned one, and quarantined records are browsed
 * and re-processed after the mapping file is fixed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../ingest/service/webhook';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server';
import { zendeskTicket } from '../fixtures/connectors/vendors';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
let fixtures: FixtureServer;
let dir: string;
const SECRET = 'e2e-secret';
const original = readFileSync('ingest/connectors/mappings/zendesk-tickets.yaml', 'utf8');
// The first mapping forgets Zendesk's "voice" channel: those tickets go to quarantine.
const broken = (() => {
	const m = parseYaml(original) as { fields: { channel: { map: Record<string, string>; default?: string } } };
	delete m.fields.channel.map.voice;
	delete m.fields.channel.default;
	return stringifyYaml(m);
})();

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'touchmap-e2e-sources-'));
	fixtures = await startFixtureServer({
		'/api/v2/incremental/tickets/cursor.json': (url) => ({
			body: {
				tickets: url.searchParams.has('cursor') ? [] : Array.from({ length: 20 }, (_, i) => zendeskTicket(i)),
				after_cursor: '20',
				end_of_stream: true
			}
		}),
		'/down/api/v2/incremental/tickets/cursor.json': () => ({ status: 503, body: 'maintenance' })
	});
	writeFileSync(join(dir, 'zendesk.yaml'), broken);
	writeFileSync(
		join(dir, 'events.json'),
		JSON.stringify({
			name: 'events',
			entity: 'interaction',
			format: 'ndjson',
			constants: { channel: 'app' },
			fields: { source_id: 'id', ts: 'at', text: 'message' }
		})
	);
	writeFileSync(
		join(dir, 'sources.yaml'),
		`sources:
  - { name: zendesk, kind: zendesk, mapping: zendesk.yaml, interval: 3600, options: { baseUrl: '${fixtures.url}' } }
  - { name: legacy-helpdesk, kind: zendesk, mapping: zendesk.yaml, interval: 3600, maxFailures: 1, http: { attempts: 1 }, options: { baseUrl: '${fixtures.url}/down' } }
  - { name: events, kind: webhook, mapping: events.json, webhook: { secretEnv: E2E_HOOK_SECRET } }
`
	);
	process.env.TOUCHMAP_SOURCES = join(dir, 'sources.yaml');
	process.env.E2E_HOOK_SECRET = SECRET;
	app = await startApp();
	delete process.env.TOUCHMAP_SOURCES;
	page = await app.browser.newPage({ viewport: { width: 1360, height: 1000 } });
});

afterAll(async () => {
	await app?.stop();
	await fixtures?.close();
	rmSync(dir, { recursive: true, force: true });
});

const row = (name: string) => page.getByTestId(`source-${name}`);

describe('admin sources page', () => {
	it('shows each source with state, counts and the failing one paused with its error', async () => {
		await page.goto(`${app.url}/admin`);
		await page.waitForURL(/\/admin\/sources$/);
		await expect
			.poll(
				async () => {
					await page.reload();
					return [
						await row('zendesk').getAttribute('data-state'),
						await row('legacy-helpdesk').getAttribute('data-state')
					];
				},
				{ timeout: 30_000 }
			)
			.toEqual(['ok', 'paused']);
		expect(await row('zendesk').getByTestId('records').textContent()).toBe('15'); // 20 tickets, 5 by voice quarantined
		expect(await row('legacy-helpdesk').textContent()).toMatch(/Paused.*HTTP 503/s);
		expect(await page.locator('nav a[href="/admin"]').count()).toBe(1);
		await page.screenshot({ path: `${SCREENSHOTS}/admin-sources.png`, fullPage: true });
	});

	it('accepts a signed webhook and refuses an unsigned one', async () => {
		const body = JSON.stringify([{ id: 'w1', at: '2026-03-01T12:00:00Z', message: 'app keeps crashing' }]);
		const ts = Math.floor(Date.now() / 1000);
		const ok = await fetch(`${app.url}/ingest/webhook/events`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-touchmap-timestamp': String(ts),
				'x-touchmap-signature': sign(SECRET, ts, body)
			},
			body
		});
		expect(ok.status).toBe(202);
		expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0, quarantined: 0 });
		const bad = await fetch(`${app.url}/ingest/webhook/events`, {
			method: 'POST',
			body,
			// JSON, as senders post: SvelteKit refuses cross-site text/plain POSTs (CSRF) before the route runs.
			headers: {
				'content-type': 'application/json',
				'x-touchmap-timestamp': String(ts),
				'x-touchmap-signature': 'sha256=00'
			}
		});
		expect(bad.status).toBe(401);
		const metrics = await (await fetch(`${app.url}/ingest/metrics`)).text();
		expect(metrics).toMatch(/touchmap_ingest_records_total\{source="events"\} 1/);
		expect(metrics).toMatch(/touchmap_ingest_paused\{source="legacy-helpdesk"\} 1/);
	});

	it('answers 413 to a webhook body over the server limit, declared or streamed', async () => {
		// Between adapter-node's BODY_SIZE_LIMIT (512 KB) and the app's 1 MB: refused while read.
		const body = JSON.stringify([{ id: 'big', at: '2026-03-01T12:00:00Z', message: 'x'.repeat(700_000) }]);
		const ts = Math.floor(Date.now() / 1000);
		const headers = {
			'content-type': 'application/json',
			'x-touchmap-timestamp': String(ts),
			'x-touchmap-signature': sign(SECRET, ts, body)
		};
		const declared = await fetch(`${app.url}/ingest/webhook/events`, { method: 'POST', headers, body });
		expect(declared.status).toBe(413);
		expect((await declared.json()).error).toMatch(/^body too large/);
		const bytes = new TextEncoder().encode(body);
		const streamed = await fetch(`${app.url}/ingest/webhook/events`, {
			method: 'POST',
			headers,
			body: new ReadableStream({
				start(c) {
					for (let i = 0; i < bytes.length; i += 65_536) c.enqueue(bytes.subarray(i, i + 65_536));
					c.close();
				}
			}),
			duplex: 'half'
		} as RequestInit);
		expect(streamed.status).toBe(413);
	});

	it('pauses and resumes a source', async () => {
		await page.reload();
		await page.getByTestId('pause-zendesk').click();
		await expect.poll(() => row('zendesk').getAttribute('data-state')).toBe('paused');
		await page.getByTestId('resume-zendesk').click();
		await expect.poll(() => row('zendesk').getAttribute('data-state')).not.toBe('paused');
	});

	it('browses quarantine and re-processes it after the mapping is fixed', async () => {
		await row('zendesk').getByRole('button', { name: '5' }).click();
		await page.waitForURL(/source=zendesk/);
		await expect.poll(() => page.getByTestId('q-table').locator('tbody tr').count()).toBe(5);
		// The reason names the value the mapping lacks, so it can be searched for.
		expect(await page.getByTestId('q-table').textContent()).toMatch(/channel: no mapping for "voice"/);
		await page.getByTestId('q-reason').fill('no such reason');
		await page.getByTestId('q-reason').press('Enter');
		await page.getByTestId('q-empty').waitFor();
		await page.getByTestId('q-reason').fill('voice');
		await page.getByTestId('q-reason').press('Enter');
		await expect.poll(() => page.getByTestId('q-table').locator('tbody tr').count()).toBe(5);
		await page.getByTestId('q-table').locator('summary').first().click();
		await page.screenshot({ path: `${SCREENSHOTS}/admin-quarantine.png`, fullPage: true });
		writeFileSync(join(dir, 'zendesk.yaml'), original);
		await page.getByTestId('reprocess').click();
		await expect.poll(() => page.getByTestId('action-result').textContent()).toMatch(/5 loaded, 0 still failing/);
		await page.getByTestId('q-empty').waitFor();
		expect(await row('zendesk').getByTestId('records').textContent()).toBe('20');
		await page.screenshot({ path: `${SCREENSHOTS}/admin-reprocessed.png`, fullPage: true });
	});
});
