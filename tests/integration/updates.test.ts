/**
 * Re-exports that change a record update what is stored, on both ingest paths: a monthly CRM export
 * in which a customer churns (status and churn date), changes segment, or has every optional field
 * empty (NULL dates: the case that made every customer equal to itself), and an order whose status
 * moves on. An unchanged re-export counts as duplicates; the newest version is what queries read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../ingest/loading/ingest-file';
import { parseMapping } from '../../ingest/mapping/mapping-file';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
const dir = mkdtempSync(join(tmpdir(), 'touchmap-updates-'));
beforeAll(async () => {
	ctx = await freshDb();
});
afterAll(async () => {
	await ctx.close();
	rmSync(dir, { recursive: true, force: true });
});

/** A CRM export's header: the canonical customer fields under their own names, and a note. */
const CUSTOMER_COLUMNS =
	'customer_id name email phone segment tier region account_opened lifetime_value revenue status churn_date'.split(' ');
const customers = parseMapping({
	name: 'crm',
	entity: 'customer',
	format: 'csv',
	fields: { ...Object.fromEntries(CUSTOMER_COLUMNS.map((c) => [c, c])), 'attributes.note': 'note' }
});
const orders = parseMapping({
	name: 'shop',
	entity: 'order',
	format: 'csv',
	fields: { order_id: 'order_id', customer_id: 'customer_id', ts: 'ts', amount: 'amount', status: 'status' }
});

function csv(name: string, header: string[], lines: string[][]): string {
	const file = join(dir, name);
	writeFileSync(file, [header, ...lines].map((l) => l.join(',')).join('\n') + '\n');
	return file;
}

const header = [...CUSTOMER_COLUMNS, 'note'];
/** One CSV line of the export from the fields given; the others are empty. */
const crm = (fields: Record<string, string>) => header.map((c) => fields[c] ?? '');
const ada = {
	customer_id: 'c1',
	name: 'Ada',
	email: 'ada@example.com',
	phone: '+4915112345678',
	segment: 'retail',
	tier: 'gold',
	region: 'EU',
	account_opened: '2019-05-01',
	lifetime_value: '1200',
	revenue: '300',
	status: 'active',
	note: 'vip'
};
const bo = {
	customer_id: 'c3',
	name: 'Bo',
	segment: 'retail',
	tier: 'silver',
	region: 'EU',
	account_opened: '2021-02-01',
	lifetime_value: '90',
	revenue: '10',
	status: 'active'
};
// c2 leaves every optional field empty: NULL dates, no segment, no note.
const january = csv('crm-jan.csv', header, [crm(ada), crm({ customer_id: 'c2' }), crm(bo)]);
// A month later: c1 churned, c3 moved segment, c2 unchanged.
const february = csv('crm-feb.csv', header, [
	crm({ ...ada, status: 'churned', churn_date: '2025-02-14' }),
	crm({ customer_id: 'c2' }),
	crm({ ...bo, segment: 'business' })
]);
// c2 gets its first dates; c4 is listed twice in one file: the later line is the newer version.
const march = csv('crm-mar.csv', header, [
	['c2', '', '', '', '', '', '', '2020-01-01', '', '', 'churned', '2025-03-01', ''],
	['c4', 'Cy', '', '', 'retail', '', '', '', '', '', 'active', '', ''],
	['c4', 'Cy', '', '', 'retail', '', '', '', '', '', 'churned', '2025-03-02', '']
]);
const orderHeader = ['order_id', 'customer_id', 'ts', 'amount', 'status'];
const ordersShipped = csv('orders-1.csv', orderHeader, [
	['o1', 'c1', '2025-01-05 10:00:00', '99.5', 'shipped'],
	['o2', 'c3', '2025-01-06 11:00:00', '10', '']
]);
const ordersDelivered = csv('orders-2.csv', orderHeader, [
	['o1', 'c1', '2025-01-05 10:00:00', '99.5', 'delivered'],
	['o2', 'c3', '2025-01-06 11:00:00', '10', '']
]);

const STORED_CUSTOMERS = `SELECT customer_id, segment, status, toString(churn_date) AS churn_date,
	toString(account_opened) AS opened, attributes FROM customers FINAL ORDER BY customer_id`;

/** Loads each file in turn on one path, from empty tables; the counts of each load and the final rows. */
async function loads(path: 'js' | 'auto', files: [string, typeof customers][]) {
	for (const t of ['customers', 'orders', 'identity_links'])
		await ctx.db.client.command({ query: `TRUNCATE TABLE ${t}` });
	const counts: [number, number][] = [];
	for (const [file, mapping] of files) {
		const s = await ingestFile({ db: ctx.db, file, mapping, path });
		if (path === 'auto') expect(s.path).toBe('sql');
		counts.push([s.accepted, s.duplicates]);
	}
	return counts;
}

/** Loads the files on each path in turn; both must count and store the same. Returns what they did. */
async function onBothPaths(files: [string, typeof customers][], storedSql: string) {
	const js = { counts: await loads('js', files), stored: await rows(ctx.db, storedSql) };
	const auto = { counts: await loads('auto', files), stored: await rows(ctx.db, storedSql) };
	expect(auto, 'the SQL path counts and stores what the JS path does').toEqual(js);
	return js;
}

describe('re-exported customers and orders', () => {
	it('store a churn, a new segment and first dates, and count an unchanged re-export as duplicates, on both paths', async () => {
		const { counts, stored } = await onBothPaths(
			[
				[january, customers],
				[january, customers],
				[february, customers],
				[march, customers],
				[february, customers]
			],
			STORED_CUSTOMERS
		);
		// [accepted, duplicates]: January twice (all duplicates the second time), February changes
		// c1 and c3, March changes c2 and adds c4 (its first line superseded), February again
		// reverts c2 (stored) but leaves c1 and c3 as they are.
		expect(counts).toEqual([
			[3, 0],
			[0, 3],
			[2, 1],
			[2, 1],
			[1, 2]
		]);
		expect(stored).toEqual([
			{
				customer_id: 'c1',
				segment: 'retail',
				status: 'churned',
				churn_date: '2025-02-14',
				opened: '2019-05-01',
				attributes: { note: 'vip' }
			},
			{ customer_id: 'c2', segment: '', status: '', churn_date: null, opened: null, attributes: {} },
			{
				customer_id: 'c3',
				segment: 'business',
				status: 'active',
				churn_date: null,
				opened: '2021-02-01',
				attributes: {}
			},
			{
				customer_id: 'c4',
				segment: 'retail',
				status: 'churned',
				churn_date: '2025-03-02',
				opened: null,
				attributes: {}
			}
		]);
	});

	it('shows the newest version to the dashboard: the churn and the new segment in the customer 360, the ROI churn count', async () => {
		await loads('auto', [
			[january, customers],
			[february, customers]
		]);
		const { createCaller } = await import('../../src/lib/server/trpc/router');
		const caller = createCaller({ db: ctx.db });
		const c1 = await caller.customers.get({ id: 'c1' });
		expect(c1?.status).toBe('churned');
		// c3's versions both lack a churn date: the change that a NULL-blind hash missed.
		expect((await caller.customers.get({ id: 'c3' }))?.segment).toBe('business');
		const [roi] = await rows<{ churned: string; active: string }>(
			ctx.db,
			"SELECT countIf(churn_date BETWEEN '2025-02-01' AND '2025-02-28') AS churned, countIf(status != 'churned') AS active FROM customers FINAL"
		);
		expect([Number(roi!.churned), Number(roi!.active)]).toEqual([1, 2]);
	});

	it('stores an order whose status changed, and only once when it did not, on both paths', async () => {
		const { counts, stored } = await onBothPaths(
			[
				[ordersShipped, orders],
				[ordersDelivered, orders],
				[ordersDelivered, orders]
			],
			'SELECT order_id, customer_id, status, amount FROM orders FINAL ORDER BY order_id'
		);
		expect(counts).toEqual([
			[2, 0],
			[1, 1],
			[0, 2]
		]);
		expect(stored).toEqual([
			{ order_id: 'o1', customer_id: 'c1', status: 'delivered', amount: 99.5 },
			{ order_id: 'o2', customer_id: 'c3', status: '', amount: 10 }
		]);
	});
});
