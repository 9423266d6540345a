/**
 * The example mappings of ingest/mappings/examples/ load the public data sets they are written for
 * (../shared/datasets), as a user would: the mapping file, then the file ingest. A sample of each
 * file (its first records, re-written as CSV) keeps the test short; the figures of the whole files
 * are in docs/mapping.md. Skipped, saying so, when the data sets are absent.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../ingest/loading/ingest-file';
import { loadMapping } from '../../ingest/mapping/mapping-file';
import { csvHeader, readCsv } from '../../ingest/sources/readers';
import { freshDb, rows } from '../helpers/db';

const SAMPLE = 400;
// ../shared from the main checkout (/work/main), ../../shared from a worktree.
const datasets = ['../shared', '../../shared']
	.map((d) => join(process.cwd(), d, 'datasets'))
	.find((d) => existsSync(join(d, 'crm-bank/Churn_Modelling.csv')));

let ctx: Awaited<ReturnType<typeof freshDb>>;
let dir: string;
beforeAll(async () => {
	ctx = await freshDb();
	dir = mkdtempSync(join(tmpdir(), 'touchmap-examples-'));
}, 60_000);
afterAll(async () => {
	await ctx.close();
	rmSync(dir, { recursive: true, force: true });
});

/** The first `n` records of a CSV file, written again as CSV (every field quoted), and the records. */
async function sample(
	file: string,
	name: string,
	n = SAMPLE
): Promise<{ path: string; records: Record<string, string>[] }> {
	const header = csvHeader(file, ',');
	const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
	const records: Record<string, string>[] = [];
	for await (const item of readCsv(file)) {
		if (!('record' in item)) continue;
		records.push(item.record as Record<string, string>);
		if (records.length === n) break;
	}
	const path = join(dir, name);
	writeFileSync(
		path,
		[header.map(quote).join(','), ...records.map((r) => header.map((h) => quote(r[h] ?? '')).join(','))].join('\n') +
			'\n'
	);
	return { path, records };
}

describe('example mappings on the public data sets', () => {
	it('bank CRM: tenure becomes the account-opened date, Exited the churn status', async (t) => {
		if (!datasets) {
			console.warn('skipped: ../shared/datasets is absent');
			return t.skip();
		}
		const { path, records } = await sample(join(datasets, 'crm-bank/Churn_Modelling.csv'), 'bank.csv');
		const s = await ingestFile({
			db: ctx.db,
			file: path,
			mapping: loadMapping('ingest/mappings/examples/bank-churn.yaml')
		});
		expect([s.accepted, s.rejected]).toEqual([SAMPLE, 0]);
		const stored = await rows<{ customer_id: string; account_opened: string; status: string }>(
			ctx.db,
			`SELECT customer_id, toString(account_opened) AS account_opened, status FROM customers FINAL WHERE source = 'bank-churn'`
		);
		const byId = new Map(stored.map((r) => [r.customer_id, r]));
		for (const r of records) {
			expect(byId.get(`bank-${r.CustomerId}`)).toEqual({
				customer_id: `bank-${r.CustomerId}`,
				account_opened: `${2019 - Number(r.Tenure)}-01-01`,
				status: r.Exited === '1' ? 'churned' : 'active'
			});
		}
	}, 300_000);

	it('CFPB complaints: tickets with their channel, refused channels named in the summary', async (t) => {
		if (!datasets) return t.skip();
		const { path, records } = await sample(join(datasets, 'complaints-en/cfpb_sample_2015_2020.csv'), 'cfpb.csv');
		const s = await ingestFile({
			db: ctx.db,
			file: path,
			mapping: loadMapping('ingest/mappings/examples/cfpb-complaints.yaml')
		});
		const channel = records.filter((r) => ['Web', 'Phone', 'Email'].includes(r['Submitted via']!));
		// A narrative over the 20,000 characters a text may have is refused too.
		const known = channel.filter((r) => r['Consumer complaint narrative']!.trim().length <= 20_000);
		expect(known.length).toBeLessThan(channel.length);
		expect([s.accepted, s.rejected]).toEqual([known.length, SAMPLE - known.length]);
		expect(s.topReasons).toEqual([
			{ reason: 'channel: no mapping for "…"', count: SAMPLE - channel.length, example: expect.any(String) },
			{
				reason: 'text: Too big: expected string to have <=20000 characters',
				count: channel.length - known.length,
				example: 'text: Too big: expected string to have <=20000 characters'
			}
		]);
		const [one] = await rows<{ ts: string; channel: string; days: string; untimely: string }>(
			ctx.db,
			`SELECT toString(ts) AS ts, channel, attributes['days_to_company'] AS days, attributes['untimely'] AS untimely
			FROM interactions WHERE source_id = {id:String}`,
			{ id: `cfpb-${known[0]!['Complaint ID']}` }
		);
		const [y, m, d] = known[0]!['Date received']!.split('/').map(Number);
		expect(one).toMatchObject({
			ts: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} 00:00:00.000`,
			channel: known[0]!['Submitted via']!.toLowerCase(),
			untimely: known[0]!['Timely response?'] === 'No' ? 'true' : 'false'
		});
		expect(Number(one!.days)).toBeGreaterThanOrEqual(0);
		// The outcome says what hurt: late → unresolved, relief (an upheld complaint) → escalated.
		const expected = (r: Record<string, string>) =>
			r['Timely response?'] === 'No'
				? 'unresolved'
				: /with (non-monetary |monetary )?relief/.test(r['Company response to consumer']!)
					? 'escalated'
					: r['Company response to consumer'] === 'In progress'
						? ''
						: r['Company response to consumer'] === 'Untimely response'
							? 'unresolved'
							: 'resolved';
		const stored = await rows<{ id: string; outcome: string }>(
			ctx.db,
			"SELECT source_id AS id, outcome FROM interactions WHERE source_id LIKE 'cfpb-%'"
		);
		const byId = new Map(stored.map((r) => [r.id, r.outcome]));
		expect(known.map((r) => byId.get(`cfpb-${r['Complaint ID']}`))).toEqual(known.map(expected));
		expect(new Set(known.map(expected))).toContain('escalated');
	}, 300_000);

	it('Twitter support: customer posts and brand replies told apart by inbound', async (t) => {
		if (!datasets) return t.skip();
		const { path, records } = await sample(join(datasets, 'social/twcs_first5000.csv'), 'twcs.csv');
		const s = await ingestFile({
			db: ctx.db,
			file: path,
			mapping: loadMapping('ingest/mappings/examples/twcs-posts.yaml')
		});
		expect([s.accepted, s.rejected]).toEqual([SAMPLE, 0]);
		const [split] = await rows<{ customers: number; replies: number }>(
			ctx.db,
			`SELECT countIf(customer_id != '' OR attributes['profile'] != '') AS customers, countIf(agent != '') AS replies
			FROM interactions WHERE source = 'twcs-posts'`
		);
		const inbound = records.filter((r) => r.inbound === 'True').length;
		expect({ customers: Number(split!.customers), replies: Number(split!.replies) }).toEqual({
			customers: inbound,
			replies: SAMPLE - inbound
		});
	}, 300_000);
});
