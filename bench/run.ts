/**
 * Why this exists: `npm run bench -- --interactions N` measures what users feel, at a chosen scale
 * up to 100M interactions, in one run: p50/p95/p99 of each tRPC query endpoint over HTTP against
 * the built server, first render and JavaScript weight of every dashboard page in headless
 * Chromium, the same questions asked of DuckDB side by side, 50 concurrent users for a bounded
 * time, the server's peak memory and ingest throughput — then a table against the targets.
 *
 * Data is made once per scale under bench/.data/N and reused: ≤ 10M interactions by the demo
 * generator and the real ingest CLI; above that by cloning an ingested 1M demo seed inside
 * ClickHouse with SQL (bench/generate-sql.ts). Each part lives in its own file (render.ts,
 * duckdb.ts, load.ts, generate-sql.ts, ingest.ts); this file orchestrates.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_SOURCES } from '../ingest/demo/manifest';
import { ensureBuild } from '../scripts/ensure-build';
import { spawnServer } from './server';
import type { BenchEndpoints } from './endpoints/types';
import { parquetReady } from './export-parquet';
import { meetsIngestTarget, printIngestFigures, runIngestBench, type IngestFigure } from './ingest';
import { meetsTextIngestTarget, printTextIngestFigure, runTextIngestBench, type TextIngestFigure } from './text-ingest';

const { values } = parseArgs({
	options: {
		interactions: { type: 'string', default: '1000000' },
		requests: { type: 'string', default: '100' },
		fresh: { type: 'boolean', default: false },
		'ingest-records': { type: 'string', default: '1000000' },
		'load-seconds': { type: 'string', default: '60' },
		'load-user-rate': { type: 'string', default: '0.5' },
		'skip-ingest': { type: 'boolean', default: false },
		'text-records': { type: 'string', default: '100000' },
		'skip-text-ingest': { type: 'boolean', default: false },
		'skip-render': { type: 'boolean', default: false },
		'skip-duckdb': { type: 'boolean', default: false },
		'skip-load': { type: 'boolean', default: false },
		'skip-endpoints': { type: 'boolean', default: false },
		'skip-alerts': { type: 'boolean', default: false },
		'no-answer-cache': { type: 'boolean', default: false },
		endpoints: { type: 'string', default: '' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log(`Usage: npm run bench -- [--interactions N] [--requests R] [--fresh] [--load-seconds S] [--load-user-rate U]
                        [--skip-render] [--skip-duckdb] [--skip-load] [--skip-ingest] [--no-answer-cache]
                        [--text-records N] [--skip-text-ingest] [--skip-endpoints] [--skip-alerts]
                        [--endpoints PREFIX,...]

Makes data with about N interactions once (reused from bench/.data/N unless --fresh): up to 10M
with the demo generator and the ingest CLI (reporting records/s), above 10M by cloning an ingested
1M demo seed inside ClickHouse with SQL (bench/generate-sql.ts). Then, against the built server
on that data, prints:
  - p50/p95/p99 latency of each tRPC query endpoint (warm, R requests each with varied inputs;
    --skip-endpoints leaves this out, e.g. to run only the load test);
  - the same journey-map, KPI-trend and path questions asked of DuckDB over the same data
    (Parquet export → DuckDB file, both cached under bench/.data/N), Touchmap/DuckDB ratio;
  - first render (cold and warm) and gzipped JavaScript of each page in headless Chromium;
  - a load test: 50 concurrent connections for S seconds (default 60) against 127.0.0.1, back to
    back, then at a browsing pace of --load-user-rate requests/s per user (default 0.5);
  - the server's peak memory (VmHWM);
  - one dry-run evaluation of an alert rule of each kind on the data (--skip-alerts leaves it out);
  - ingest throughput for files of --ingest-records records (default 1,000,000): the demo's calls
    as NDJSON and as CSV (the same records), and its tickets as NDJSON with the text models;
  - ingest of --text-records (default 100,000) distinct real texts from ../shared/datasets as
    social posts, every text analysed by the text models (bench/text-ingest.ts);
--endpoints journey,painPoints measures only the endpoints whose names start with one of the
comma-separated prefixes. Ends with a summary against the targets (10M: p95 ≤ 150 ms, paths ≤ 500 ms; 100M: ≤ 600 ms / ≤ 2 s).
Endpoint latencies, the DuckDB comparison and the load test are of computed answers (the server
started without its answer cache); the endpoints are then asked again of a server that keeps
answers, as deployed, and both figures are printed side by side, before the page renders.
--no-answer-cache leaves out the kept-answer pass: every figure is a computed answer.`);
	process.exit(0);
}
const target = Number(values.interactions);
const requests = Number(values.requests);
/** The demo generator writes about this many interactions per customer. */
const INTERACTIONS_PER_CUSTOMER = 50;
/** Above this many interactions data is cloned in ClickHouse from a demo seed of SEED_SIZE. */
const DEMO_MAX = 10_000_000;
const SEED_SIZE = 1_000_000;
const root = process.cwd();
const dirOf = (n: number) => resolve('bench/.data', String(n));
const dir = dirOf(target);
const dataDir = join(dir, 'db');
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');

function run(args: string[], env: Record<string, string> = {}, stdout: 'pipe' | 'inherit' = 'pipe'): string {
	return (
		execFileSync(process.execPath, args, {
			env: { ...process.env, ...env },
			encoding: 'utf8',
			stdio: ['ignore', stdout, 'inherit'],
			maxBuffer: 64 << 20
		}) ?? ''
	);
}

// ── 1. Data ─────────────────────────────────────────────────────────────────────────────────────
const ingestFigures: { file: string; records: number; seconds: number }[] = [];

/** Demo data through the real ingest CLI, once per size. */
function ensureDemo(n: number): void {
	const d = dirOf(n);
	if (existsSync(join(d, 'loaded'))) return;
	const customers = Math.max(10, Math.round(n / INTERACTIONS_PER_CUSTOMER));
	const db = join(d, 'db');
	const sourceDir = join(d, 'source');
	rmSync(db, { recursive: true, force: true });
	mkdirSync(d, { recursive: true });
	console.log(`bench: generating demo data for ${customers} customers (~${n} interactions)…`);
	const t0 = Date.now();
	run([tsx, 'ingest/demo/cli.ts', '--customers', String(customers), '--seed', '1', '--out', sourceDir]);
	console.log(`bench: generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	for (const s of DEMO_SOURCES) {
		const out = run([tsx, 'ingest/cli.ts', '--mapping', s.mapping, '--file', join(sourceDir, s.file), '--json'], {
			TOUCHMAP_DATA_DIR: db
		});
		const last = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
			accepted: number;
			rejected: number;
			duplicates: number;
			seconds: number;
		};
		const records = last.accepted + last.rejected + last.duplicates;
		if (n === target) ingestFigures.push({ file: s.file, records, seconds: last.seconds });
		console.log(
			`bench: ingested ${s.file}: ${records} records in ${last.seconds.toFixed(1)} s (${Math.round(records / last.seconds)} records/s)`
		);
	}
	execFileSync('touch', [join(d, 'loaded')]);
}

/** Parquet export of a scale's data (the SQL generator's seed, DuckDB's input), once. */
function ensureParquet(n: number): string {
	// 'parquet-2': interactions carry the customer's tier since migration 20261124_0100, which the
	// SQL generator copies; an older export lacks the column.
	const out = join(dirOf(n), 'parquet-2');
	if (!parquetReady(out)) run([tsx, 'bench/export-parquet.ts', join(dirOf(n), 'db'), out], {}, 'inherit');
	return out;
}

if (values.fresh) rmSync(dir, { recursive: true, force: true });
if (target <= DEMO_MAX) ensureDemo(target);
else if (!existsSync(join(dir, 'loaded'))) {
	ensureDemo(SEED_SIZE);
	const seed = ensureParquet(SEED_SIZE);
	// Not removed first: an interrupted generation continues where it stopped.
	mkdirSync(dir, { recursive: true });
	console.log(`bench: ${target} interactions are made in ClickHouse with SQL from the ${SEED_SIZE} demo seed…`);
	run(
		[tsx, 'bench/generate-sql.ts', '--interactions', String(target), '--seed', seed, '--out', dataDir],
		{},
		'inherit'
	);
	execFileSync('touch', [join(dir, 'loaded')]);
}
const parquetDir = values['skip-duckdb'] ? '' : ensureParquet(target);

// ── 2. Server on that data ──────────────────────────────────────────────────────────────────────
ensureBuild();
/**
 * The built server on the data, keeping answers of repeated questions (as deployed) or not (every
 * answer computed). One process owns the embedded database, so the two kinds run one after the other.
 */
async function startServer(keepAnswers: boolean) {
	const { proc, base } = await spawnServer(dataDir, keepAnswers);
	let health: { interactions: number } | undefined;
	for (let i = 0; i < 2400 && !health; i++) {
		await new Promise((r) => setTimeout(r, 250));
		health = await fetch(`${base}/healthz`)
			.then((r) => (r.ok ? r.json() : undefined))
			.catch(() => undefined);
	}
	if (!health) throw new Error('bench: the server did not become healthy');
	await forecastsReady(base);
	return { proc, base, health, keepAnswers };
}
/**
 * Waits until the server says the trends page's forecasts for its data are fitted (its background
 * warm after start-up; /healthz `forecasts`), so forecast figures are of a running server, not of
 * one still starting. A server that does not say is not waited for.
 */
async function forecastsReady(base: string): Promise<void> {
	const t0 = Date.now();
	for (;;) {
		const h = await fetch(`${base}/healthz`)
			.then((r) => r.json() as Promise<{ forecasts?: string }>)
			.catch(() => undefined);
		const state = h?.forecasts;
		if (state === undefined || state === 'ready' || state === 'off') {
			if (state === 'ready')
				console.log(`bench: forecasts fitted ahead (waited ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
			return;
		}
		if (Date.now() - t0 > 30 * 60_000) throw new Error('bench: the forecasts were not ready within 30 minutes');
		await new Promise((r) => setTimeout(r, 250));
	}
}
async function stopServer(proc: ChildProcess): Promise<void> {
	proc.kill();
	// The server drains in-flight requests on SIGTERM; after a load test that can take a while.
	const killer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
	if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
	clearTimeout(killer);
}
/** The bench's own requests, as the local user (the server reads the address from ADDRESS_HEADER). */
const fetch = (url: string) => globalThis.fetch(url, { headers: { 'x-forwarded-for': '127.0.0.1' } });
const startedAt = Date.now();
// Computed first: the endpoint figures and the DuckDB comparison are of computed answers; the
// server is then restarted keeping answers (unless --no-answer-cache) for the cached figures,
// pages and load test, as deployed.
let server = await startServer(false);
const { health } = server;
console.log(
	`bench: server up on ${health.interactions.toLocaleString('en')} interactions in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`
);

/** The server's peak resident memory so far (VmHWM; chdb runs in-process, so ClickHouse is included). */
function peakMemoryMb(): number {
	const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

async function query<T>(name: string, input?: unknown): Promise<T> {
	const url = `${server.base}/api/trpc/${name}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
	const res = await fetch(url);
	if (!res.ok) throw new Error(`bench: ${name} answered ${res.status}: ${await res.text()}`);
	return ((await res.json()) as { result: { data: T } }).result.data;
}
const { min, max } = await query<{ min: string; max: string }>('kpi.range');
const day = (d: string, add: number) => new Date(Date.parse(d) + add * 86_400_000).toISOString().slice(0, 10);
const span = Math.round((Date.parse(max) - Date.parse(min)) / 86_400_000);
const channelSets = [undefined, ['phone'], ['chat', 'email'], ['weibo', 'x', 'wechat']];
const filter = (i: number) => {
	const len = [30, 90, 365, span][i % 4]!;
	const to = day(max, -((i * 7) % Math.max(1, span - len)));
	return { from: day(to, -len), to, channels: channelSets[i % channelSets.length] };
};

// ── 3. Is there something to see on every page at this size? ───────────────────────────────────
const whole = { from: min, to: max };
const map = await query<{ stageCells: { stage: string; severity: { severity: string } }[] }>('journey.map', whole);
const pains = await query<{ items: { id: string; severity: { severity: string } }[] }>('painPoints.list', whole);
const paths = await query<{ customers: number; topPaths: { path: string[] }[] }>('journey.paths', whole);
const atRisk = await query<{ rows: { customerId: string }[] }>('customers.atRisk', { minRisk: 0, limit: 50 });
const signals = await query<unknown>('customers.signals', { months: 12 });
const trend = await query<{ interactions: number }[]>('kpi.trend', { ...whole, interval: 'month' });
const severities = (xs: { severity: { severity: string } }[]) =>
	['red', 'yellow', 'blue'].map((s) => `${xs.filter((x) => x.severity.severity === s).length} ${s}`).join(', ');
console.log(
	`bench: data check — journey map: ${map.stageCells.length} stages; pain points: ${pains.items.length} (${severities(pains.items)}); ` +
		`paths: ${Math.round(paths.customers).toLocaleString('en')} customers, top ${paths.topPaths[0]?.path.join(' > ') ?? '—'}; ` +
		`at-risk list: ${atRisk.rows.length} customers; churn signals: ${JSON.stringify(signals).length > 200 ? 'present' : 'EMPTY'}; ` +
		`trend: ${trend.filter((t) => t.interactions > 0).length} months with data; server peak memory so far ${peakMemoryMb().toFixed(0)} MB`
);

// ── 4. Latency per endpoint, computed, with varied inputs ───────────────────────────────────────
// Every file in bench/endpoints/ (one per dashboard area) adds its endpoints.
const endpoints: Record<string, (i: number) => unknown> = {};
const endpointDir = join(root, 'bench/endpoints');
for (const f of readdirSync(endpointDir)
	.filter((f) => f.endsWith('.ts') && f !== 'types.ts')
	.sort()) {
	const mod = (await import(pathToFileURL(join(endpointDir, f)).href)) as { endpoints: BenchEndpoints };
	Object.assign(endpoints, await mod.endpoints({ base: server.base, min, max, filter, query }));
}
const only = values.endpoints.split(',').filter(Boolean);
if (only.length)
	for (const name of Object.keys(endpoints)) if (!only.some((p) => name.startsWith(p))) delete endpoints[name];
const pct = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
type Latency = { endpoint: string; p50: number; p95: number; p99: number };
/**
 * Each endpoint asked `requests` times with varied inputs after 5 warm-up requests, one at a time;
 * with `keep`, every input is asked once first so its answer is kept (per endpoint, so the answer
 * cache's bound never drops one before it is timed).
 */
async function latencies(inputs: Record<string, (i: number) => unknown>, onEach: (r: Latency) => void, keep = false) {
	const out: Latency[] = [];
	for (const [name, input] of Object.entries(inputs)) {
		if (keep) for (let i = 0; i < requests + 5; i++) await query(name, input(i));
		const times: number[] = [];
		for (let i = -5; i < requests; i++) {
			const v = input(i + 5);
			const url = `${server.base}/api/trpc/${name}${v === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(v))}`}`;
			const t0 = performance.now();
			const res = await fetch(url);
			await res.arrayBuffer();
			if (!res.ok) throw new Error(`bench: ${name} answered ${res.status}`);
			if (i >= 0) times.push(performance.now() - t0); // the first 5 warm up
		}
		const r = { endpoint: name, p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99) };
		out.push(r);
		onEach(r);
	}
	return out;
}
const measured = values['skip-endpoints'] ? {} : endpoints;
console.log(
	`\nTouchmap bench — ${health.interactions.toLocaleString('en')} interactions, ${requests} requests per endpoint (warm, sequential), computed: no answer kept`
);
// The server's peak memory after each endpoint shows which query raised it (chdb is in-process).
console.log('endpoint              p50 ms   p95 ms   p99 ms   peak MB so far');
const results = await latencies(measured, (r) =>
	console.log(
		`${r.endpoint.padEnd(20)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${peakMemoryMb().toFixed(0).padStart(16)}`
	)
);

// ── 5. DuckDB side by side ──────────────────────────────────────────────────────────────────────
let comparison: import('./duckdb').ComparisonFigure[] = [];
if (!values['skip-duckdb']) {
	const { openDuckDb, printComparison, runDuckDbComparison } = await import('./duckdb');
	const duck = await openDuckDb(parquetDir, join(dir, 'duckdb.db'));
	comparison = await runDuckDbComparison({ conn: duck.conn, filter, query, requests: Math.min(requests, 30) });
	duck.close();
	printComparison(comparison, duck.loadSeconds);
}

// ── 6. 50 concurrent users asking questions of their own (computed answers) ─────────────────────
const loads: import('./load').LoadFigure[] = [];
if (!values['skip-load']) {
	const { loadPaths, printLoadFigure, runLoadTest } = await import('./load');
	for (const userRate of [undefined, Number(values['load-user-rate'])]) {
		// Let the server drain what the previous run queued (its answers come back fast again).
		for (let i = 0; i < 120; i++) {
			const t0 = performance.now();
			const answered = await query('kpi.range').then(
				() => true,
				() => false
			);
			if (answered && performance.now() - t0 < 100) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		const f = await runLoadTest({
			base: server.base,
			paths: loadPaths(endpoints),
			seconds: Number(values['load-seconds']),
			userRate
		});
		printLoadFigure(f);
		loads.push(f);
	}
}

// ── 7. The same questions with answers kept, as deployed ───────────────────────────────────────
// Timed as in section 4 once each input's answer is kept; printed beside the computed figures.
let peakMb = peakMemoryMb();
let cachedResults: Latency[] = [];
if (!values['no-answer-cache']) {
	await stopServer(server.proc);
	server = await startServer(true);
	cachedResults = await latencies(measured, () => {}, true);
	peakMb = Math.max(peakMb, peakMemoryMb());
	if (cachedResults.length) {
		console.log(`\nComputed and kept answers side by side (p50 / p95 ms, ${requests} requests each)`);
		console.log('endpoint              computed p50 / p95    kept p50 / p95');
		for (const c of results) {
			const k = cachedResults.find((x) => x.endpoint === c.endpoint)!;
			console.log(
				`${c.endpoint.padEnd(20)} ${`${c.p50.toFixed(1)} / ${c.p95.toFixed(1)}`.padStart(20)} ${`${k.p50.toFixed(1)} / ${k.p95.toFixed(1)}`.padStart(17)}`
			);
		}
	}
}

// ── 8. First render and JavaScript per page, as deployed (answers kept) ─────────────────────────
let renders: import('./render').RenderFigure[] = [];
if (!values['skip-render']) {
	const { dashboardPages, printRenderFigures, runRenderBench } = await import('./render');
	renders = await runRenderBench(
		server.base,
		dashboardPages({ painPoint: pains.items[0]?.id, customer: atRisk.rows[0]?.customerId })
	);
	printRenderFigures(renders);
}

// ── 9. Peak memory (the higher of the two servers'), then the server goes ──────────────────────
const memoryMb = Math.max(peakMb, peakMemoryMb());
console.log(`\nserver peak memory (VmHWM, Node + embedded ClickHouse): ${memoryMb.toFixed(0)} MB`);
await stopServer(server.proc);

// ── 10. Alert rules on this data (after the server: one process opens the embedded database) ────
let alerts: import('./alerts').AlertsFigure | undefined;
if (!values['skip-alerts']) {
	const { printAlertsFigure, runAlertsBench } = await import('./alerts');
	alerts = runAlertsBench(dataDir);
	printAlertsFigure(alerts);
}

if (ingestFigures.length) {
	const records = ingestFigures.reduce((a, f) => a + f.records, 0);
	const seconds = ingestFigures.reduce((a, f) => a + f.seconds, 0);
	console.log(
		`demo load: ${records.toLocaleString('en')} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds).toLocaleString('en')} records/s`
	);
}

// ── 11. Ingest throughput (bench/ingest.ts): NDJSON and CSV files, end to end, fresh databases ───
let ingest: IngestFigure[] = [];
if (!values['skip-ingest']) {
	ingest = await runIngestBench(Number(values['ingest-records']));
	printIngestFigures(ingest);
}
let textIngest: TextIngestFigure | undefined;
if (!values['skip-text-ingest']) {
	textIngest = await runTextIngestBench(Number(values['text-records']));
	if (textIngest) printTextIngestFigure(textIngest);
}

// ── 12. Against the targets ─────────────────────────────────────────────────────────────────────
const big = health.interactions >= 50_000_000;
const limit = big ? { endpoint: 600, paths: 2000, label: '100M' } : { endpoint: 150, paths: 500, label: '10M' };
const lines: { target: string; measured: string; met: boolean | undefined }[] = [];
// Key drivers fit a model with bootstrap intervals per answer: they have their own target, below.
const isDrivers = (r: { endpoint: string }) => r.endpoint.startsWith('drivers.');
const others = results.filter((r) => r.endpoint !== 'journey.paths' && !isDrivers(r));
const worst = others.reduce((a, b) => (b.p95 > a.p95 ? b : a), others[0]!);
const over = others.filter((r) => r.p95 > limit.endpoint).map((r) => r.endpoint);
if (worst)
	lines.push({
		target: `every endpoint p95 ≤ ${limit.endpoint} ms (${limit.label})`,
		measured: `worst ${worst.endpoint} ${worst.p95.toFixed(0)} ms${over.length ? `; over: ${over.join(', ')}` : ''}`,
		met: over.length === 0
	});
const pathsFig = results.find((r) => r.endpoint === 'journey.paths');
if (pathsFig)
	lines.push({
		target: `journey.paths p95 ≤ ${limit.paths} ms (${limit.label})`,
		measured: `${pathsFig.p95.toFixed(0)} ms`,
		met: pathsFig.p95 <= limit.paths
	});
const driversFigs = results.filter(isDrivers);
if (driversFigs.length) {
	const slowest = driversFigs.reduce((a, b) => (b.p95 > a.p95 ? b : a));
	lines.push({
		target: 'key drivers p95 ≤ 2000 ms (computed)',
		measured: `${slowest.endpoint} ${slowest.p95.toFixed(0)} ms`,
		met: slowest.p95 <= 2000
	});
}
if (renders.length) {
	const ok = renders.filter((r) => !r.error);
	const slowest = ok.reduce((a, b) => (b.coldMs > a.coldMs ? b : a), ok[0]!);
	const failed = renders.filter((r) => r.error).map((r) => r.page);
	lines.push({
		target: 'first render ≤ 1.5 s on every page',
		measured: `slowest cold ${slowest ? `${slowest.page} ${slowest.coldMs.toFixed(0)} ms` : '—'}, slowest warm ${Math.max(...ok.map((r) => r.warmMs)).toFixed(0)} ms${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
		met: !failed.length && ok.every((r) => r.coldMs <= 1500)
	});
	const heaviest = ok.reduce((a, b) => (b.jsGzip > a.jsGzip ? b : a), ok[0]!);
	lines.push({
		target: 'JavaScript per page ≤ 250 KB gzipped',
		measured: heaviest ? `heaviest ${heaviest.page} ${(heaviest.jsGzip / 1024).toFixed(0)} KB` : '—',
		met: ok.every((r) => r.jsGzip <= 250 * 1024)
	});
}
for (const load of loads)
	lines.push({
		target: `50 users ${load.userRate ? `at ${load.userRate} req/s each` : 'back to back'}: p95 ≤ 1 s, 0 errors`,
		measured: `p95 ${load.p95.toFixed(0)} ms, ${load.non2xx + load.errors} errors, ${load.perSecond.toFixed(1)} requests/s`,
		met: load.p95 <= 1000 && load.non2xx + load.errors === 0
	});
if (alerts)
	lines.push({
		target: 'alert rules: one evaluation of each kind',
		measured: `${alerts.rules} rules in ${alerts.seconds.toFixed(1)} s, ${alerts.errors} failed`,
		met: alerts.errors === 0 ? undefined : false
	});
lines.push({ target: 'server memory ≤ 2 GB', measured: `${memoryMb.toFixed(0)} MB peak`, met: memoryMb <= 2048 });
for (const c of comparison.filter((c) => c.question !== 'paths'))
	lines.push({
		target: `≥ 5× faster than DuckDB: ${c.question}`,
		measured: `${(1 / c.ratio).toFixed(1)}× (p50 ${c.touchmap.p50.toFixed(0)} vs ${c.duckdb.p50.toFixed(0)} ms)${c.agree === 'yes' ? '' : '; answers differ!'}`,
		met: c.ratio <= 0.2 && c.agree === 'yes'
	});
for (const f of ingest)
	lines.push({
		target:
			f.data === 'calls'
				? `ingest ${f.format.toUpperCase()} calls ≥ 200,000 records/s, peak ≤ 1 GB`
				: `ingest ${f.format.toUpperCase()} ${f.data} with the text models (no target)`,
		measured: `${Math.round(f.recordsPerSecond).toLocaleString('en')} records/s, ${f.peakRssMb} MB peak (${f.records.toLocaleString('en')} records)`,
		met: meetsIngestTarget(f)
	});
if (textIngest)
	lines.push({
		target: `ingest of distinct real texts ≥ 5,000 records/s, peak ≤ 1 GB`,
		measured: `${Math.round(textIngest.recordsPerSecond).toLocaleString('en')} records/s, ${textIngest.peakRssMb} MB peak (${textIngest.records.toLocaleString('en')} records)`,
		met: meetsTextIngestTarget(textIngest)
	});
console.log(`\nSummary against the targets — ${health.interactions.toLocaleString('en')} interactions`);
console.log(`${'target'.padEnd(54)} ${'measured'.padEnd(64)} result`);
for (const l of lines)
	console.log(
		`${l.target.padEnd(54)} ${l.measured.padEnd(64)} ${l.met === undefined ? '' : l.met ? 'met' : 'NOT met'}`
	);
