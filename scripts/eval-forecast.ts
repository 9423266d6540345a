/**
 * Why this exists: `npm run eval:forecast` — forecast accuracy of every trend KPI, by rolling-origin
 * backtesting on the demo data (or on an existing database with --data-dir): MASE against
 * seasonal-naive (below 1 beats it), MAE relative to out-of-sample seasonal-naive, and how often the
 * actual values fell inside the 80% and 95% prediction intervals (ideally about 0.80 and 0.95).
 * Runs under vite-node so the query modules' `?raw` SQL imports resolve as in the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		customers: { type: 'string', default: '1000' },
		seed: { type: 'string', default: '42' },
		horizon: { type: 'string', default: '13' },
		interval: { type: 'string', default: 'week' },
		folds: { type: 'string', default: '12' },
		step: { type: 'string', default: '3' },
		'data-dir': { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log(`Usage: npm run eval:forecast -- [--customers N] [--seed S] [--horizon WEEKS] [--interval week|day] [--folds F] [--step S] [--data-dir DIR]

Loads the demo data set (N customers, default 1000) into a temporary embedded database, or opens
DIR, and prints the rolling-origin backtest of every KPI's forecast: MASE against seasonal-naive,
MAE relative to seasonal-naive, and the coverage of the 80% / 95% prediction intervals, from F
forecast origins S buckets apart (default 12 origins, 3 apart: about 150 held-out weeks per KPI).`);
	process.exit(0);
}

const temp = !values['data-dir'];
const dir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'touchmap-eval-'));
process.env.TOUCHMAP_DATA_DIR = dir;
process.env.TOUCHMAP_DEMO = '0';

const { openDb } = await import('../db/open');
const { closeDb } = await import('../db/client');
const { loadDemoIfEmpty } = await import('../ingest/demo/load');
const { getForecast } = await import('../src/lib/server/queries/trends/forecast');
const { TREND_KPIS } = await import('../schemas/trends');

try {
	const db = await openDb();
	if (temp) {
		console.log(`eval: loading the demo data (${values.customers} customers, seed ${values.seed})…`);
		await loadDemoIfEmpty(db, {
			customers: Number(values.customers),
			seed: Number(values.seed),
			sourceDir: join(dir, 'demo-source')
		});
	}
	const horizon = Number(values.horizon);
	const interval = values.interval === 'day' ? 'day' : 'week';
	const folds = Number(values.folds);
	const step = Number(values.step);
	console.log(
		`eval: ${interval}ly series, horizon ${horizon} weeks, rolling origin (${folds} origins, ${step} apart)\n`
	);
	const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));
	console.log(['KPI'.padEnd(14), 'MASE', ' relMAE', ' cover80', ' cover95', ' folds'].join('  '));
	const rows = [];
	for (const kpi of TREND_KPIS) {
		const t0 = performance.now();
		const f = await getForecast(db.client, { kpi, horizon, interval }, 'UTC', { folds, step });
		const b = f.backtest;
		rows.push({ kpi, ...b });
		console.log(
			[
				kpi.padEnd(14),
				fmt(b.mase).padStart(4),
				fmt(b.relMae).padStart(7),
				fmt(b.coverage80).padStart(8),
				fmt(b.coverage95).padStart(8),
				String(b.folds).padStart(6),
				` (${Math.round(performance.now() - t0)} ms)`
			].join('  ')
		);
	}
	const scored = rows.filter((r) => r.mase !== null);
	const beat = scored.filter((r) => (r.mase ?? 1) < 1).length;
	const inside = (v: number | null, lo: number, hi: number) => v !== null && v >= lo && v <= hi;
	const c80 = scored.filter((r) => inside(r.coverage80, 0.75, 0.85)).length;
	const c95 = scored.filter((r) => inside(r.coverage95, 0.9, 0.98)).length;
	const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
	console.log(`\neval: ${beat} of ${scored.length} KPIs with data beat seasonal-naive (MASE < 1)`);
	console.log(
		`eval: 80% bands cover ${fmt(avg(scored.map((r) => r.coverage80 ?? 0)))} on average, within 0.75–0.85 for ${c80} of ${scored.length} KPIs`
	);
	console.log(
		`eval: 95% bands cover ${fmt(avg(scored.map((r) => r.coverage95 ?? 0)))} on average, within 0.90–0.98 for ${c95} of ${scored.length} KPIs`
	);
} finally {
	await closeDb();
	if (temp) rmSync(dir, { recursive: true, force: true });
}
