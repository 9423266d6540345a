/**
 * Alerts on the demo data, delivered to a local SMTP server and a local webhook receiver: the
 * planted red pain points raise alerts that arrive by e-mail and by a webhook whose HMAC signature
 * verifies; evaluating again sends nothing (not new, and deduplicated within the window); quiet
 * hours hold a delivery until they end; a failing destination is retried with backoff and then
 * marked failed without holding up the others; every send is in the audit log; the weekly digest
 * arrives with its PDF; bad input is a 400 with a message.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../ingest/demo/load';
import type { SessionUser } from '../../src/lib/server/queries/auth/sessions';
import { freshDb, rows } from '../helpers/db';
import { startReceiver, startSmtp } from '../helpers/alert-receivers';

type Caller = ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;
let ctx: Awaited<ReturnType<typeof freshDb>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let hook: Awaited<ReturnType<typeof startReceiver>>;
let broken: Awaited<ReturnType<typeof startReceiver>>;
let admin: Caller;
let strategist: Caller;
let executive: Caller;
let run: typeof import('../../src/lib/server/alerts/run');
let config: import('../../src/lib/server/alerts/config').AlertsConfig;
const SECRET = 'test-signing-secret-0123456789';
const DEMO = { customers: 1500, seed: 42 };
const HOUR = 3_600_000;

function user(role: SessionUser['role'], id: string): SessionUser {
	return { user_id: id, email: `${role}@example.com`, name: role, role, expires_at: '2099-01-01 00:00:00.000' };
}

beforeAll(async () => {
	ctx = await freshDb();
	await loadDemoIfEmpty(ctx.db, { ...DEMO, sourceDir: join(ctx.dir, 'demo-source') });
	[smtp, hook, broken] = await Promise.all([startSmtp(), startReceiver(200), startReceiver(500)]);
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	const as = (u: SessionUser) => createCaller({ db: ctx.db, auth: { user: u, enforced: true, ip: '127.0.0.1' } });
	admin = as(user('admin', 'u-admin'));
	strategist = as(user('strategist', 'u-strategist'));
	executive = as(user('executive', 'u-executive'));
	run = await import('../../src/lib/server/alerts/run');
	const { alertsConfig } = await import('../../src/lib/server/alerts/config');
	config = alertsConfig({
		TOUCHMAP_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
		TOUCHMAP_ALERTS_WEBHOOK_SECRET: SECRET,
		TOUCHMAP_ALERTS_RETRY_SECONDS: '60',
		TOUCHMAP_ALERTS_MAX_ATTEMPTS: '2',
		TOUCHMAP_PUBLIC_URL: 'http://touchmap.test'
	});
	// Generating and loading the demo takes minutes on a loaded 2-core machine.
}, 900_000);
afterAll(async () => {
	await Promise.all([smtp?.close(), hook?.close(), broken?.close()]);
	await ctx?.close();
});

describe('alert rules and destinations', () => {
	it('refuses bad input with a message', async () => {
		await expect(
			admin.alerts.saveDestination({ id: 'ops', name: 'Ops', type: 'email', address: 'not-an-email' })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('e-mail') });
		await expect(admin.alerts.saveRule({ id: 'x', name: 'X', kind: 'bogus' } as never)).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		await expect(
			strategist.alerts.subscribe({ rules: 'all', quietHours: { start: 25, end: 3 } })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('hour from 0 to 23') });
		await expect(
			admin.alerts.saveRule({ id: 'r', name: 'R', kind: 'red_pain_point', destinationIds: ['nowhere'] })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('nowhere') });
		await expect(strategist.alerts.saveRule({ id: 'r', name: 'R', kind: 'red_pain_point' })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
	});

	it('keeps webhook URLs and secrets out of answers', async () => {
		await admin.alerts.saveDestination({ id: 'ops-mail', name: 'Ops', type: 'email', address: 'ops@example.com' });
		await admin.alerts.saveDestination({ id: 'team-hook', name: 'Team channel', type: 'webhook', url: hook.url });
		await admin.alerts.saveDestination({
			id: 'broken-hook',
			name: 'Broken',
			type: 'webhook',
			url: broken.url,
			format: 'teams'
		});
		const listed = await admin.alerts.destinations();
		expect(listed.map((d) => d.id).sort()).toEqual(['broken-hook', 'ops-mail', 'team-hook']);
		expect(JSON.stringify(listed)).not.toContain('secretpath');
		const audit = await rows<{ detail: string }>(
			ctx.db,
			"SELECT detail FROM audit_log WHERE target = 'alerts.saveDestination'"
		);
		expect(audit.length).toBe(3);
		expect(JSON.stringify(audit)).not.toContain('secretpath');
	});
});

describe('a red pain point on the demo', () => {
	const now = Date.parse('2026-12-07T12:00:00Z');

	it('reaches the SMTP server and the webhook receiver, signed', async () => {
		await admin.alerts.saveRule({
			id: 'red-pp',
			name: 'Red pain points',
			kind: 'red_pain_point',
			destinationIds: ['ops-mail', 'team-hook']
		});
		await strategist.alerts.subscribe({ rules: ['red-pp'], channel: 'email', digest: true });
		const s = await run.evaluate(ctx.db.client, { now });
		expect(s.errors).toEqual([]);
		const subjects = s.fired.map((f) => f.title);
		console.log(subjects.join('\n'));
		// The demo's two planted red pain points, and nothing else red.
		expect(subjects.some((t) => t.includes('delivery status'))).toBe(true);
		expect(subjects.some((t) => t.includes('refund request'))).toBe(true);
		expect(s.fired.length).toBe(2);
		// Three recipients each: the team's e-mail and webhook, and the subscribed strategist.
		expect(s.queued).toBe(6);

		const d = await run.deliverDue(ctx.db.client, { now, config });
		expect(d).toEqual({ sent: 6, failed: 0, retrying: 0 });
		const to = smtp.mails.flatMap((m) => m.to).sort();
		expect(to).toEqual(['ops@example.com', 'ops@example.com', 'strategist@example.com', 'strategist@example.com']);
		expect(smtp.mails.some((m) => /Subject: .*delivery status/.test(m.raw.replace(/\r?\n\s+/g, ' ')))).toBe(true);

		expect(hook.hooks.length).toBe(2);
		const { verify } = await import('../../src/lib/server/alerts/deliver');
		for (const h of hook.hooks) {
			const sig = String(h.headers['x-touchmap-signature']);
			const ts = Number(h.headers['x-touchmap-timestamp']);
			expect(verify(h.body, SECRET, ts, sig)).toBe(true);
			expect(verify(h.body, 'another-secret-0123456789', ts, sig)).toBe(false);
			const body = JSON.parse(h.body) as { text: string; touchmap: { kind: string; link: string } };
			expect(body.text).toMatch(/Red pain point|red pain point/);
			expect(body.touchmap.kind).toBe('red_pain_point');
			expect(body.touchmap.link).toMatch(/^http:\/\/touchmap\.test\/pain-points\//);
		}
		const audit = await rows<{ n: string }>(ctx.db, "SELECT count() AS n FROM audit_log WHERE action = 'alert_sent'");
		expect(Number(audit[0]!.n)).toBe(6);
	});

	it('sends nothing on a second evaluation: not new, and deduplicated within the window', async () => {
		const again = await run.evaluate(ctx.db.client, { now: now + HOUR });
		expect(again.alerts).toBe(0);
		expect(again.queued).toBe(0);
		// Even with what the rule saw forgotten, the same alerts are inside their window: none is queued.
		await ctx.db.client.command({
			query: "ALTER TABLE alert_state DELETE WHERE rule_id = 'red-pp'",
			clickhouse_settings: { mutations_sync: '2' }
		});
		const forgotten = await run.evaluate(ctx.db.client, { now: now + 2 * HOUR });
		expect(forgotten.alerts).toBe(2);
		expect(forgotten.deduplicated).toBe(2);
		expect(forgotten.queued).toBe(0);
		expect(await run.deliverDue(ctx.db.client, { now: now + 2 * HOUR, config })).toEqual({
			sent: 0,
			failed: 0,
			retrying: 0
		});
		expect(smtp.mails.length).toBe(4);
	});

	it('holds a delivery during quiet hours and sends it after', async () => {
		// The executive's quiet hours cover 12:00 UTC (the reporting time zone is UTC).
		await admin.alerts.saveRule({ id: 'red-pp-2', name: 'Red pain points (execs)', kind: 'red_pain_point' });
		await executive.alerts.subscribe({ rules: ['red-pp-2'], channel: 'email', quietHours: { start: 11, end: 14 } });
		const s = await run.evaluate(ctx.db.client, { now, ruleIds: ['red-pp-2'] });
		expect(s.queued).toBe(2);
		expect(s.held).toBe(2);
		expect(await run.deliverDue(ctx.db.client, { now: now + HOUR, config })).toEqual({
			sent: 0,
			failed: 0,
			retrying: 0
		});
		const held = await admin.alerts.deliveries({ status: 'held' });
		expect(held.length).toBe(2);
		expect(held[0]!.nextAttemptAt).toMatch(/^2026-12-07 14:00:00/);
		const before = smtp.mails.length;
		expect(await run.deliverDue(ctx.db.client, { now: Date.parse('2026-12-07T14:00:30Z'), config })).toEqual({
			sent: 2,
			failed: 0,
			retrying: 0
		});
		expect(smtp.mails.slice(before).flatMap((m) => m.to)).toEqual(['executive@example.com', 'executive@example.com']);
	});

	it('retries a failing destination with backoff, then marks it failed, without holding up the others', async () => {
		await admin.alerts.saveRule({
			id: 'red-pp-3',
			name: 'Red pain points (broken channel)',
			kind: 'red_pain_point',
			destinationIds: ['broken-hook', 'ops-mail']
		});
		const t0 = Date.parse('2026-12-08T09:00:00Z');
		await run.evaluate(ctx.db.client, { now: t0, ruleIds: ['red-pp-3'] });
		expect(await run.deliverDue(ctx.db.client, { now: t0, config })).toEqual({ sent: 2, failed: 0, retrying: 2 });
		// Not due again before the backoff (60 s) has passed.
		expect(await run.deliverDue(ctx.db.client, { now: t0 + 30_000, config })).toEqual({
			sent: 0,
			failed: 0,
			retrying: 0
		});
		expect(await run.deliverDue(ctx.db.client, { now: t0 + 61_000, config })).toEqual({
			sent: 0,
			failed: 2,
			retrying: 0
		});
		expect(broken.hooks.length).toBe(4);
		const failed = await admin.alerts.deliveries({ status: 'failed' });
		expect(failed.map((f) => [f.destinationId, f.attempts, f.lastError])).toEqual([
			['broken-hook', 2, 'HTTP 500 from ' + new URL(broken.url).host],
			['broken-hook', 2, 'HTTP 500 from ' + new URL(broken.url).host]
		]);
		const audit = await rows<{ n: string }>(
			ctx.db,
			"SELECT count() AS n FROM audit_log WHERE action = 'alert_failed' AND ok = 0"
		);
		expect(Number(audit[0]!.n)).toBe(4);
		// The Teams-format body was what the broken receiver got.
		expect(JSON.parse(broken.hooks[0]!.body)['@type']).toBe('MessageCard');
	});
});

describe('the other rule kinds on the demo', () => {
	it('evaluate without errors and say what they raise', async () => {
		await admin.alerts.saveRule({ id: 'kpi', name: 'KPI anomalies', kind: 'kpi_anomaly' });
		await admin.alerts.saveRule({ id: 'surge', name: 'Surging reasons', kind: 'reason_surge' });
		await admin.alerts.saveRule({ id: 'hv-churn', name: 'High-value churn risk', kind: 'high_value_churn' });
		const s = await run.evaluate(ctx.db.client, { ruleIds: ['kpi', 'surge', 'hv-churn'] });
		console.log(JSON.stringify(s, null, 1));
		expect(s.errors).toEqual([]);
		expect(s.rules).toBe(3);
	}, 300_000);
});

describe('the weekly executive digest', () => {
	it('arrives as an HTML e-mail with the KPI and ROI scorecard and a PDF from Chromium', async () => {
		const now = Date.parse('2026-12-09T08:00:00Z');
		const before = smtp.mails.length;
		expect(await run.queueDigest(ctx.db.client, { now })).toBe(1);
		expect(await run.queueDigest(ctx.db.client, { now: now + HOUR })).toBe(0);
		expect(await run.deliverDue(ctx.db.client, { now, config })).toMatchObject({ sent: 1, failed: 0 });
		const mail = smtp.mails.slice(before);
		expect(mail.map((m) => m.to)).toEqual([['strategist@example.com']]);
		const raw = mail[0]!.raw;
		expect(raw).toMatch(/Subject: Touchmap weekly digest, 2026-10-2\d to 2026-10-3\d/);
		expect(raw).toContain('text/html');
		expect(raw).toContain('touchmap-digest.pdf');
		// "%PDF-" in base64.
		expect(raw).toContain('JVBERi0');
	}, 120_000);
});
