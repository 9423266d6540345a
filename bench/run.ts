/**
 * Why this exists: `npm run bench -- --interactions N` measures what users feel — p50/p95 latency
 * of each tRPC query endpoint over HTTP against the built server, and ingest throughput through the
 * real CLI — at a chosen scale. Data is generated once per scale under bench/.data/ and reused.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_SOURCES } from '../ingest/demo/manifest';
import type { BenchEndpoints } from './endpoints/types';

const { values } = parseArgs({
	options: {
		interactions: { type: 'string', default: '1000000' },
		requests: { type: 'string', default: '60' },
		fresh: { type: 'boolean', default: false },
		'ingest-records': { type: 'string', default: '1000000' },
		'skip-ingest': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log(`Usage: npm run bench -- [--interactions N] [--requests R] [--fresh]

Generates demo data with about N interactions (once; reused from bench/.data/N unless --fresh),
ingests it with the ingest CLI (reporting records/s), starts the built server on that data and
prints p50/p95 latency of each tRPC query endpoint over R requests with varied inputs.
Then measures ingest throughput and peak memory for an NDJSON and a CSV file of
--ingest-records records each (default 1,000,000; --skip-ingest to leave it out).`);
	process.exit(0);
}
const target = Number(values.interactions);
const requests = Number(values.requests);
/** The demo generator writes about this many interactions per customer. */
const INTERACTIONS_PER_CUSTOMER = 50;
const customers = Math.max(10, Math.round(target / INTERACTIONS_PER_CUSTOMER));
const root = process.cwd();
const dir = resolve('bench/.data', String(target));
const dataDir = join(dir, 'db');
const sourceDir = join(dir, 'source');
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');

function run(args: string[], env: Record<string, string> = {}): string {
	return execFileSync(process.execPath, args, {
		env: { ...process.env, ...env },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 64 << 20
	});
}

// 1. Data and ingest throughput.
if (values.fresh) rmSync(dir, { recursive: true, force: true });
const ingestFigures: { file: string; records: number; seconds: number }[] = [];
if (!existsSync(join(dir, 'loaded'))) {
	rmSync(dataDir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	console.log(`bench: generating demo data for ${customers} customers (~${target} interactions)…`);
	const t0 = Date.now();
	run([tsx, 'ingest/demo/cli.ts', '--customers', String(customers), '--seed', '1', '--out', sourceDir]);
	console.log(`bench: generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	for (const s of DEMO_SOURCES) {
		const out = run([tsx, 'ingest/cli.ts', '--mapping', s.mapping, '--file', join(sourceDir, s.file), '--json'], {
			TOUCHMAP_DATA_DIR: dataDir
		});
		const last = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
			accepted: number;
			rejected: number;
			duplicates: number;
			seconds: number;
		};
		const records = last.accepted + last.rejected + last.duplicates;
		ingestFigures.push({ file: s.file, records, seconds: last.seconds });
		console.log(
			`bench: ingested ${s.file}: ${records} records in ${last.seconds.toFixed(1)} s (${Math.round(records / last.seconds)} records/s)`
		);
	}
	execFileSync('touch', [join(dir, 'loaded')]);
}

// 2. Server on that data.
if (!existsSync('build/index.js') || statSync('build/index.js').mtimeMs < statSync('src').mtimeMs) {
	run([join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
}
const port = await new Promise<number>((ok) => {
	const s = createServer().listen(0, () => {
		const p = (s.address() as { port: number }).port;
		s.close(() => ok(p));
	});
});
const server = spawn(process.execPath, ['build/index.js'], {
	// Sign-in off and no rate limit: the bench measures queries, not sessions or throttling.
	env: {
		...process.env,
		PORT: String(port),
		TOUCHMAP_DATA_DIR: dataDir,
		TOUCHMAP_DEMO: '0',
		TOUCHMAP_AUTH: 'off',
		TOUCHMAP_API_RATE: '100000'
	},
	stdio: ['ignore', 'ignore', 'inherit']
});
const base = `http://127.0.0.1:${port}`;
let health: { interactions: number } | undefined;
for (let i = 0; i < 600 && !health; i++) {
	await new Promise((r) => setTimeout(r, 250));
	health = await fetch(`${base}/healthz`)
		.then((r) => (r.ok ? r.json() : undefined))
		.catch(() => undefined);
}
if (!health) throw new Error('bench: the server did not become healthy');

// 3. Latency per endpoint, with varied inputs so no answer is cached by accident.
async function query<T>(name: string, input?: unknown): Promise<T> {
	const url = `${base}/api/trpc/${name}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
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
// Every file in bench/endpoints/ (one per dashboard area) adds its endpoints.
const endpoints: Record<string, (i: number) => unknown> = {};
const endpointDir = join(root, 'bench/endpoints');
for (const f of readdirSync(endpointDir)
	.filter((f) => f.endsWith('.ts') && f !== 'types.ts')
	.sort()) {
	const mod = (await import(pathToFileURL(join(endpointDir, f)).href)) as { endpoints: BenchEndpoints };
	Object.assign(endpoints, await mod.endpoints({ base, min, max, filter, query }));
}
const pct = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const results: { endpoint: string; p50: number; p95: number }[] = [];
for (const [name, input] of Object.entries(endpoints)) {
	const times: number[] = [];
	for (let i = -5; i < requests; i++) {
		const v = input(i + 5);
		const url = `${base}/api/trpc/${name}${v === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(v))}`}`;
		const t0 = performance.now();
		const res = await fetch(url);
		await res.arrayBuffer();
		if (!res.ok) throw new Error(`bench: ${name} answered ${res.status}`);
		if (i >= 0) times.push(performance.now() - t0); // the first 5 warm up
	}
	results.push({ endpoint: name, p50: pct(times, 50), p95: pct(times, 95) });
}
server.kill();

console.log(
	`\nTouchmap bench — ${health.interactions.toLocaleString('en')} interactions, ${requests} requests per endpoint`
);
console.log('endpoint              p50 ms   p95 ms');
for (const r of results)
	console.log(`${r.endpoint.padEnd(20)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(8)}`);
if (ingestFigures.length) {
	const records = ingestFigures.reduce((a, f) => a + f.records, 0);
	const seconds = ingestFigures.reduce((a, f) => a + f.seconds, 0);
	console.log(
		`ingest: ${records.toLocaleString('en')} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds).toLocaleString('en')} records/s`
	);
} else {
	console.log(`ingest: data reused from ${dir} (run with --fresh to measure ingest throughput)`);
}

// ── Ingest throughput (bench/ingest.ts): NDJSON and CSV files of 1M records, end to end ──────────
// Separate from the demo load above: a fresh database per format, peak RSS per child process.
if (!values['skip-ingest']) {
	const { printIngestFigures, runIngestBench } = await import('./ingest');
	printIngestFigures(await runIngestBench(Number(values['ingest-records'])));
}
