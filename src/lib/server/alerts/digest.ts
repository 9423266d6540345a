/**
 * Why this exists: the weekly executive digest — the last week's KPIs beside the week before, the
 * ROI scorecard and headline (the same figures as /roi) — as an HTML e-mail, with the same page
 * rendered to PDF by headless Chromium and attached.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { getKpiSummary } from '../queries/kpi/summary';
import { getRoiSummary } from '../queries/roi/summary';
import { readDisplay, readRoiAssumptions, readTargets } from '../queries/settings/read';
import { minusDays } from './rules';

export interface Digest {
	title: string;
	html: string;
	text: string;
	/** Data week it covers (the data's last seven days). */
	from: string;
	to: string;
}

export const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Fmt = (v: number | null | undefined) => string;
const num: Fmt = (v) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
const share: Fmt = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const minutes: Fmt = (v) => (v === null || v === undefined ? '—' : `${(v / 60).toFixed(1)} min`);
const seconds: Fmt = (v) => (v === null || v === undefined ? '—' : `${Math.round(v)} s`);
const money: Fmt = (v) => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

const KPI_ROWS: { key: string; label: string; fmt: Fmt }[] = [
	{ key: 'interactions', label: 'Contacts', fmt: num },
	{ key: 'customers', label: 'Customers', fmt: num },
	{ key: 'csat', label: 'CSAT (0–10)', fmt: num },
	{ key: 'fcr', label: 'First-contact resolution', fmt: share },
	{ key: 'avgHandleSeconds', label: 'Average handle time', fmt: minutes },
	{ key: 'avgFirstResponseSeconds', label: 'First response', fmt: seconds },
	{ key: 'complaints', label: 'Complaints', fmt: num },
	{ key: 'sentiment', label: 'Sentiment (−1…1)', fmt: num }
];

const SCORE_FMT: Record<string, Fmt> = {
	fcr: share,
	csat: num,
	complaints: share,
	aht: minutes,
	firstResponse: seconds
};

export async function buildDigest(client: ClickHouseClient, range: { min: string; max: string }): Promise<Digest> {
	const to = range.max;
	const from = minusDays(to, 6);
	const prevTo = minusDays(from, 1);
	const prevFrom = minusDays(prevTo, 6);
	const [a, targets, display] = await Promise.all([
		readRoiAssumptions(client),
		readTargets(client),
		readDisplay(client)
	]);
	const [now, before, roi] = await Promise.all([
		getKpiSummary(client, { from, to }),
		prevFrom >= range.min ? getKpiSummary(client, { from: prevFrom, to: prevTo }) : Promise.resolve(null),
		// The forecasts' target dates are left to the page: fitting them is minutes of CPU, not a digest's job.
		getRoiSummary(client, a, targets, display.timeZone, { forecasts: false })
	]);
	const kpiRows = KPI_ROWS.map((r) => {
		const v = (now as Record<string, number | null>)[r.key] ?? null;
		const p = before ? ((before as Record<string, number | null>)[r.key] ?? null) : null;
		return `<tr><th scope="row">${r.label}</th><td>${r.fmt(v)}</td><td>${r.fmt(p)}</td></tr>`;
	}).join('');
	const scoreRows = roi.scorecards
		.map((s) => {
			const f = SCORE_FMT[s.kpi] ?? num;
			const status = s.met ? 'met' : 'not met';
			return `<tr><th scope="row">${escapeHtml(s.kpi)}</th><td>${f(s.baseline)}</td><td>${f(s.current)}</td><td>${f(s.target)}</td><td>${status}</td></tr>`;
		})
		.join('');
	const r = roi.result;
	const title = `Touchmap weekly digest, ${from} to ${to}`;
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,'Noto Sans',sans-serif;color:#1d2330;max-width:720px;margin:24px auto;padding:0 16px}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}th,td{border-bottom:1px solid #dde2ea;padding:6px 8px;text-align:right}
th[scope=row],thead th:first-child{text-align:left}thead th{background:#f3f5f8}h1{font-size:20px}h2{font-size:16px;margin-top:24px}
.big{font-size:18px;font-weight:600}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Service KPIs</h2>
<table><thead><tr><th>KPI</th><th>${from} – ${to}</th><th>${before ? `${prevFrom} – ${prevTo}` : 'week before'}</th></tr></thead><tbody>${kpiRows}</tbody></table>
<h2>ROI scorecard</h2>
<p>Baseline ${escapeHtml(roi.assumptions.baseline?.from ?? '')} – ${escapeHtml(roi.assumptions.baseline?.to ?? '')} against ${escapeHtml(roi.assumptions.comparison?.from ?? '')} – ${escapeHtml(roi.assumptions.comparison?.to ?? '')}.</p>
<table><thead><tr><th>KPI</th><th>Baseline</th><th>Now</th><th>Target</th><th>Status</th></tr></thead><tbody>${scoreRows}</tbody></table>
<p class="big">Annual benefit ${money(r.annualBenefit)} · ROI ${r.roiPct === null ? '—' : `${(r.roiPct * 100).toFixed(0)}%`} · payback ${r.paybackMonths === null ? '—' : `${r.paybackMonths.toFixed(1)} months`}</p>
<p>Benefits: retention ${money(r.benefits.retention)}, handle time ${money(r.benefits.handleTime)}, complaints ${money(r.benefits.complaints)}, deflection ${money(r.benefits.deflection)}.</p>
</body></html>`;
	const text =
		`${title}\n\n` +
		KPI_ROWS.map(
			(k) =>
				`${k.label}: ${k.fmt((now as Record<string, number | null>)[k.key] ?? null)}` +
				(before ? ` (week before ${k.fmt((before as Record<string, number | null>)[k.key] ?? null)})` : '')
		).join('\n') +
		`\n\nROI: annual benefit ${money(r.annualBenefit)}, ROI ${r.roiPct === null ? '—' : `${(r.roiPct * 100).toFixed(0)}%`}, payback ${r.paybackMonths === null ? '—' : `${r.paybackMonths.toFixed(1)} months`}.\n`;
	return { title, html, text, from, to };
}

/** The digest page as PDF, by Debian's Chromium through playwright-core (TOUCHMAP_CHROMIUM to change). */
export async function renderPdf(html: string): Promise<Buffer> {
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: process.env.TOUCHMAP_CHROMIUM ?? '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
	});
	try {
		const page = await browser.newPage();
		// The page has no external resources: nothing is fetched while it renders.
		await page.setContent(html, { waitUntil: 'load' });
		return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm' } });
	} finally {
		await browser.close();
	}
}
