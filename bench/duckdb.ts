/**
 * Why this exists: how Touchmap compares with what a user would otherwise build —
 * DuckDB over the same interactions with straightforward SQL. The same data (exported from
 * Touchmap's ClickHouse to Parquet once per scale) is loaded into a DuckDB database file, and the
 * journey-map, KPI-trend and path questions are asked of both with the same inputs (date range,
 * channel set) in the same run: Touchmap through its tRPC endpoint over HTTP (serialisation and
 * validation included), DuckDB in-process (results fully read). Before timing, the answers are
 * compared (interactions per stage, per trend bucket; customers and the top path) so the
 * comparison is between equal answers.
 *
 * The DuckDB table holds every column of `interactions` except the free text and the attributes
 * map (none of the questions reads them; leaving them out only makes DuckDB faster).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetFile } from './export-parquet';

export type Filter = { from: string; to: string; channels?: string[] };

const UNRESOLVED = "('unresolved', 'escalated', 'transferred', 'abandoned')";

const where = (f: Filter) => {
	const ch = (f.channels ?? []).filter((c) => /^[a-z_]+$/.test(c));
	return `ts >= DATE '${f.from}' AND ts < DATE '${f.to}' + INTERVAL 1 DAY${
		ch.length ? ` AND channel IN (${ch.map((c) => `'${c}'`).join(', ')})` : ''
	}`;
};
const day = (d: string, add: number) => new Date(Date.parse(d) + add * 86_400_000).toISOString().slice(0, 10);

/** The journey map: measures per stage/touchpoint/channel, touchpoint, stage and total, this period and the one before. */
export function journeyMapSql(f: Filter): string {
	const len = Math.round((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000) + 1;
	const prev = { ...f, from: day(f.from, -len), to: day(f.from, -1) };
	const measures = `count(*) AS interactions,
    count(DISTINCT customer_id) FILTER (WHERE customer_id <> '') AS customers,
    sum(is_complaint) AS complaints,
    avg(csat_10) AS csat,
    avg(CASE WHEN csat_10 IS NOT NULL THEN (csat_10 <= 4)::INT END) AS low_csat_rate,
    avg(sentiment) AS sentiment,
    avg(CASE WHEN sentiment IS NOT NULL THEN (sentiment < -0.25)::INT END) AS neg_sentiment_rate,
    avg(fcr) AS fcr,
    avg(handle_s) AS avg_handle_s,
    avg(CASE WHEN outcome <> '' THEN (outcome IN ${UNRESOLVED})::INT END) AS unresolved_rate`;
	return `WITH cur AS (
  SELECT stage, touchpoint, channel, ${measures}
  FROM interactions WHERE ${where(f)}
  GROUP BY GROUPING SETS ((stage, touchpoint, channel), (stage, touchpoint), (stage), ())
), prev AS (
  SELECT stage, touchpoint, count(*) AS interactions, sum(is_complaint) AS complaints, avg(csat_10) AS csat, avg(sentiment) AS sentiment
  FROM interactions WHERE ${where(prev)}
  GROUP BY GROUPING SETS ((stage, touchpoint), (stage))
)
SELECT cur.*, prev.interactions AS prev_interactions, prev.complaints AS prev_complaints,
       prev.csat AS prev_csat, prev.sentiment AS prev_sentiment
FROM cur LEFT JOIN prev ON cur.stage IS NOT DISTINCT FROM prev.stage AND cur.touchpoint IS NOT DISTINCT FROM prev.touchpoint
  AND cur.channel IS NULL`;
}

/** KPIs per week or month (weeks start on Monday, as in Touchmap). */
export function kpiTrendSql(f: Filter, interval: 'week' | 'month'): string {
	return `SELECT strftime(date_trunc('${interval}', ts), '%Y-%m-%d') AS bucket,
    count(*) AS interactions,
    count(DISTINCT customer_id) FILTER (WHERE customer_id <> '') AS customers,
    avg(csat_10) AS csat, avg(fcr) AS fcr, avg(handle_s) AS avg_handle_s,
    sum(is_complaint) AS complaints, avg(sentiment) AS sentiment
FROM interactions WHERE ${where(f)}
GROUP BY 1 ORDER BY 1`;
}

/** Paths: each customer's stages in time order, repeats collapsed, first `depth` steps; channels used. */
export function pathsSql(f: Filter, depth: number): string {
	return `WITH steps AS (
  SELECT customer_id, ts, stage, channel, lag(stage) OVER (PARTITION BY customer_id ORDER BY ts) AS prev
  FROM interactions WHERE ${where(f)} AND customer_id <> '' AND stage <> ''
), per AS (
  SELECT customer_id, list(stage ORDER BY ts) FILTER (WHERE prev IS NULL OR prev <> stage) AS seq,
         count(DISTINCT channel) AS channels
  FROM steps GROUP BY customer_id
)
SELECT seq[1:${depth}] AS path, least(channels, 3) AS channels, count(*) AS customers
FROM per GROUP BY ALL ORDER BY customers DESC`;
}

/** Opens (and on first use builds) the DuckDB file from the Parquet export. */
export async function openDuckDb(
	parquetDir: string,
	dbFile: string
): Promise<{ conn: DuckDBConnection; loadSeconds?: number; close(): void }> {
	let loadSeconds: number | undefined;
	if (!existsSync(dbFile)) {
		const tmp = `${dbFile}.tmp`;
		rmSync(tmp, { force: true });
		rmSync(`${tmp}.wal`, { force: true });
		const t0 = Date.now();
		const inst = await DuckDBInstance.create(tmp);
		const c = await inst.connect();
		await c.run("SET TimeZone = 'UTC'");
		// Parquet timestamps are UTC instants; stored as plain TIMESTAMP in UTC, dates compare as UTC days.
		await c.run(
			`CREATE TABLE interactions AS SELECT * EXCLUDE (text, attributes) REPLACE (ts::TIMESTAMP AS ts)
			 FROM read_parquet('${parquetFile(parquetDir, 'interactions')}')`
		);
		await c.run('CHECKPOINT');
		c.closeSync();
		inst.closeSync();
		renameSync(tmp, dbFile);
		loadSeconds = (Date.now() - t0) / 1000;
	}
	const inst = await DuckDBInstance.create(dbFile);
	const conn = await inst.connect();
	await conn.run("SET TimeZone = 'UTC'");
	return {
		conn,
		loadSeconds,
		close() {
			conn.closeSync();
			inst.closeSync();
		}
	};
}

export interface Question {
	name: string;
	endpoint: string;
	touchmapInput: (i: number) => unknown;
	duckSql: (i: number) => string;
	/** Compares the two answers for input i; returns '' when they agree, else what differs. */
	check: (touchmap: unknown, duck: Record<string, unknown>[]) => string;
}

export interface ComparisonFigure {
	question: string;
	endpoint: string;
	touchmap: { p50: number; p95: number };
	duckdb: { p50: number; p95: number };
	/** Touchmap p50 / DuckDB p50: below 1 means Touchmap is faster. */
	ratio: number;
	agree: string;
}

const num = (x: unknown) => Number(x ?? 0);

/** The three questions, with inputs from the bench's varied filter. */
export function questions(filter: (i: number) => Filter): Question[] {
	return [
		{
			name: 'journey map',
			endpoint: 'journey.map',
			touchmapInput: (i) => ({ ...filter(i), segment: 'all' }),
			duckSql: (i) => journeyMapSql(filter(i)),
			check(tm, duck) {
				const stages = (tm as { stageCells: { stage: string; interactions: number }[] }).stageCells;
				const diffs = stages
					.filter((s) => s.stage !== '')
					.map((s) => {
						const d = duck.find((r) => r.stage === s.stage && r.touchpoint === null && r.channel === null);
						return num(d?.interactions) === s.interactions
							? ''
							: `${s.stage}: ${s.interactions} vs ${num(d?.interactions)}`;
					})
					.filter(Boolean);
				return diffs.length ? `interactions per stage differ (${diffs.slice(0, 3).join('; ')})` : '';
			}
		},
		{
			name: 'KPI trend',
			endpoint: 'kpi.trend',
			touchmapInput: (i) => ({ ...filter(i), interval: i % 2 ? 'month' : 'week' }),
			duckSql: (i) => kpiTrendSql(filter(i), i % 2 ? 'month' : 'week'),
			check(tm, duck) {
				const rows = (tm as { bucket: string; interactions: number }[]).filter((r) => r.interactions > 0);
				const byBucket = new Map(duck.map((r) => [String(r.bucket), num(r.interactions)]));
				const bad = rows.filter((r) => byBucket.get(r.bucket) !== r.interactions);
				return bad.length || rows.length !== duck.length
					? `interactions per bucket differ in ${bad.length} of ${rows.length} buckets (${duck.length} in DuckDB)`
					: '';
			}
		},
		{
			name: 'paths',
			endpoint: 'journey.paths',
			touchmapInput: (i) => ({ ...filter(i), segment: 'all', depth: 4, level: 'stage' }),
			duckSql: (i) => pathsSql(filter(i), 4),
			check(tm, duck) {
				const t = tm as { sampled: number; customers: number; topPaths: { path: string[]; customers: number }[] };
				const total = duck.reduce((a, r) => a + num(r.customers), 0);
				// Touchmap reads a uniform sample of customers above 400k contacts and scales up.
				const tolerance = t.sampled < 1 ? 0.05 : 0;
				const off = Math.abs(t.customers - total) / Math.max(1, total);
				if (off > tolerance) return `customers ${t.customers} vs ${total}`;
				const top = new Map<string, number>();
				for (const r of duck) {
					const k = (r.path as string[]).join(' > ');
					top.set(k, (top.get(k) ?? 0) + num(r.customers));
				}
				const duckTop = [...top.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
				return t.topPaths[0] && t.topPaths[0].path.join(' > ') !== duckTop
					? `top path ${t.topPaths[0].path.join(' > ')} vs ${duckTop}`
					: '';
			}
		}
	];
}

const pct = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * Asks each question `requests` times of both (inputs varied by i; 3 warm-up rounds each first),
 * alternating Touchmap and DuckDB per request so both see the same machine load.
 */
export async function runDuckDbComparison(opts: {
	conn: DuckDBConnection;
	filter: (i: number) => Filter;
	query: <T>(name: string, input?: unknown) => Promise<T>;
	requests: number;
}): Promise<ComparisonFigure[]> {
	const out: ComparisonFigure[] = [];
	const duck = async (sql: string) =>
		(await opts.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
	for (const q of questions(opts.filter)) {
		// Agreement on the whole range with no channel filter, and on the first varied input.
		const problems: string[] = [];
		for (const i of [3, 1]) {
			const p = q.check(await opts.query(q.endpoint, q.touchmapInput(i)), await duck(q.duckSql(i)));
			if (p) problems.push(p);
		}
		const tm: number[] = [];
		const dd: number[] = [];
		for (let i = -3; i < opts.requests; i++) {
			const k = i + 3;
			let t0 = performance.now();
			await opts.query(q.endpoint, q.touchmapInput(k));
			if (i >= 0) tm.push(performance.now() - t0);
			t0 = performance.now();
			await duck(q.duckSql(k));
			if (i >= 0) dd.push(performance.now() - t0);
		}
		const touchmap = { p50: pct(tm, 50), p95: pct(tm, 95) };
		const duckdb = { p50: pct(dd, 50), p95: pct(dd, 95) };
		out.push({
			question: q.name,
			endpoint: q.endpoint,
			touchmap,
			duckdb,
			ratio: touchmap.p50 / duckdb.p50,
			agree: problems.length ? problems.join('; ') : 'yes'
		});
	}
	return out;
}

export function printComparison(rows: ComparisonFigure[], loadSeconds?: number): void {
	console.log('\nSide by side: Touchmap (tRPC over HTTP) vs DuckDB (SQL over the raw interactions, in-process), warm');
	if (loadSeconds !== undefined) console.log(`(DuckDB database built from Parquet in ${loadSeconds.toFixed(1)} s)`);
	console.log('question        Touchmap p50/p95 ms   DuckDB p50/p95 ms   Touchmap/DuckDB   answers agree');
	for (const r of rows) {
		const pair = (x: { p50: number; p95: number }) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}`;
		console.log(
			`${r.question.padEnd(15)} ${pair(r.touchmap).padStart(19)} ${pair(r.duckdb).padStart(19)} ${r.ratio.toFixed(2).padStart(17)}   ${r.agree}`
		);
	}
}
