/**
 * Churn on a customers-only CRM (no contacts, no orders, no dates): scored as of the day it was
 * loaded, customers with no stated outcome scored but never trained on, a non-linear effect found,
 * the held-out AUC reported, reasons in sentences, and no contact-based signal or sentinel shown.
 * Planted truth: churn risk is high in the middle of the age range and for 3+ products.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../ingest/loading/ingest-file';
import { parseMapping } from '../../ingest/mapping/mapping-file';
import { bankCsv, bankCustomers, BANK_MAPPING } from '../fixtures/bank-crm';
import { freshDb, rows } from '../helpers/db';

const N = 900;
// Every ninth customer's outcome is not in the export.
const customers = bankCustomers(N, 'crm-only', 9);

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;
beforeAll(async () => {
	ctx = await freshDb();
	const file = join(ctx.dir, 'crm.csv');
	writeFileSync(file, bankCsv(customers));
	const mapping = parseMapping(BANK_MAPPING);
	const s = await ingestFile({ db: ctx.db, file, mapping });
	expect(s).toMatchObject({ accepted: N, rejected: 0 });
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
}, 600_000);
afterAll(() => ctx.close());

describe('churn on a customers-only CRM', () => {
	it('keeps an outcome the export does not state as unknown, not "active"', async () => {
		const st = await rows<{ status: string; n: string }>(
			ctx.db,
			'SELECT status, count() AS n FROM customers FINAL GROUP BY status ORDER BY status'
		);
		expect(Number(st.find((r) => r.status === '')?.n)).toBe(customers.filter((c) => c.exited === '').length);
	});

	it('scores the customers, learns only from stated outcomes and reports the held-out AUC', async () => {
		const list = await caller.customers.atRisk({ minRisk: 0, limit: 10_000, sort: 'risk' });
		const open = customers.filter((c) => c.exited !== '1').length;
		expect(list.total).toBe(open);
		expect(list.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(list.interactions).toBe(false);
		expect(list.model).not.toBeNull();
		expect(list.model!.unknown).toBe(customers.filter((c) => c.exited === '').length);
		expect(list.model!.trainedOn + list.model!.heldOut).toBe(N - list.model!.unknown);
		expect(list.model!.auc).toBeGreaterThan(0.75);
		expect(list.model!.baselineAuc).not.toBeNull();
		for (let i = 1; i < list.rows.length; i++)
			expect(list.rows[i - 1]!.score).toBeGreaterThanOrEqual(list.rows[i]!.score);
		// No contacts: no "days quiet", not even a stand-in number.
		expect(list.rows.every((r) => r.daysSinceLast === null)).toBe(true);
	});

	it('finds the middle-age risk (non-linear) and words reasons as sentences with the typical value', async () => {
		const list = await caller.customers.atRisk({ minRisk: 0, limit: 10_000, sort: 'risk' });
		const age = new Map(customers.map((c) => [c.id, c.age]));
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const scores = (pred: (a: number) => boolean) =>
			mean(list.rows.filter((r) => pred(age.get(r.customerId)!)).map((r) => r.score));
		expect(scores((a) => a >= 47 && a <= 60)).toBeGreaterThan(scores((a) => a < 35) + 0.2);
		expect(scores((a) => a >= 47 && a <= 60)).toBeGreaterThan(scores((a) => a > 70) + 0.2);
		const top = list.rows.slice(0, 30).flatMap((r) => r.reasons);
		expect(top.length).toBeGreaterThan(0);
		const ageReason = top.find((r) => r.feature === 'attr:age');
		expect(ageReason?.text).toMatch(/^age \d+, typical \d+(\.\d+)?$/);
		// Contact-based features never appear without contacts.
		expect(top.some((r) => /days_since_last|contacts_90d|complaints/.test(r.feature))).toBe(false);
	});

	it('orders by value × risk or by risk on request', async () => {
		const byPriority = await caller.customers.atRisk({ minRisk: 0, limit: 50 });
		for (let i = 1; i < byPriority.rows.length; i++)
			expect(byPriority.rows[i - 1]!.priority).toBeGreaterThanOrEqual(byPriority.rows[i]!.priority);
		await expect(caller.customers.atRisk({ sort: 'value' } as never)).rejects.toThrow(/sort/);
	});
});
