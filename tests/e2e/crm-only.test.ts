/**
 * A customers-only CRM loaded as a user would (`npm run ingest` with a mapping, no contacts, no
 * orders, no demo): the at-risk page scores the customers, shows the model's held-out AUC, shows no
 * contact-based signal (says why instead) and never "No customers yet".
 * Planted truth: churn is likely in the middle of the age range and with 3+ products.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankCsv, bankCustomers, BANK_MAPPING } from '../fixtures/bank-crm';
import { SCREENSHOTS, startApp, type App } from './harness';

const N = 800;
let app: App;
let page: Page;

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'touchmap-e2e-crm-'));
	const file = join(dir, 'crm.csv');
	writeFileSync(file, bankCsv(bankCustomers(N, 'crm-only-e2e')));
	const mapping = join(dir, 'bank.json');
	writeFileSync(mapping, JSON.stringify(BANK_MAPPING));
	const data = join(dir, 'data');
	execFileSync('npm', ['run', '--silent', 'ingest', '--', '--mapping', mapping, '--file', file], {
		env: { ...process.env, TOUCHMAP_DATA_DIR: data, TOUCHMAP_DEMO: '0' },
		stdio: 'ignore'
	});
	app = await startApp({ dataDir: data, env: { TOUCHMAP_DEMO: '0' }, ready: () => true });
	page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 600_000);
afterAll(async () => {
	await page?.close();
	await app?.stop();
});

describe('the at-risk page on a customers-only CRM', () => {
	it('scores the customers, shows the held-out AUC and no contact-based signal', async () => {
		await page.goto(`${app.url}/customers/at-risk?minRisk=0`);
		await page.getByTestId('at-risk-table').waitFor();
		const body = (await page.locator('main').textContent()) ?? '';
		expect(body).not.toMatch(/No customers yet/);
		// Held-out AUC of the model, with how many customers it was measured on.
		const auc = (await page.getByTestId('model-auc').textContent()) ?? '';
		const value = Number(/0?\.\d+|1\.00?/.exec(auc)?.[0]);
		expect(value).toBeGreaterThan(0.7);
		expect(value).toBeLessThanOrEqual(1);
		// Scored rows with reasons in sentences from the CRM's own fields (the planted age effect among them).
		const risks = (await page.locator('[data-testid=at-risk-row] .risk').allTextContents()).map((t) => parseFloat(t));
		expect(risks.length).toBeGreaterThan(10);
		expect(risks.every((r) => r >= 0 && r <= 100)).toBe(true);
		expect(new Set(risks).size).toBeGreaterThan(1);
		const reasons = await page.locator('[data-testid=at-risk-row] .reasons li').allTextContents();
		expect(reasons.some((r) => /^age \d+, typical \d+/.test(r))).toBe(true);
		// No contacts: the page says why contact signals are missing and offers none of them.
		expect(await page.getByTestId('no-interactions').textContent()).toMatch(/no contacts/);
		expect(await page.getByTestId('filter-signal').count()).toBe(0);
		expect(body).not.toMatch(/9999|d quiet|complaints \/ 90 d|no contact on record/);
		await page.screenshot({ path: `${SCREENSHOTS}/customers-at-risk-crm-only.png`, fullPage: true });
	});
});
