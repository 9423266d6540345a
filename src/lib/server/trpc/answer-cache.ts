/**
 * Why this exists: a dashboard asks the same few questions over and over — every user opening the
 * journey map for the last 90 days asks exactly what the previous one asked — and an answer depends
 * only on the stored data, the settings and the input. The embedded engine runs parameterised
 * queries one at a time (chdb's binding serialises them process-wide), so without this, 50 people
 * browsing at once queue behind each other's identical queries. Answers of the dashboard areas'
 * queries are kept per (data version, settings epoch, role, procedure, input):
 * - the data version changes with every insert into interactions, customers or orders (metadata
 *   counts, read at most once a second), so an ingest is seen within a second;
 * - any successful mutation (settings, rules, ROI assumptions, targets, …) starts a new epoch;
 * - an answer is kept at most five minutes, which bounds what no count sees (another process
 *   re-scoring texts in place, the churn model's daily refresh).
 * Only calls that come over HTTP are cached: in-process callers (tests, jobs) always compute.
 * `TOUCHMAP_ANSWER_CACHE=0` turns it off (the bench measures computed answers that way).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { env } from '../env';

/** Areas whose query answers are a function of data, settings and input alone. */
export const CACHED_AREAS = new Set(['journey', 'painPoints', 'kpi', 'trends', 'roi', 'customers', 'text']);
const MAX_ENTRIES = 500;
const TTL_MS = 5 * 60_000;
const VERSION_MS = 1_000;

const entries = new Map<string, { at: number; result: Promise<unknown> }>();
let epoch = 0;
let version: { at: number; client: ClickHouseClient; value: Promise<string> } | undefined;

/** Changes whenever rows are added to the tables dashboards read (count() reads metadata only). */
function dataVersion(client: ClickHouseClient, now: number): Promise<string> {
	if (!version || version.client !== client || now - version.at > VERSION_MS) {
		const value = client
			.query({
				query:
					'SELECT (SELECT count() FROM interactions) AS i, (SELECT count() FROM customers) AS c, (SELECT count() FROM orders) AS o',
				format: 'JSONEachRow'
			})
			.then((rs) => rs.json<{ i: string; c: string; o: string }>())
			.then(([r]) => `${r?.i}:${r?.c}:${r?.o}`);
		version = { at: now, client, value };
		value.catch(() => (version = undefined));
	}
	return version.value;
}

export function isCached(path: string, type: string): boolean {
	return env().TOUCHMAP_ANSWER_CACHE && type === 'query' && CACHED_AREAS.has(path.slice(0, path.indexOf('.')));
}

/**
 * The kept answer for this call, or `compute()`'s (kept if it succeeds). `compute` returns tRPC's
 * middleware result: a failed one (`ok: false`) is returned but never kept.
 */
export async function answer<T extends { ok: boolean }>(
	client: ClickHouseClient,
	key: { role: string; path: string; input: unknown },
	compute: () => Promise<T>
): Promise<T> {
	const now = Date.now();
	const k = JSON.stringify([await dataVersion(client, now), epoch, key.role, key.path, key.input]);
	const hit = entries.get(k);
	if (hit && now - hit.at < TTL_MS) {
		// Most recently used last, so the oldest entry is the first to go.
		entries.delete(k);
		entries.set(k, hit);
		return hit.result as Promise<T>;
	}
	const result = compute();
	entries.set(k, { at: now, result });
	result.then(
		(r) => {
			if (!r.ok) entries.delete(k);
		},
		() => entries.delete(k)
	);
	while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	return result;
}

/** A mutation succeeded: every kept answer may be out of date. */
export function newEpoch(): void {
	epoch++;
	entries.clear();
}
