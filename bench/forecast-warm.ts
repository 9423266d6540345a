/**
 * Why this exists: forecasts are fitted off the thread that answers requests, and the trends page's
 * weekly ones in the background after start-up. This shows what other requests see meanwhile:
 * `kpi.summary` (sequential requests) while the start-up forecast warm runs, idle, and while daily
 * forecasts are fitted on request. It starts the built server on the data `npm run bench` made.
 *
 *   npx tsx bench/forecast-warm.ts --interactions 10000000
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuild } from '../scripts/ensure-build';
import { spawnServer } from './server';

const { values } = parseArgs({ options: { interactions: { type: 'string', default: '1000000' } } });
const dataDir = join(resolve('bench/.data', values.interactions), 'db');

ensureBuild();
const { proc, base } = await spawnServer(dataDir, false);

const health = async () =>
	fetch(`${base}/healthz`)
		.then((r) => (r.ok ? (r.json() as Promise<{ forecasts?: string }>) : undefined))
		.catch(() => undefined);
async function time(name: string, input: unknown): Promise<number> {
	const t0 = performance.now();
	const r = await fetch(`${base}/api/trpc/${name}?input=${encodeURIComponent(JSON.stringify(input))}`);
	await r.arrayBuffer();
	if (!r.ok) throw new Error(`${name} answered ${r.status}`);
	return performance.now() - t0;
}
const pct = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const line = (what: string, xs: number[]) =>
	console.log(
		`kpi.summary ${what}: ${xs.length} requests, p50 ${pct(xs, 50).toFixed(1)} / p95 ${pct(xs, 95).toFixed(1)} / max ${Math.max(...xs).toFixed(1)} ms`
	);

let h = await health();
for (let i = 0; i < 2400 && !h; i++) {
	await new Promise((r) => setTimeout(r, 250));
	h = await health();
}
if (!h) throw new Error('the server did not become healthy');
const range = ((await (await fetch(`${base}/api/trpc/kpi.range`)).json()) as { result: { data: { max: string } } })
	.result.data;
const day = (d: string, add: number) => new Date(Date.parse(d) + add * 864e5).toISOString().slice(0, 10);
const inputs = [30, 90, 365].map((n) => ({ from: day(range.max, -n), to: range.max }));
const summary = (i: number) => time('kpi.summary', inputs[i % inputs.length]);

// While the start-up warm runs (it begins once the customer views are warm).
const during: number[] = [];
for (let s = h.forecasts; s !== 'ready' && s !== 'off' && s !== undefined; s = (await health())?.forecasts) {
	if (s === 'warming') during.push(await summary(during.length));
	else await new Promise((r) => setTimeout(r, 100));
}
if (during.length) line('while the forecast warm runs', during);

const idle: number[] = [];
for (let i = -5; i < 30; i++) {
	const t = await summary(i + 5);
	if (i >= 0) idle.push(t);
}
line('idle', idle);

// Daily forecasts are fitted on request: a few of the slowest KPIs, one after the other.
const fits: number[] = [];
const kpis = ['aht', 'firstResponse', 'csat', 'fcr', 'wait', 'volume'];
const asking = (async () => {
	for (const kpi of kpis) fits.push(await time('trends.forecast', { kpi, horizon: 4, interval: 'day' }));
})();
const meanwhile: number[] = [];
while (fits.length < kpis.length) meanwhile.push(await summary(meanwhile.length));
await asking;
line('while daily forecasts are fitted', meanwhile);
console.log(`daily forecasts fitted meanwhile: ${fits.map((t) => `${Math.round(t)} ms`).join(', ')}`);

proc.kill();
