/**
 * Why this exists: the pure parts of delivery — the webhook body (Slack- and Teams-compatible), its
 * HMAC-SHA256 signature, quiet hours and retry backoff — kept apart from I/O so they are tested
 * table-driven, with the clock passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert, QuietHours } from '$schemas/alerts';

export const SIGNATURE_HEADER = 'X-Touchmap-Signature';
export const TIMESTAMP_HEADER = 'X-Touchmap-Timestamp';

/**
 * `sha256=<hex>` of `<timestamp>.<body>`: the timestamp is signed too, so a receiver that rejects
 * old timestamps also rejects a replayed body.
 */
export function sign(body: string, secret: string, timestamp: number): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does with the two headers (also used by the tests' receiver). */
export function verify(body: string, secret: string, timestamp: number, signature: string): boolean {
	const want = Buffer.from(sign(body, secret, timestamp));
	const got = Buffer.from(signature);
	return want.length === got.length && timingSafeEqual(want, got);
}

const COLOUR: Record<Alert['kind'] | 'digest', string> = {
	kpi_anomaly: 'E8A317',
	red_pain_point: 'D7263D',
	reason_surge: 'E8A317',
	high_value_churn: 'D7263D',
	digest: '2E86AB'
};

/**
 * Slack's incoming webhooks read `text`; Teams' (MessageCard) read `title`, `text`, `summary` and
 * `themeColor`. Both ignore the rest, so the alert itself rides along under `touchmap`.
 */
export function webhookBody(
	alert: Pick<Alert, 'title' | 'text'> & Partial<Omit<Alert, 'kind'>> & { kind: Alert['kind'] | 'digest' },
	link: string,
	format: 'slack' | 'teams'
): string {
	const touchmap = { ...alert, link };
	if (format === 'teams')
		return JSON.stringify({
			'@type': 'MessageCard',
			'@context': 'https://schema.org/extensions',
			summary: alert.title,
			themeColor: COLOUR[alert.kind],
			title: alert.title,
			text: `${alert.text} [Open in Touchmap](${link})`,
			touchmap
		});
	return JSON.stringify({ text: `*${alert.title}*\n${alert.text}\n<${link}|Open in Touchmap>`, touchmap });
}

function localHourMinute(at: Date, timeZone: string): { hour: number; minute: number } {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
		.formatToParts(at)
		.reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
	return { hour: Number(parts.hour), minute: Number(parts.minute) };
}

export function inQuietHours(at: Date, q: QuietHours, timeZone: string): boolean {
	const { hour } = localHourMinute(at, timeZone);
	return q.start < q.end ? hour >= q.start && hour < q.end : hour >= q.start || hour < q.end;
}

/** When a send due at `at` may go: `at` itself outside quiet hours, else the quiet hours' end. */
export function releaseTime(at: Date, q: QuietHours | null, timeZone: string): Date {
	if (!q || !inQuietHours(at, q, timeZone)) return at;
	// Walk forward in quarter hours (time zones are offset by whole quarters) to local `end`:00.
	let t = Math.ceil(at.getTime() / 900_000) * 900_000;
	for (let i = 0; i < 4 * 25; i++, t += 900_000) {
		const { hour, minute } = localHourMinute(new Date(t), timeZone);
		if (hour === q.end && minute === 0) return new Date(t);
	}
	return at;
}

/** Delay before retry `attempt` (1 = the first retry): base × 4^(attempt−1), at most six hours. */
export function backoffSeconds(attempt: number, baseSeconds: number): number {
	return Math.min(6 * 3600, baseSeconds * 4 ** Math.max(0, attempt - 1));
}

/** The host a webhook goes to, for listings: the path of a Slack/Teams URL is its secret. */
export function webhookHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return '';
	}
}
