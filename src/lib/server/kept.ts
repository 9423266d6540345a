/**
 * Why this exists: the one mechanism behind every kept answer — the API's (trpc/answer-cache.ts)
 * and the queries' own (`cached` below: customer portraits, the journey assessment).
 * An answer depends only on the stored data, the settings and the input, so it is kept per data
 * version: the row counts of the tables dashboards read (count() reads table metadata only).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { baseClient } from '$db/client';
import { env } from '$db/env';

/** Answers live at most this long: counts do not see rows re-scored in place by another process. */
export const KEEP_MS = 5 * 60_000;
/** How long a perSecond read is shared. */
const READ_MS = 1_000;

/**
 * Changes whenever interactions, customers or orders are added (churn features read orders too);
 * exact, read on every call (churn refresh).
 */
export async function dataVersion(client: ClickHouseClient): Promise<string> {
	const rs = await client.query({
		query:
			'SELECT (SELECT count() FROM interactions) AS i, (SELECT count() FROM customers) AS c, (SELECT count() FROM orders) AS o',
		format: 'JSONEachRow'
	});
	const [r] = await rs.json<{ i: string; c: string; o: string }>();
	return `${r?.i ?? 0}:${r?.c ?? 0}:${r?.o ?? 0}`;
}

/**
 * A read that changes only with the data or an edit and that every request of a burst needs (the
 * data version, the reason dictionary, the complaint-flagging sources, the trend range): shared by
 * every caller within a second, per database and key. A failed read is not kept.
 */
export function perSecond<T>(read: (client: ClickHouseClient, key: string) => Promise<T>) {
	const kept = new WeakMap<ClickHouseClient, Map<string, { at: number; value: Promise<T> }>>();
	return {
		get(request: ClickHouseClient, key = '', now = Date.now()): Promise<T> {
			const client = baseClient(request);
			let byKey = kept.get(client);
			if (!byKey) kept.set(client, (byKey = new Map()));
			const hit = byKey.get(key);
			if (hit && now - hit.at <= READ_MS) return hit.value;
			const value = read(client, key);
			byKey.set(key, { at: now, value });
			value.catch(() => byKey.delete(key));
			return value;
		},
		/** After an edit: the next read sees it. */
		forget(request: ClickHouseClient): void {
			kept.delete(baseClient(request));
		}
	};
}

const versions = perSecond((client) => dataVersion(client));

/**
 * The version kept answers are keyed by: dataVersion, read at most once a second per database (a
 * burst of dashboard calls shares one read; an ingest is seen within a second).
 */
export function keptVersion(request: ClickHouseClient): Promise<string> {
	return versions.get(request);
}

/** Promises of answers by key, most recently used last, dropped after KEEP_MS or beyond `max`. */
export class KeptAnswers {
	private entries = new Map<string, { at: number; value: Promise<unknown> }>();
	constructor(private readonly max: number) {}

	/** The kept answer for `key`, or `compute()`'s — dropped again if it fails or `keep` says no. */
	get<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
		const now = Date.now();
		const hit = this.entries.get(key);
		if (hit && now - hit.at <= KEEP_MS) {
			this.entries.delete(key);
			this.entries.set(key, hit);
			return hit.value as Promise<T>;
		}
		const value = compute();
		this.entries.set(key, { at: now, value });
		value.then(
			(v) => {
				if (!keep(v)) this.entries.delete(key);
			},
			() => this.entries.delete(key)
		);
		while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}

	clear(): void {
		this.entries.clear();
	}
}

/**
 * Kept answers per database, at most `max` each: two databases in one process (tests, the cluster
 * comparison) never share answers.
 */
export function perDatabase(max: number): (client: ClickHouseClient) => KeptAnswers {
	const byClient = new WeakMap<ClickHouseClient, KeptAnswers>();
	return (request) => {
		const client = baseClient(request);
		let answers = byClient.get(client);
		if (!answers) byClient.set(client, (answers = new KeptAnswers(max)));
		return answers;
	};
}

const queryAnswers = perDatabase(200);

/**
 * A query's own kept answer, per (data version, key). For answers that are costly and asked again
 * with the same few inputs: the customer portraits (segments, needs, signals — a rule-defined set of
 * customers scattered over every granule of customer_monthly, slow to read cold) and
 * the journey assessment (the map, the pain-point list and each pain point's page of one filter).
 * `TOUCHMAP_ANSWER_CACHE=0` turns these off too (the bench's "computed").
 */
export async function cached<T>(client: ClickHouseClient, key: unknown[], compute: () => Promise<T>): Promise<T> {
	if (!env().TOUCHMAP_ANSWER_CACHE) return compute();
	return queryAnswers(client).get(JSON.stringify([await keptVersion(client), ...key]), compute);
}

/** Drops a database's kept query answers: for rows rewritten in place, which no count sees. */
export function forgetKept(client: ClickHouseClient): void {
	queryAnswers(client).clear();
}
