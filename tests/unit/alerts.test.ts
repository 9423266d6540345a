/**
 * The pure parts of alert delivery: the webhook signature, Slack/Teams bodies, quiet hours across
 * midnight and time zones, retry backoff, recipients, and the input schemas' messages.
 */
import { describe, expect, it } from 'vitest';
import { DestinationSchema, RuleSchema, SubscriptionInputSchema } from '../../schemas/alerts';
import {
	backoffSeconds,
	inQuietHours,
	releaseTime,
	sign,
	verify,
	webhookBody,
	webhookHost
} from '../../src/lib/server/alerts/deliver';
import { recipientsOf } from '../../src/lib/server/alerts/run';

describe('webhook signature', () => {
	it('is HMAC-SHA256 of timestamp.body, and verifies only with the same secret, body and time', () => {
		const sig = sign('{"a":1}', 'secret-0123456789abcdef', 1_700_000_000);
		// printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret-0123456789abcdef
		expect(sig).toBe('sha256=8eae3d28cb521b6b37f86de366c0b3de07baa3505577e5d97c7b1625541e4a2c');
		expect(verify('{"a":1}', 'secret-0123456789abcdef', 1_700_000_000, sig)).toBe(true);
		expect(verify('{"a":2}', 'secret-0123456789abcdef', 1_700_000_000, sig)).toBe(false);
		expect(verify('{"a":1}', 'secret-0123456789abcdef', 1_700_000_001, sig)).toBe(false);
		expect(verify('{"a":1}', 'other-secret-0123456789', 1_700_000_000, sig)).toBe(false);
		expect(verify('{"a":1}', 'secret-0123456789abcdef', 1_700_000_000, 'sha256=00')).toBe(false);
	});
});

describe('webhook bodies', () => {
	const alert = { title: 'Red pain point', text: 'Late delivery is red.', kind: 'red_pain_point' as const };
	it('gives Slack a text with the link', () => {
		const b = JSON.parse(webhookBody(alert, 'http://t/pain-points/x', 'slack'));
		expect(b.text).toBe('*Red pain point*\nLate delivery is red.\n<http://t/pain-points/x|Open in Touchmap>');
		expect(b.touchmap.link).toBe('http://t/pain-points/x');
	});
	it('gives Teams a MessageCard', () => {
		const b = JSON.parse(webhookBody(alert, 'http://t/x', 'teams'));
		expect([b['@type'], b.title, b.summary, b.themeColor]).toEqual([
			'MessageCard',
			'Red pain point',
			'Red pain point',
			'D7263D'
		]);
	});
	it('lists a webhook by host only', () => {
		expect(webhookHost('https://hooks.slack.com/services/T0/B0/XYZ')).toBe('hooks.slack.com');
	});
});

describe('quiet hours', () => {
	const at = (iso: string) => new Date(iso);
	it.each([
		['2026-12-07T23:30:00Z', { start: 22, end: 7 }, 'UTC', true],
		['2026-12-07T06:59:00Z', { start: 22, end: 7 }, 'UTC', true],
		['2026-12-07T07:00:00Z', { start: 22, end: 7 }, 'UTC', false],
		['2026-12-07T12:00:00Z', { start: 9, end: 17 }, 'UTC', true],
		// 12:00 UTC is 20:00 in Shanghai.
		['2026-12-07T12:00:00Z', { start: 9, end: 17 }, 'Asia/Shanghai', false],
		['2026-12-07T14:00:00Z', { start: 22, end: 7 }, 'Asia/Shanghai', true]
	])('%s in %o (%s) is quiet: %s', (iso, q, tz, quiet) => {
		expect(inQuietHours(at(iso), q, tz)).toBe(quiet);
	});
	it('releases at the end of quiet hours, in the reporting time zone', () => {
		expect(releaseTime(at('2026-12-07T23:30:00Z'), { start: 22, end: 7 }, 'UTC').toISOString()).toBe(
			'2026-12-08T07:00:00.000Z'
		);
		expect(releaseTime(at('2026-12-07T14:00:00Z'), { start: 22, end: 7 }, 'Asia/Shanghai').toISOString()).toBe(
			'2026-12-07T23:00:00.000Z'
		);
		// India is offset by half an hour: the walk finds 07:00 local.
		expect(releaseTime(at('2026-12-07T20:00:00Z'), { start: 1, end: 7 }, 'Asia/Kolkata').toISOString()).toBe(
			'2026-12-08T01:30:00.000Z'
		);
		expect(releaseTime(at('2026-12-07T12:00:00Z'), null, 'UTC').toISOString()).toBe('2026-12-07T12:00:00.000Z');
		expect(releaseTime(at('2026-12-07T12:00:00Z'), { start: 22, end: 7 }, 'UTC').toISOString()).toBe(
			'2026-12-07T12:00:00.000Z'
		);
	});
});

describe('backoff', () => {
	it('grows four-fold from the base and stops at six hours', () => {
		expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffSeconds(a, 60))).toEqual([60, 240, 960, 3840, 15360, 21600, 21600]);
	});
});

describe('recipients', () => {
	const destinations = [
		{ id: 'ops', name: 'Ops', type: 'email' as const, address: 'ops@example.com', quietHours: null, enabled: true },
		{
			id: 'hook',
			name: 'Hook',
			type: 'webhook' as const,
			url: 'https://hooks.example.com/a/b',
			format: 'slack' as const,
			quietHours: { start: 22, end: 7 },
			enabled: true
		},
		{ id: 'off', name: 'Off', type: 'email' as const, address: 'off@example.com', quietHours: null, enabled: false }
	];
	const subs = [
		{
			userId: 'u1',
			email: 'OPS@example.com',
			rules: 'all' as const,
			digest: false,
			channel: 'email',
			quietHours: null
		},
		{
			userId: 'u2',
			email: 'b@example.com',
			rules: ['r1'],
			digest: true,
			channel: 'hook',
			quietHours: { start: 20, end: 6 }
		},
		{ userId: 'u3', email: 'c@example.com', rules: ['r2'], digest: false, channel: 'email', quietHours: null }
	];
	it('takes the rule destinations and the subscribers, each address once, disabled ones left out', () => {
		const r = recipientsOf('r1', { destinationIds: ['ops', 'off'] }, destinations, subs);
		expect(r.map((x) => [x.channel, x.destinationId, x.target])).toEqual([
			['email', 'ops', 'ops@example.com'],
			['webhook', 'hook', 'hooks.example.com']
		]);
		// The subscriber's own quiet hours govern their channel.
		expect(r[1]!.quiet).toEqual({ start: 20, end: 6 });
	});
	it('sends the digest to those who asked for it', () => {
		expect(recipientsOf('digest', null, destinations, subs).map((x) => x.destinationId)).toEqual(['hook']);
	});
});

describe('input schemas', () => {
	it('say what is wrong', () => {
		const msg = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
			r.error?.issues.map((i) => i.message).join('; ');
		expect(msg(DestinationSchema.safeParse({ id: 'a', name: 'A', type: 'email', address: 'nope' }))).toContain(
			'an e-mail address'
		);
		expect(msg(DestinationSchema.safeParse({ id: 'a', name: 'A', type: 'webhook', url: 'ftp://x' }))).toContain(
			'http(s) URL'
		);
		expect(RuleSchema.safeParse({ id: 'a', name: 'A', kind: 'weather' }).success).toBe(false);
		expect(msg(SubscriptionInputSchema.safeParse({ quietHours: { start: 24, end: 3 } }))).toContain(
			'an hour from 0 to 23'
		);
		expect(msg(SubscriptionInputSchema.safeParse({ quietHours: { start: 3, end: 3 } }))).toContain('different hours');
		expect(RuleSchema.parse({ id: 'a', name: 'A', kind: 'reason_surge' })).toMatchObject({
			windowHours: 168,
			params: { days: 7, minRatio: 1.5, minCount: 20 }
		});
	});
});
