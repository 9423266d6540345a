/**
 * Why this exists: a dashboard asks the same few questions over and over — every user opening the
 * journey map for the last 90 days asks exactly what the previous one asked — and an answer depends
 * only on the stored data, the settings and the input. The embedded engine runs parameterised
 * queries one at a time (chdb's binding serialises them process-wide), so without this, many people
 * browsing at once queue behind each other's identical queries. Answers of the dashboard areas'
 * queries (the `cachedQuery` procedures) are kept per (data version, settings epoch, role,
 * procedure, input):
 * - the data version changes with every insert into interactions, customers or orders (metadata
 *   counts, read at most once a second), so an ingest is seen within a second;
 * - any successful mutation (settings, rules, ROI assumptions, targets, …) starts a new epoch;
 * - an answer is kept at most five minutes, which bounds what no count sees (another process
 *   re-scoring texts in place, the churn model's daily refresh).
 * Only calls that come over HTTP are cached: in-process callers (tests, jobs) always compute.
 * `TOUCHMAP_ANSWER_CACHE=0` turns it off (the bench measures computed answers that way).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { env } from '$db/env';
import { keptVersion, perDatabase } from '../kept';

const kept = perDatabase(500);
let epoch = 0;

/** Off with TOUCHMAP_ANSWER_CACHE=0. */
export function answersKept(): boolean {
	return env().TOUCHMAP_ANSWER_CACHE;
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
	const k = JSON.stringify([await keptVersion(client), epoch, key.role, key.path, key.input]);
	return kept(client).get(k, compute, (r) => r.ok);
}

/** A mutation succeeded: every kept answer may be out of date (the old epoch's are never asked
 * for again and age out). */
export function newEpoch(): void {
	epoch++;
}
