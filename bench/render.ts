/**
 * Why this exists: users feel page loads, not endpoint latencies. For each dashboard page this
 * times, in headless Chromium (Debian's, through playwright-core, launched like the e2e harness),
 * the span from navigation start to the page's main content being drawn — cold (fresh browser
 * context: empty HTTP cache, nothing hydrated) and warm (the same page again in that context) —
 * and sums the gzipped size of every JavaScript response the cold visit loaded.
 *
 * "Drawn" = inside <main>: a chart SVG or table (or the page's own marker) is present, nothing is
 * aria-busy and no error alert shows, checked on every animation frame; the time is the page's
 * own performance.now(), i.e. milliseconds since its navigation started.
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../scripts/chromium';

export interface RenderPage {
	name: string;
	path: string;
	/** CSS selector inside <main> that means "content drawn" (default: an SVG chart or a table). */
	ready?: string;
}

export interface RenderFigure {
	page: string;
	path: string;
	coldMs: number;
	warmMs: number;
	/** Gzipped bytes of all JS the cold visit loaded, and how many files. */
	jsGzip: number;
	jsFiles: number;
	error?: string;
}

/** The dashboard pages, with ids for the detail pages picked by the caller from the data. */
export function dashboardPages(ids: { painPoint?: string; customer?: string }): RenderPage[] {
	const pages: RenderPage[] = [
		{ name: 'overview', path: '/' },
		{ name: 'journey map', path: '/journey' },
		{ name: 'journey paths', path: '/journey/paths' },
		{ name: 'pain points', path: '/pain-points' },
		{ name: 'customers', path: '/customers' },
		{ name: 'at-risk customers', path: '/customers/at-risk', ready: 'table' },
		{ name: 'trends', path: '/trends' },
		{ name: 'ROI', path: '/roi', ready: 'table' },
		{ name: 'admin: sources', path: '/admin/sources', ready: 'table, [data-testid="sources-empty"]' },
		{ name: 'admin: users', path: '/admin/users', ready: 'table' },
		{ name: 'admin: audit', path: '/admin/audit', ready: 'table, [data-testid="audit-empty"]' },
		{ name: 'admin: privacy', path: '/admin/privacy', ready: 'form, table' }
	];
	if (ids.painPoint)
		pages.splice(4, 0, { name: 'pain-point detail', path: `/pain-points/${encodeURIComponent(ids.painPoint)}` });
	if (ids.customer)
		pages.splice(pages.findIndex((p) => p.name === 'at-risk customers') + 1, 0, {
			name: 'customer 360',
			path: `/customers/${encodeURIComponent(ids.customer)}`
		});
	return pages;
}

async function visit(
	ctx: BrowserContext,
	url: string,
	ready: string,
	timeoutMs: number
): Promise<{ ms: number; js: Map<string, number> }> {
	const page = await ctx.newPage();
	const js = new Map<string, number>();
	const pending: Promise<void>[] = [];
	page.on('response', (res) => {
		const type = res.headers()['content-type'] ?? '';
		if (res.request().resourceType() !== 'script' && !type.includes('javascript')) return;
		pending.push(
			res
				.body()
				.then((b) => void js.set(res.url(), gzipSync(b).length))
				.catch(() => undefined)
		);
	});
	try {
		await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
		await page.waitForFunction(
			(sel) => {
				const main = document.querySelector('main');
				if (!main || main.getAttribute('aria-busy') === 'true') return false;
				if (main.querySelector('[aria-busy="true"], .skeleton')) return false;
				if (main.querySelector('[data-testid="error"], .card.error[role="alert"]'))
					throw new Error('the page shows an error');
				return !!main.querySelector(sel);
			},
			ready,
			{ polling: 'raf', timeout: timeoutMs }
		);
		const ms = await page.evaluate(() => performance.now());
		// Lazily imported chunks count too: let the page settle before summing.
		await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
		await Promise.all(pending);
		return { ms, js };
	} finally {
		await page.close();
	}
}

export async function runRenderBench(base: string, pages: RenderPage[], timeoutMs = 30_000): Promise<RenderFigure[]> {
	const browser = await launchChromium();
	const out: RenderFigure[] = [];
	try {
		for (const p of pages) {
			const ready = (p.ready ?? 'svg, table')
				.split(',')
				.map((s) => s.trim())
				.join(', ');
			// A fresh context per page: the cold visit has an empty cache, as for a first-time user.
			const ctx = await browser.newContext({
				viewport: { width: 1440, height: 900 },
				// The server reads the client address from this header in the bench (run.ts).
				extraHTTPHeaders: { 'x-forwarded-for': '127.0.0.1' }
			});
			try {
				const cold = await visit(ctx, base + p.path, ready, timeoutMs);
				const warm = await visit(ctx, base + p.path, ready, timeoutMs);
				out.push({
					page: p.name,
					path: p.path,
					coldMs: cold.ms,
					warmMs: warm.ms,
					jsGzip: [...cold.js.values()].reduce((a, b) => a + b, 0),
					jsFiles: cold.js.size
				});
			} catch (err) {
				out.push({
					page: p.name,
					path: p.path,
					coldMs: NaN,
					warmMs: NaN,
					jsGzip: NaN,
					jsFiles: 0,
					error: (err as Error).message.split('\n')[0]
				});
			} finally {
				await ctx.close();
			}
		}
	} finally {
		await browser.close();
	}
	return out;
}

export const JS_BUDGET = 250 * 1024;

export function printRenderFigures(rows: RenderFigure[]): void {
	console.log('\nFirst render in headless Chromium (navigation start → main content drawn) and JS per page');
	console.log('page                   cold ms  warm ms   JS gzip KB  files');
	for (const r of rows) {
		if (r.error) {
			console.log(`${r.page.padEnd(22)} failed: ${r.error}`);
			continue;
		}
		const kb = (r.jsGzip / 1024).toFixed(1);
		console.log(
			`${r.page.padEnd(22)} ${r.coldMs.toFixed(0).padStart(7)} ${r.warmMs.toFixed(0).padStart(8)} ${kb.padStart(12)} ${String(r.jsFiles).padStart(6)}${r.jsGzip > JS_BUDGET ? '  > 250 KB!' : ''}`
		);
	}
}
