/**
 * Why this exists: with a ClickHouse server any number of `npm run ingest:serve` workers may run side
 * by side (for availability), each scheduling every source of the same sources file. Two runs of one
 * source at once would both read the same cursor, both pass the loader's "already stored?" check for
 * the same records and store them twice — and each would take the other's unfinished run for a
 * crashed one. A per-source lease makes a source run in at most one worker at a time; a worker skips
 * a source leased by another live worker, and a lease whose worker died expires after its TTL.
 *
 * ClickHouse has no compare-and-swap, so the lease is an append-only log (`ingest_leases`: claim,
 * renew, release rows, timed by the server's clock) that every worker folds the same way
 * (`foldLease`): the earliest claim made while the source was free wins; later claims lose until the
 * holder releases or stops renewing. A claimant waits `settleMs` after writing its claim before
 * reading the log, so a rival claim written at nearly the same moment is visible to both and both
 * reach the same verdict. Assumption (documented): an insert becomes visible within `settleMs` of
 * the server stamping it, and the servers' clocks (on a cluster) agree to well within `settleMs`.
 * On a cluster, claims are quorum inserts read with sequential consistency (not yet verified
 * against a real cluster).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';

export type LeaseAction = 'claim' | 'renew' | 'release';

export interface LeaseRow {
	owner: string;
	action: LeaseAction;
	ttl_ms: number;
	/** Server time, epoch milliseconds (fractional). */
	at: number;
}

export interface LeaseState {
	holder: string | null;
	/** Epoch ms until which the holder's lease is valid. */
	expires: number;
}

/**
 * Replays a source's lease log (any order in, sorted here by time, then owner) into who holds it
 * at `now`. Pure: every worker gets the same answer from the same rows.
 */
export function foldLease(rows: LeaseRow[], now: number): LeaseState {
	const sorted = [...rows].sort(
		(a, b) => a.at - b.at || a.owner.localeCompare(b.owner) || a.action.localeCompare(b.action)
	);
	let holder: string | null = null;
	let expires = 0;
	for (const r of sorted) {
		if (holder !== null && r.at > expires) holder = null; // the holder stopped renewing
		if (r.action === 'release') {
			if (holder === r.owner) holder = null;
		} else if (holder === null || holder === r.owner) {
			// A claim, or a renewal (which also re-takes a lease that lapsed while nobody else took it).
			holder = r.owner;
			expires = r.at + r.ttl_ms;
		}
	}
	return holder !== null && now <= expires ? { holder, expires } : { holder: null, expires: 0 };
}

export interface LeaseOptions {
	/** How long a lease lasts without renewal (default 60 s). */
	ttlMs?: number;
	/** Wait between writing a claim and reading the verdict (default 1 s). */
	settleMs?: number;
	/** This worker's id (default host:pid:random). */
	owner?: string;
}

export interface Lease {
	source: string;
	owner: string;
	/** Writes a renewal; false when the lease was lost (expired and taken by another worker). */
	renew(): Promise<boolean>;
	release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LeaseManager {
	readonly owner: string;
	readonly ttlMs: number;
	readonly settleMs: number;

	constructor(
		private readonly db: Db,
		opts: LeaseOptions = {}
	) {
		this.owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
		this.ttlMs = opts.ttlMs ?? 60_000;
		this.settleMs = opts.settleMs ?? 1_000;
	}

	/** Who holds the source's lease now (server time), from its log. */
	async state(source: string): Promise<LeaseState> {
		const rs = await this.db.client.query({
			// On a cluster, read every quorum-written claim even from a lagging replica.
			clickhouse_settings: this.db.cluster ? { select_sequential_consistency: '1' } : undefined,
			// Only the recent log matters: anything older than a day has expired (TTLs are minutes).
			query: `SELECT owner, action, ttl_ms, toUnixTimestamp64Micro(at) / 1000 AS at,
				toUnixTimestamp64Micro(now64(6)) / 1000 AS now
				FROM ingest_leases WHERE source = {source:String} AND at > now64(6) - INTERVAL 1 DAY`,
			query_params: { source },
			format: 'JSONEachRow'
		});
		const rows = await rs.json<{
			owner: string;
			action: LeaseAction;
			ttl_ms: number | string;
			at: number;
			now: number;
		}>();
		const now = rows.length ? Number(rows[0]!.now) : 0;
		return foldLease(
			rows.map((r) => ({ owner: r.owner, action: r.action, ttl_ms: Number(r.ttl_ms), at: Number(r.at) })),
			now
		);
	}

	private async write(source: string, action: LeaseAction): Promise<void> {
		// `at` is left to the server's DEFAULT now64(6): one clock for every worker.
		await this.db.client.insert({
			// On a cluster the claim is acknowledged by a majority of the shard's replicas before the
			// settle wait starts, so a rival reading any replica sees it (select_sequential_consistency).
			clickhouse_settings: this.db.cluster
				? ({ insert_quorum: 'auto', insert_quorum_parallel: 0 } as Record<string, string | number>)
				: undefined,
			table: 'ingest_leases',
			values: [{ source, owner: this.owner, action, ttl_ms: this.ttlMs }],
			format: 'JSONEachRow'
		});
	}

	/**
	 * Takes the source's lease, or returns undefined when another live worker holds it (or won the
	 * race for it). A worker that already holds it gets it again (renewed).
	 */
	async acquire(source: string): Promise<Lease | undefined> {
		const before = await this.state(source);
		if (before.holder !== null && before.holder !== this.owner) return undefined;
		await this.write(source, 'claim');
		await sleep(this.settleMs);
		const after = await this.state(source);
		if (after.holder !== this.owner) return undefined;
		return {
			source,
			owner: this.owner,
			renew: async () => {
				await this.write(source, 'renew');
				return (await this.state(source)).holder === this.owner;
			},
			release: () => this.write(source, 'release')
		};
	}

	/**
	 * Runs `fn` under the source's lease, renewing it every third of its TTL; undefined (fn not
	 * called) when another worker holds it. The lease is released when fn settles.
	 */
	async withLease<T>(
		source: string,
		fn: () => Promise<T>,
		log: (line: string) => void = () => undefined
	): Promise<T | undefined> {
		const lease = await this.acquire(source);
		if (!lease) return undefined;
		// The renewal being written, if any: the release waits for it — a renewal landing after the
		// release would take the lease back for a whole TTL (renewals re-take a free lease).
		let renewing: Promise<unknown> | undefined;
		const timer = setInterval(
			() => {
				if (renewing) return;
				renewing = lease
					.renew()
					.then((ok) => ok || log(`${source}: lease lost (renewal came after it expired); the run goes on`))
					.catch((err: Error) => log(`${source}: lease renewal failed: ${err.message}`))
					.finally(() => (renewing = undefined));
			},
			Math.max(10, Math.floor(this.ttlMs / 3))
		);
		timer.unref?.();
		try {
			return await fn();
		} finally {
			clearInterval(timer);
			await renewing;
			await lease.release().catch(() => undefined);
		}
	}
}
