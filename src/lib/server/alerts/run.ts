/**
 * Why this exists: the two halves of alerting, both run off the request path by the background job
 * (job.ts) — `evaluate` runs the enabled rules, drops what was already sent within a rule's window,
 * and queues one delivery per recipient (a rule's team destinations plus the users subscribed to
 * it), held until the end of the recipient's quiet hours; `deliverDue` sends what is due, by SMTP
 * or signed webhook, retrying with backoff, and writes every attempt to the audit log. A failing
 * destination only marks its own deliveries: nothing else waits on it.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Alert, Destination, QuietHours, Rule, Subscription } from '$schemas/alerts';
import { audit } from '../queries/auth/audit';
import { readDisplay } from '../queries/settings/read';
import { alertsConfig, type AlertsConfig } from './config';
import {
	backoffSeconds,
	releaseTime,
	sign,
	SIGNATURE_HEADER,
	TIMESTAMP_HEADER,
	webhookBody,
	webhookHost
} from './deliver';
import { buildDigest, escapeHtml, renderPdf } from './digest';
import { dataRange, evaluateRule } from './rules';
import {
	dueDeliveries,
	listDestinations,
	listRules,
	listSubscriptions,
	readState,
	sentWithin,
	writeDeliveries,
	writeState,
	type DeliveryRow
} from './store';

interface Recipient {
	channel: 'email' | 'webhook';
	destinationId: string;
	target: string;
	quiet: QuietHours | null;
}

/** Where one rule's alerts go: its team destinations, then each subscriber's channel; each once. */
export function recipientsOf(
	ruleId: string | 'digest',
	rule: Pick<Rule, 'destinationIds'> | null,
	destinations: Destination[],
	subscriptions: Subscription[]
): Recipient[] {
	const byId = new Map(destinations.filter((d) => d.enabled).map((d) => [d.id, d]));
	const out = new Map<string, Recipient>();
	const add = (d: Destination, quiet: QuietHours | null) => {
		const r: Recipient =
			d.type === 'email'
				? { channel: 'email', destinationId: d.id, target: d.address, quiet }
				: { channel: 'webhook', destinationId: d.id, target: webhookHost(d.url), quiet };
		const key = `${r.channel}|${r.channel === 'email' ? r.target.toLowerCase() : r.destinationId}`;
		if (!out.has(key)) out.set(key, r);
	};
	for (const id of rule?.destinationIds ?? []) {
		const d = byId.get(id);
		if (d) add(d, d.quietHours);
	}
	for (const s of subscriptions) {
		const wants = ruleId === 'digest' ? s.digest : s.rules === 'all' || s.rules.includes(ruleId);
		if (!wants) continue;
		if (s.channel === 'email') {
			const key = `email|${s.email.toLowerCase()}`;
			if (!out.has(key))
				out.set(key, { channel: 'email', destinationId: `user:${s.userId}`, target: s.email, quiet: s.quietHours });
		} else {
			const d = byId.get(s.channel);
			if (d) add(d, s.quietHours ?? d.quietHours);
		}
	}
	return [...out.values()];
}

export interface EvaluateSummary {
	rules: number;
	alerts: number;
	/** Alerts not sent again because the same one went out within its window. */
	deduplicated: number;
	queued: number;
	held: number;
	errors: { ruleId: string; message: string }[];
	fired: { ruleId: string; subject: string; title: string; text: string }[];
}

export async function evaluate(
	client: ClickHouseClient,
	/** `dryRun`: say what would be raised and sent, change nothing (no deliveries, no remembered state). */
	opts: { now?: number; ruleIds?: string[]; dryRun?: boolean } = {}
): Promise<EvaluateSummary> {
	const now = opts.now ?? Date.now();
	const summary: EvaluateSummary = { rules: 0, alerts: 0, deduplicated: 0, queued: 0, held: 0, errors: [], fired: [] };
	const range = await dataRange(client);
	if (!range) return summary;
	const [rules, destinations, subscriptions, display] = await Promise.all([
		listRules(client),
		listDestinations(client),
		listSubscriptions(client),
		readDisplay(client)
	]);
	for (const rule of rules) {
		if (!rule.enabled || (opts.ruleIds && !opts.ruleIds.includes(rule.id))) continue;
		summary.rules++;
		try {
			const previous = await readState(client, rule.id);
			const result = await evaluateRule(rule, { client, range, timeZone: display.timeZone, previous });
			const rows: DeliveryRow[] = [];
			const recipients = recipientsOf(rule.id, rule, destinations, subscriptions);
			for (const alert of result.alerts) {
				summary.alerts++;
				const alertKey = `${rule.id}|${alert.subject}`;
				if (await sentWithin(client, alertKey, now - rule.windowHours * 3_600_000)) {
					summary.deduplicated++;
					continue;
				}
				summary.fired.push({ ruleId: rule.id, subject: alert.subject, title: alert.title, text: alert.text });
				rows.push(...queue(alertKey, rule.kind, alert.title, JSON.stringify(alert), recipients, now, display.timeZone));
			}
			summary.queued += rows.length;
			summary.held += rows.filter((r) => r.status === 'held').length;
			if (opts.dryRun) continue;
			await writeDeliveries(client, rows, now);
			// State is written after the deliveries are queued: a crash in between re-raises, never loses.
			await writeState(client, rule.id, result.seen, now);
		} catch (err) {
			summary.errors.push({ ruleId: rule.id, message: (err as Error).message });
		}
	}
	return summary;
}

function queue(
	alertKey: string,
	kind: string,
	title: string,
	payload: string,
	recipients: Recipient[],
	now: number,
	timeZone: string
): DeliveryRow[] {
	const iso = new Date(now).toISOString();
	return recipients.map((r) => {
		const release = releaseTime(new Date(now), r.quiet, timeZone).getTime();
		return {
			id: randomUUID(),
			alertKey,
			ruleId: alertKey.split('|')[0]!,
			kind,
			title,
			payload,
			channel: r.channel,
			destinationId: r.destinationId,
			target: r.target,
			status: release > now ? 'held' : 'pending',
			attempts: 0,
			lastError: '',
			createdAt: iso,
			nextAttemptAt: new Date(release).toISOString(),
			sentAt: null
		};
	});
}

/** Queues this week's executive digest for every subscriber (once per data week: deduplicated). */
export async function queueDigest(client: ClickHouseClient, opts: { now?: number } = {}): Promise<number> {
	const now = opts.now ?? Date.now();
	const range = await dataRange(client);
	if (!range) return 0;
	const [destinations, subscriptions, display] = await Promise.all([
		listDestinations(client),
		listSubscriptions(client),
		readDisplay(client)
	]);
	const recipients = recipientsOf('digest', null, destinations, subscriptions);
	if (!recipients.length) return 0;
	const digest = await buildDigest(client, range);
	const alertKey = `digest|${digest.from}`;
	if (await sentWithin(client, alertKey, now - 6 * 24 * 3_600_000)) return 0;
	const rows = queue(alertKey, 'digest', digest.title, JSON.stringify(digest), recipients, now, display.timeZone);
	await writeDeliveries(client, rows, now);
	return rows.length;
}

export interface Senders {
	sendMail(msg: {
		to: string;
		subject: string;
		text: string;
		html?: string;
		attachments?: { filename: string; content: Buffer; contentType: string }[];
	}): Promise<void>;
	fetch: typeof fetch;
	renderPdf(html: string): Promise<Buffer>;
}

async function smtpSender(config: AlertsConfig): Promise<Senders['sendMail']> {
	const url = config.TOUCHMAP_SMTP_URL;
	if (!url) return async () => Promise.reject(new Error('no SMTP server configured (TOUCHMAP_SMTP_URL)'));
	const nodemailer = await import('nodemailer');
	const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, socketTimeout: 20_000 });
	return async (msg) => {
		await transport.sendMail({ from: config.TOUCHMAP_ALERTS_FROM, ...msg });
	};
}

export interface DeliverSummary {
	sent: number;
	failed: number;
	retrying: number;
}

export async function deliverDue(
	client: ClickHouseClient,
	opts: { now?: number; config?: AlertsConfig; senders?: Partial<Senders> } = {}
): Promise<DeliverSummary> {
	const now = opts.now ?? Date.now();
	const config = opts.config ?? alertsConfig();
	const due = await dueDeliveries(client, now);
	const out: DeliverSummary = { sent: 0, failed: 0, retrying: 0 };
	if (!due.length) return out;
	const destinations = new Map((await listDestinations(client)).map((d) => [d.id, d]));
	const senders: Senders = {
		sendMail: opts.senders?.sendMail ?? (await smtpSender(config)),
		fetch: opts.senders?.fetch ?? fetch,
		renderPdf: opts.senders?.renderPdf ?? renderPdf
	};
	const pdfs = new Map<string, Promise<Buffer | null>>();
	for (const d of due) {
		const attempts = d.attempts + 1;
		let next: DeliveryRow;
		try {
			await send(d, destinations, config, senders, pdfs);
			next = { ...d, status: 'sent', attempts, lastError: '', sentAt: new Date(now).toISOString() };
			out.sent++;
		} catch (err) {
			const message = (err as Error).message || String(err);
			const last = attempts >= config.TOUCHMAP_ALERTS_MAX_ATTEMPTS;
			next = {
				...d,
				status: last ? 'failed' : 'retrying',
				attempts,
				lastError: message,
				nextAttemptAt: new Date(
					now + backoffSeconds(attempts, config.TOUCHMAP_ALERTS_RETRY_SECONDS) * 1000
				).toISOString()
			};
			if (last) out.failed++;
			else out.retrying++;
		}
		await writeDeliveries(client, [next], now);
		await audit(client, {
			action: next.status === 'sent' ? 'alert_sent' : 'alert_failed',
			target: `${d.channel}:${d.target}`,
			detail: `${d.title}${next.lastError ? ` — attempt ${attempts}: ${next.lastError}` : ''}`,
			ok: next.status === 'sent'
		});
	}
	return out;
}

async function send(
	d: DeliveryRow,
	destinations: Map<string, Destination>,
	config: AlertsConfig,
	senders: Senders,
	pdfs: Map<string, Promise<Buffer | null>>
): Promise<void> {
	const base = config.TOUCHMAP_PUBLIC_URL.replace(/\/$/, '');
	if (d.kind === 'digest') {
		const digest = JSON.parse(d.payload) as { title: string; html: string; text: string };
		if (d.channel === 'email') {
			// One PDF per digest, shared by its recipients; a digest whose PDF cannot be made still goes, without it.
			if (!pdfs.has(d.alertKey))
				pdfs.set(
					d.alertKey,
					senders.renderPdf(digest.html).catch(() => null)
				);
			const pdf = await pdfs.get(d.alertKey)!;
			await senders.sendMail({
				to: d.target,
				subject: digest.title,
				text: digest.text,
				html: digest.html,
				attachments: pdf ? [{ filename: 'touchmap-digest.pdf', content: pdf, contentType: 'application/pdf' }] : []
			});
			return;
		}
		return postWebhook(
			d,
			destinations,
			config,
			{ title: digest.title, text: digest.text, kind: 'digest' },
			`${base}/roi`,
			senders
		);
	}
	const alert = JSON.parse(d.payload) as Alert;
	const link = `${base}${alert.link}`;
	if (d.channel === 'email') {
		await senders.sendMail({
			to: d.target,
			subject: `[Touchmap] ${alert.title}`,
			text: `${alert.text}\n\n${link}\n\nRule: ${alert.ruleName}`,
			html: `<p>${escapeHtml(alert.text)}</p><p><a href="${escapeHtml(link)}">Open in Touchmap</a></p><p style="color:#667">Rule: ${escapeHtml(alert.ruleName)}</p>`
		});
		return;
	}
	return postWebhook(d, destinations, config, alert, link, senders);
}

async function postWebhook(
	d: DeliveryRow,
	destinations: Map<string, Destination>,
	config: AlertsConfig,
	alert: Pick<Alert, 'title' | 'text'> & { kind: Alert['kind'] | 'digest' },
	link: string,
	senders: Senders
): Promise<void> {
	const dest = destinations.get(d.destinationId);
	if (!dest || dest.type !== 'webhook') throw new Error(`destination ${d.destinationId} is gone`);
	const secret = config.TOUCHMAP_ALERTS_WEBHOOK_SECRET;
	if (!secret) throw new Error('no webhook signing secret configured (TOUCHMAP_ALERTS_WEBHOOK_SECRET)');
	const body = webhookBody(alert, link, dest.format);
	const timestamp = Math.floor(Date.now() / 1000);
	const res = await senders.fetch(dest.url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			[SIGNATURE_HEADER]: sign(body, secret, timestamp),
			[TIMESTAMP_HEADER]: String(timestamp)
		},
		body,
		redirect: 'error',
		signal: AbortSignal.timeout(10_000)
	});
	if (!res.ok) throw new Error(`HTTP ${res.status} from ${webhookHost(dest.url)}`);
}
