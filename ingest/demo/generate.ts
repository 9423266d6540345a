/**
 * Why this exists: the demo data set, written as the SOURCE FILES real systems export (a CRM's
 * customers/orders CSV and Zendesk-like tickets NDJSON, a call center's call log CSV, social posts
 * NDJSON) so it reaches ClickHouse through the same mappings and ingest path as customer data.
 *
 * Row shapes come from schemas/sources.ts (CSV headers included). The ground truth records what was
 * planted and what was measured in the written rows, so tests can check what the product finds.
 *
 * Deterministic: every customer draws from its own generator seeded by (seed, customer index) —
 * its profile, then its orders, its CRM row and its journey, in that order — so output is
 * byte-identical for the same seed and size. Streamed: one customer at a time is held in memory,
 * so 200,000 customers (~10M interactions) need no more memory than 2,000.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { CALL_COLUMNS, CRM_CUSTOMER_COLUMNS, CRM_ORDER_COLUMNS } from '../../schemas/sources';
import { crmCustomer, drawCustomer } from './customers';
import { measure, newTally, newTruth, writeGroundTruth } from './ground-truth';
import { writeJourney } from './journeys';
import { writeOrders } from './orders';
import { Out, type DemoFiles, type Sequences } from './output';
import { writeAnonymousPosts } from './posts';
import type { Rng } from './random';
import { TOPICS } from './topics';

export interface DemoOptions {
	customers: number;
	seed: number;
	outDir: string;
	onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
	files: Record<string, number>;
	interactions: number;
	seconds: number;
}

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
	const started = Date.now();
	const dir = opts.outDir;
	for (const d of ['crm', 'callcenter', 'social']) mkdirSync(join(dir, d), { recursive: true });
	const files: DemoFiles = {
		customers: new Out(join(dir, 'crm/customers.csv'), CRM_CUSTOMER_COLUMNS.join(',')),
		orders: new Out(join(dir, 'crm/orders.csv'), CRM_ORDER_COLUMNS.join(',')),
		tickets: new Out(join(dir, 'crm/tickets.ndjson')),
		calls: new Out(join(dir, 'callcenter/calls.csv'), CALL_COLUMNS.join(',')),
		posts: new Out(join(dir, 'social/posts.ndjson'))
	};
	const truth = newTruth();
	const tallies = new Map(TOPICS.map((t) => [t.key, newTally()]));
	const seq: Sequences = { order: 0, call: 0, ticket: 0, post: 0 };
	let interactions = 0;

	for (let i = 0; i < opts.customers; i++) {
		const r: Rng = seedrandom.alea(`${opts.seed}:${i}`);
		const c = drawCustomer(r, i);
		if (c.highValue) truth.plantedHighValue++;
		if (c.churn === 'quiet') truth.plantedQuiet++;
		if (c.complaintTopic)
			truth.complainers.push({ id: c.id, topic: c.complaintTopic.key, touchpoint: c.complaintTopic.touchpoint });
		// Orders first: they give lifetime value and revenue for the CRM row.
		const value = writeOrders(r, c, files.orders, seq);
		const { row, churned } = crmCustomer(r, c, i, value);
		if (churned) truth.churned++;
		files.customers.csv(CRM_CUSTOMER_COLUMNS, row);
		const journey = writeJourney(r, c, { files, tallies, seq });
		interactions += journey.interactions;
		measure(truth, c.id, c.opened, journey);
		if ((i & 255) === 255) {
			for (const f of Object.values(files)) await f.flush();
			opts.onProgress?.(i + 1, opts.customers);
		}
	}
	// Anonymous social chatter: authors with no CRM link.
	interactions += await writeAnonymousPosts(opts, files.posts, tallies, seq);
	for (const f of Object.values(files)) await f.close();
	opts.onProgress?.(opts.customers, opts.customers);

	const counts = {
		'crm/customers.csv': files.customers.rows,
		'crm/orders.csv': files.orders.rows,
		'crm/tickets.ndjson': files.tickets.rows,
		'callcenter/calls.csv': files.calls.rows,
		'social/posts.ndjson': files.posts.rows
	};
	writeGroundTruth(dir, opts, counts, interactions, tallies, truth);
	return { files: counts, interactions, seconds: (Date.now() - started) / 1000 };
}
