/**
 * Why this exists: measures what the pool of embedded connections (db/pool.ts) changes, on a bench
 * data directory (`npx tsx bench/parallel.ts bench/.data/10000000/db`; no server may hold it).
 * 50 distinct questions at once — 45 short (channels over 30 days), 5 long (distinct customers per
 * stage over most of the range) — on (A) one chdb connection with bound values and (B) a pool of 5
 * connections with values written as literals, alternated three times in one process so that the
 * machine's other load falls on both alike.
 */
import { createClient } from '@clickhouse/client';
import { ChdbPool } from '../db/pool';
process.env.JE_MALLOC_CONF ??= 'percpu_arena:disabled,narenas:1';
const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx bench/parallel.ts <data directory, e.g. bench/.data/10000000/db>');
const { createChdbConnection } = await import('chdb/connection');
const settings = { max_execution_time: 0, max_memory_usage: '0' };
const single = createClient({
	connection: createChdbConnection({ path: dir }) as never,
	clickhouse_settings: settings
});
const pool = new ChdbPool(Array.from({ length: 5 }, () => createChdbConnection({ path: dir })) as never);
const pooled = createClient({ connection: pool.connection(), clickhouse_settings: settings });
await single.command({ query: 'USE touchmap' });
await pool.broadcast('USE touchmap');
const SHORT =
	'SELECT channel, count() AS n, avg(is_complaint) AS c FROM interactions WHERE ts >= {from:DateTime64(3)} AND ts < {from:DateTime64(3)} + INTERVAL 30 DAY AND channel IN {ch:Array(String)} GROUP BY channel';
const LONG =
	'SELECT stage, uniqExact(customer_id) AS u FROM interactions WHERE ts >= {from:DateTime64(3)} AND is_complaint = {c:UInt8} GROUP BY stage';
const chans = [['phone'], ['chat'], ['email'], ['chat', 'email'], ['phone', 'chat']];
let round = 0;
async function burst(client: typeof single) {
	round++;
	const base = Date.UTC(2024, 0, 1);
	const qs = Array.from({ length: 50 }, (_, i) =>
		i % 10 === 0
			? {
					kind: 'long',
					query: LONG,
					query_params: { from: new Date(base - (round * 50 + i) * 3_600_000), c: i % 20 === 0 ? 1 : 0 }
				}
			: {
					kind: 'short',
					query: SHORT,
					query_params: { from: new Date(base + ((round * 50 + i) * 86_400_000) / 7), ch: chans[i % 5] }
				}
	);
	const t0 = performance.now();
	const times = await Promise.all(
		qs.map(async (q) => {
			const s = performance.now();
			await (await client.query({ query: q.query, query_params: q.query_params, format: 'JSONEachRow' })).json();
			return { kind: q.kind, ms: performance.now() - s };
		})
	);
	const pct = (xs: number[], p: number) =>
		[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
	const short = times.filter((t) => t.kind === 'short').map((t) => t.ms);
	const long = times.filter((t) => t.kind === 'long').map((t) => t.ms);
	return `all 50 answered in ${(performance.now() - t0).toFixed(0)} ms; short p50 ${pct(short, 50).toFixed(0)} p95 ${pct(short, 95).toFixed(0)} ms; long p50 ${pct(long, 50).toFixed(0)} ms`;
}
await burst(pooled); // warm the page cache
for (let r = 0; r < 3; r++) {
	console.log(`A one connection, bound values: ${await burst(single)}`);
	console.log(`B pool of 5, literal values:    ${await burst(pooled)}`);
}
await single.close();
await pooled.close();
