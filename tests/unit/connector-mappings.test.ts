import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../ingest/mapping/map-record';
import { loadMapping } from '../../ingest/mapping/mapping-file';
import { customerIdentifiers, interactionIdentifiers } from '../../ingest/enrichment/identity/resolve';
import { normEmail, normHandle, normPhone } from '../../ingest/enrichment/identity/normalize';
import * as v from '../fixtures/connectors/vendors';

const dir = 'ingest/connectors/mappings';
const m = (f: string) => loadMapping(join(dir, f));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ok = (mapping: any, raw: Record<string, unknown>): any => {
	const r = mapRecord(mapping, raw);
	if (!r.ok) throw new Error(r.reason);
	return r.value;
};

describe('connector mappings', () => {
	it('every mapping file is valid', () => {
		for (const f of readdirSync(dir)) expect(() => m(f), f).not.toThrow();
	});
	it('Zendesk ticket with a satisfaction rating', () => {
		const r = ok(m('zendesk-tickets.yaml'), v.zendeskTicket(10));
		expect(r).toMatchObject({
			source_id: '1010',
			channel: 'chat',
			scenario: 'after_sales',
			csat: 1,
			csat_scale_max: 1,
			outcome: 'resolved'
		});
		expect(r.attributes.email).toBe('user10@example.com');
		expect(ok(m('zendesk-tickets.yaml'), v.zendeskTicket(1)).csat).toBeNull(); // unoffered
		expect(ok(m('zendesk-tickets.yaml'), v.zendeskTicket(5)).csat).toBe(0); // bad
		expect(ok(m('zendesk-tickets.yaml'), v.zendeskTicket(4)).is_complaint).toBe(true);
	});
	it('Salesforce contact', () => {
		const r = ok(m('salesforce-contact.yaml'), v.salesforceContact(3));
		expect(r).toMatchObject({
			customer_id: '003000000000003',
			name: 'Ann3 Lee',
			email: 'Ann3@Example.com',
			account_opened: '2024-03-04'
		});
		expect(r.attributes.x).toBe('@ann3');
	});
	it('Twilio call (RFC 2822 time)', () => {
		const r = ok(m('twilio-calls.yaml'), v.twilioCall(1));
		expect(r).toMatchObject({ channel: 'phone', ts: '2026-01-02T00:01:00.000Z', handle_s: 31, outcome: 'abandoned' });
	});
	it('X post, Reddit post, Weibo status, HubSpot contact, Amazon Connect CTR', () => {
		expect(ok(m('x-recent-search.yaml'), { ...v.tweet(2), author: v.xUser(901) })).toMatchObject({
			channel: 'x',
			source_id: '1800000000000000002',
			attributes: { handle: 'user901', author_name: 'User 901' }
		});
		expect(ok(m('reddit-listing.yaml'), v.redditPost(1).data)).toMatchObject({
			channel: 'reddit',
			ts: '2026-01-01T00:01:00.000Z',
			text: 'Acme app 1\n\nlogin keeps failing'
		});
		expect(ok(m('weibo-mentions.yaml'), v.weiboStatus(1))).toMatchObject({
			ts: '2026-05-31T09:46:55.000Z',
			language: 'zh'
		});
		expect(ok(m('hubspot-contacts.yaml'), v.hubspotContact(1))).toMatchObject({
			name: 'Bo1 Chan',
			attributes: { x: 'bo1' }
		});
		expect(ok(m('amazon-connect-ctr.yaml'), v.connectCtr(1))).toMatchObject({
			channel: 'phone',
			wait_s: 35,
			handle_s: 120,
			touchpoint: 'Billing',
			attributes: { phone: '+14155551000' }
		});
	});
	it('Asterisk CDR and the generic call log', () => {
		const cdr = {
			start: '2026-01-05 10:00:00',
			billsec: '42',
			disposition: 'NO ANSWER',
			src: '4155551000',
			uniqueid: '1767607200.1'
		};
		expect(ok(m('asterisk-cdr.yaml'), cdr)).toMatchObject({
			source_id: '1767607200.1',
			outcome: 'abandoned',
			handle_s: 42
		});
		const row = {
			'Call Id': 'ID0001',
			Agent: 'Diane',
			Date: '13/01/2021',
			Time: '9:12:58',
			Topic: 'Contract related',
			'Answered (Y/N)': 'Y',
			Resolved: 'Y',
			'Speed of answer in seconds': '109',
			'Satisfaction rating': '3'
		};
		expect(ok(m('call-log-csv.yaml'), row)).toMatchObject({
			ts: '2021-01-13T09:12:58.000Z',
			fcr: true,
			wait_s: 109,
			csat: 3,
			touchpoint: 'contract'
		});
	});
});

describe('identity normalisation', () => {
	it('normalises emails, phones (E.164) and handles', () => {
		expect(normEmail(' Ann@Example.COM ')).toBe('email:ann@example.com');
		expect(normEmail('not an email')).toBeUndefined();
		expect(normPhone('(415) 555-1000')).toBe('phone:+14155551000');
		expect(normPhone('+44 20 7946 0958')).toBe('phone:+442079460958');
		expect(normPhone('12')).toBeUndefined();
		expect(normHandle('x', '@Ann3')).toBe('x:ann3');
	});
	it('collects identifiers from customers and interactions', () => {
		expect(
			customerIdentifiers({ email: 'A@b.co', phone: '415 555 1000', attributes: { x: '@Ann' } }).map((i) => i.id)
		).toEqual(['email:a@b.co', 'phone:+14155551000', 'x:ann']);
		expect(interactionIdentifiers({ channel: 'x', attributes: { handle: 'Ann' } })).toEqual([
			{ id: 'x:ann', rule: 'handle' }
		]);
	});
});
