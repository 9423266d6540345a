/**
 * Why this exists: what every step of one SQL-path run shares — the database, the file and its
 * mapping, the run's tables (all dropped when it ends) and the step timer — passed to each step
 * instead of living in module state, so two runs in one process never share a timer.
 */
import type { Db } from '../../../db/client';
import type { Mapping } from '../../../schemas/mapping';

/** Wall and CPU seconds of each step (the bench prints them; TOUCHMAP_INGEST_TRACE=1 to stderr too). */
export type StepTimes = Record<string, { seconds: number; cpuSeconds: number }>;

export interface StepTimer {
	/** Ends the step named: its time is from the previous step's end (or the timer's start). */
	step(name: string): void;
	readonly times: StepTimes;
}

export function stepTimer(trace = process.env.TOUCHMAP_INGEST_TRACE === '1'): StepTimer {
	const times: StepTimes = {};
	let last = performance.now();
	let lastCpu = process.cpuUsage();
	return {
		times,
		step(name) {
			const now = performance.now();
			const cpu = process.cpuUsage(lastCpu);
			const t = { seconds: (now - last) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
			times[name] = t;
			if (trace)
				process.stderr.write(
					`sql path: ${name} ${t.seconds.toFixed(2)} s, cpu ${t.cpuSeconds.toFixed(2)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`
				);
			last = now;
			lastCpu = process.cpuUsage();
		}
	};
}

/** The tables of one run: the stage and the lookups its inserts read, all dropped when it ends. */
export function runTables(runId: string) {
	const stage = `_sqlpath_${runId.replace(/[^A-Za-z0-9]/g, '')}`;
	return {
		stage,
		/** Identity answers by identifier key (ID_KEY). */
		idk: `${stage}_id`,
		/** Text-analysis and journey-rule answers by input key (enrichKey). */
		enr: `${stage}_en`,
		/** The distinct enrichment inputs, each with the first month it occurs in. */
		inputs: `${stage}_in`,
		/** The first line of each id repeated within the file. */
		first: `${stage}_first`,
		/** Stored keys within the file's key range. */
		stored: `${stage}_stored`
	};
}
export type RunTables = ReturnType<typeof runTables>;

export interface SqlPathRun {
	db: Db;
	/** The file as the caller named it (quarantine rows keep this name). */
	file: string;
	mapping: Mapping;
	runId: string;
	tables: RunTables;
	timer: StepTimer;
	/** Print what the inserts do to stderr (TOUCHMAP_INGEST_TRACE=1). */
	trace: boolean;
}

export async function rowsOf<T>(db: Db, query: string, query_params?: Record<string, string>): Promise<T[]> {
	const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
	return rs.json<T>();
}

/** The `n` of a query's first row. */
export async function count(db: Db, query: string, query_params?: Record<string, string>): Promise<number> {
	return Number((await rowsOf<{ n: number | string }>(db, query, query_params))[0]?.n ?? 0);
}

const PURGE_ABOVE = 700 * 1024 * 1024;

/**
 * Returns the memory ClickHouse has freed to the system. Its allocator keeps freed pages for reuse,
 * and in-process (chdb) they stay part of this process, so after the stage and the distinct inputs
 * a large file would keep their peak. Only above PURGE_ABOVE resident: below it, pages given back
 * would only be faulted in again by the inserts that follow.
 */
export async function purge(db: Db): Promise<void> {
	if (process.memoryUsage().rss < PURGE_ABOVE) return;
	// A ClickHouse built without jemalloc refuses the command: memory is then as it was.
	await db.client.command({ query: 'SYSTEM JEMALLOC PURGE' }).catch(() => undefined);
}
