/**
 * Why this exists: the long-lived part of the ingest service. Each pull source runs at its interval
 * from its persisted cursor; one run per source at a time; a source that keeps failing is paused
 * (its error stays visible) while the others go on. The same scheduler runs inside `npm start` (when
 * TOUCHMAP_SOURCES is set) or in `npm run ingest:serve` — whichever process owns the database.
 */
import { notifyIngested } from './after-run';
import { scheduleReasonDiscovery } from './reasons-schedule';
import type { Db } from '../../db/client';
import type { Source } from './config';
import { LeaseManager } from './lease';
import { runSource, type RunSummary } from './runner';
import { readStatus, readStatuses, writeStatus } from './state';

interface Counters {
	runs: number;
	failures: number;
	records: number;
	rejected: number;
	duplicates: number;
	lastRunSeconds: number;
	running: boolean;
}

export class Scheduler {
	private timers = new Map<string, NodeJS.Timeout>();
	private running = new Map<string, Promise<RunSummary | undefined>>();
	private counters = new Map<string, Counters>();
	private stopped = false;

	constructor(
		private readonly db: Db,
		readonly sources: Source[],
		private readonly log: (line: string) => void = (l) => console.log(`ingest: ${l}`),
		/**
		 * Per-source leases, so several workers on one ClickHouse never run a source at once. On by
		 * default with a ClickHouse server; an embedded database has one owner process, so none needed.
		 */
		private readonly leases: LeaseManager | undefined = db.kind === 'remote' ? new LeaseManager(db) : undefined
	) {
		for (const s of sources)
			this.counters.set(s.name, {
				runs: 0,
				failures: 0,
				records: 0,
				rejected: 0,
				duplicates: 0,
				lastRunSeconds: 0,
				running: false
			});
	}

	get(name: string): Source | undefined {
		return this.sources.find((s) => s.name === name);
	}

	/** Starts every enabled pull source now, then at its interval; and contact-reason discovery. */
	start(): void {
		this.stopped = false;
		for (const s of this.sources) if (s.enabled && s.kind !== 'webhook') this.schedule(s, 0);
		this.reasonTimer = scheduleReasonDiscovery(this.db, (fn) => this.exclusive(fn), this.log);
	}

	private reasonTimer: { stop(): void } | undefined;
	private holding: Promise<unknown> | null = null;

	/**
	 * Runs `fn` with no source running (runs in progress finish first; new ones wait): work that
	 * rewrites stored months, such as assigning every stored text a reason again, must not race an
	 * insert into those months.
	 */
	async exclusive<T>(fn: () => Promise<T>): Promise<T> {
		while (this.holding) await this.holding.catch(() => undefined);
		const p = (async () => {
			await Promise.allSettled([...this.running.values()]);
			return fn();
		})();
		this.holding = p;
		try {
			return await p;
		} finally {
			this.holding = null;
		}
	}

	private schedule(s: Source, delayMs: number): void {
		if (this.stopped) return;
		clearTimeout(this.timers.get(s.name));
		const t = setTimeout(async () => {
			await this.runNow(s.name).catch(() => undefined);
			this.schedule(s, s.interval * 1000);
		}, delayMs);
		t.unref?.();
		this.timers.set(s.name, t);
	}

	/**
	 * Runs a source once unless it is paused or already running (then joins that run). Errors are
	 * recorded in the source's status and rethrown.
	 */
	async runNow(name: string, { force = false } = {}): Promise<RunSummary | undefined> {
		const s = this.get(name);
		if (!s) throw new Error(`no source named ${name}`);
		const current = this.running.get(name);
		if (current) return current;
		while (this.holding) await this.holding.catch(() => undefined);
		const c = this.counters.get(name)!;
		const p = (async () => {
			if (!force && (await readStatus(this.db, name, s.kind)).paused) return undefined;
			c.running = true;
			try {
				const r = this.leases
					? await this.leases.withLease(name, () => runSource(this.db, s), this.log)
					: await runSource(this.db, s);
				if (!r) return undefined; // another worker holds this source's lease: its run, not ours
				c.runs++;
				c.records += r.accepted;
				c.rejected += r.rejected;
				c.duplicates += r.duplicates;
				c.lastRunSeconds = r.seconds;
				if (r.accepted || r.rejected)
					this.log(`${name}: ${r.accepted} new, ${r.rejected} quarantined, ${r.duplicates} already stored`);
				if (r.accepted) notifyIngested(name, r.accepted);
				return r;
			} catch (err) {
				c.runs++;
				c.failures++;
				this.log(`${name}: run failed: ${(err as Error).message}`);
				throw err;
			} finally {
				c.running = false;
				this.running.delete(name);
			}
		})();
		this.running.set(name, p);
		return p;
	}

	async pause(name: string): Promise<void> {
		const s = await readStatus(this.db, name, this.get(name)?.kind ?? '');
		await writeStatus(this.db, { ...s, paused: true, state: 'paused' });
	}

	/** Resumes a paused source (its failure count starts again) and runs it soon. */
	async resume(name: string): Promise<void> {
		const s = await readStatus(this.db, name, this.get(name)?.kind ?? '');
		await writeStatus(this.db, { ...s, paused: false, failures: 0, state: 'idle' });
		const src = this.get(name);
		if (src && !this.stopped && src.kind !== 'webhook') this.schedule(src, 0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.reasonTimer?.stop();
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
		await Promise.allSettled([...this.running.values()]);
	}

	/** Prometheus text exposition: records, errors and lag per source. */
	async metrics(now = Date.now()): Promise<string> {
		const statuses = await readStatuses(this.db);
		const lines: string[] = [];
		const metric = (name: string, type: string, help: string, values: [string, number][]) => {
			lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
			for (const [source, v] of values) lines.push(`${name}{source="${source.replace(/["\\\n]/g, '_')}"} ${v}`);
		};
		const each = (f: (s: Source) => number | undefined) =>
			this.sources.flatMap((s): [string, number][] => {
				const v = f(s);
				return v === undefined || !Number.isFinite(v) ? [] : [[s.name, v]];
			});
		const st = (s: Source) => statuses.get(s.name);
		metric(
			'touchmap_ingest_records_total',
			'counter',
			'Records stored from the source.',
			each((s) => st(s)?.records_total ?? 0)
		);
		metric(
			'touchmap_ingest_rejected_total',
			'counter',
			'Records quarantined.',
			each((s) => st(s)?.rejected_total ?? 0)
		);
		metric(
			'touchmap_ingest_errors_total',
			'counter',
			'Failed runs.',
			each((s) => st(s)?.errors_total ?? 0)
		);
		metric(
			'touchmap_ingest_runs_total',
			'counter',
			'Runs by this process.',
			each((s) => this.counters.get(s.name)?.runs)
		);
		metric(
			'touchmap_ingest_lag_seconds',
			'gauge',
			'Seconds between now and the newest record stored.',
			each((s) => {
				const n = st(s)?.newest_record;
				return n ? Math.max(0, (now - Date.parse(n)) / 1000) : undefined;
			})
		);
		metric(
			'touchmap_ingest_last_success_timestamp_seconds',
			'gauge',
			'When the last successful run finished.',
			each((s) => {
				const t = st(s)?.last_ok_at;
				return t ? Date.parse(t) / 1000 : undefined;
			})
		);
		metric(
			'touchmap_ingest_paused',
			'gauge',
			'1 when the source is paused.',
			each((s) => (st(s)?.paused ? 1 : 0))
		);
		metric(
			'touchmap_ingest_running',
			'gauge',
			'1 while a run is in progress.',
			each((s) => (this.counters.get(s.name)?.running ? 1 : 0))
		);
		return lines.join('\n') + '\n';
	}
}
