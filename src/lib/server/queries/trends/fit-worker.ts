/**
 * Why this exists: a Prophet fit is CPU-bound WASM — tens of milliseconds for a weekly series,
 * seconds for a daily one with its backtest — and in the server's main thread it holds every other
 * request until it is done. Fits and backtests run here instead, on one `node:worker_threads`
 * worker (one: the other core is the embedded ClickHouse's), one job at a time, requests' jobs ahead
 * of a background warm's. A fit is a pure function of its input (the optimiser has a fixed seed) and
 * structured cloning keeps every number as it is, so the answers are those of this thread.
 *
 * The worker runs this very module (import.meta.url), so it works the same from the TypeScript
 * sources under tsx or vitest and from the server build, where this code sits in a bundled chunk.
 * A worker that cannot start, or dies, leaves the fits to this thread from then on.
 *
 * TRICKY: Stan's optimiser, once it has failed (and Prophet refitted with Newton) about twenty times
 * in one WASM instance, can spin for ever on a later fit. So a worker is replaced, WASM and all,
 * after a few such failures; and a job that still runs far longer than any fit should is stopped
 * with its worker and fails, and a new worker takes the queue.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { moduleWorker } from '$db/module-worker';
import {
	backtest,
	fitPredict,
	loadProphet,
	optimiserFailures,
	type Band,
	type BacktestResult,
	type FitOptions,
	type SeriesPoint
} from './model';

type BacktestOptions = Parameters<typeof backtest>[2];

type Job =
	| { kind: 'fit'; history: SeriesPoint[]; at: string[]; opts: FitOptions }
	| { kind: 'backtest'; series: SeriesPoint[]; h: number; opts: BacktestOptions };

/** workerData of the fit worker: what tells this module, loaded in a worker, to serve. */
interface FitWorkerData {
	touchmapFitWorker: true;
	/** This module's URL: a .ts file under tsx, a bundled chunk in the server build. */
	entry: string;
}

function inThread(job: Job): Promise<Band | BacktestResult> {
	return job.kind === 'fit' ? fitPredict(job.history, job.at, job.opts) : backtest(job.series, job.h, job.opts);
}

/** A job's own failure (it would fail in this thread too), as opposed to the worker's. */
class JobError extends Error {}

interface Queued {
	job: Job;
	resolve: (r: Band | BacktestResult) => void;
	reject: (e: Error) => void;
}

let entry = import.meta.url;
let worker: { thread: Worker; ready: Promise<void>; isReady: boolean } | undefined;
let broken = false;
let running: Queued | undefined;
const urgent: Queued[] = [];
const background: Queued[] = [];
let jobs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Longest a job may run: a daily fit with its backtest takes seconds. */
const JOB_SECONDS = 120;
let jobSeconds = JOB_SECONDS;
/** Optimiser failures after which a worker is replaced (see the TRICKY note above). */
const RETIRE_AFTER = 8;

function start(): NonNullable<typeof worker> {
	const data: FitWorkerData = { touchmapFitWorker: true, entry };
	// Held until it is ready (a script waiting for its first fit must not exit); unref'd when idle.
	const thread = moduleWorker(data);
	const ready = new Promise<void>((resolve, reject) => {
		thread.once('message', (m: { ready?: boolean; error?: string }) =>
			m.ready ? resolve() : reject(new Error(m.error ?? 'fit worker failed to start'))
		);
		thread.once('error', reject);
		thread.once('exit', (code) => reject(new Error(`fit worker exited (${code})`)));
	});
	ready.catch(() => undefined);
	const w = { thread, ready, isReady: false };
	thread.on('message', (m: { result?: Band | BacktestResult; error?: string; ready?: boolean; retire?: boolean }) => {
		if (m.ready || !running) return;
		const done = running;
		running = undefined;
		clearTimeout(timer);
		if (m.error !== undefined) done.reject(new JobError(m.error));
		else done.resolve(m.result!);
		if (m.retire) replace();
		else next();
	});
	const fail = (err: Error) => {
		if (worker?.thread !== thread) return;
		broken = true;
		worker = undefined;
		clearTimeout(timer);
		// Everything queued or running goes back to the callers, who fit it in this thread.
		for (const q of [...(running ? [running] : []), ...urgent.splice(0), ...background.splice(0)]) q.reject(err);
		running = undefined;
	};
	thread.on('error', fail);
	thread.on('exit', (code) => fail(new Error(`fit worker exited (${code})`)));
	return w;
}

/** A new worker: it takes the queue once ready, or hands the queue back if it cannot start. */
function spawn(): void {
	const w = (worker = start());
	w.ready.then(
		() => {
			w.isReady = true;
			next();
		},
		(err: Error) => {
			if (worker !== w) return;
			worker = undefined;
			for (const r of [...urgent.splice(0), ...background.splice(0)]) r.reject(err);
		}
	);
}

/** Hands the worker its next job, requests' first; the worker holds the process only while busy. */
function next(): void {
	if (running || !worker?.isReady) return;
	const q = urgent.shift() ?? background.shift();
	if (!q) {
		worker.thread.unref();
		return;
	}
	running = q;
	worker.thread.ref();
	worker.thread.postMessage(q.job);
	timer = setTimeout(() => stopRunaway(q), jobSeconds * 1000);
}

/** The running job fails; its worker is stopped (not counted as broken) and a new one takes the queue. */
function stopRunaway(q: Queued): void {
	if (running !== q || !worker) return;
	running = undefined;
	q.reject(new JobError(`a fit ran over ${jobSeconds} s and was stopped`));
	replace();
}

/** Stops the worker (not counted as broken); a new one takes the queue, or the next job. */
function replace(): void {
	if (!worker) return;
	void worker.thread.terminate();
	worker = undefined;
	if (urgent.length || background.length) spawn();
}

function onWorker(job: Job, inBackground: boolean): Promise<Band | BacktestResult> {
	return new Promise((resolve, reject) => {
		(inBackground ? background : urgent).push({ job, resolve, reject });
		if (worker) next();
		else spawn();
	});
}

async function run(job: Job, inBackground: boolean): Promise<Band | BacktestResult> {
	jobs++;
	if (broken) return inThread(job);
	try {
		return await onWorker(job, inBackground);
	} catch (err) {
		if (err instanceof JobError) throw new Error(err.message);
		// The worker could not start or died: this thread fits from now on.
		broken = true;
		await closeFitWorker();
		return inThread(job);
	}
}

/** fitPredict on the fit worker; `inBackground` jobs wait behind requests' own. */
export function fitPredictOffThread(
	history: SeriesPoint[],
	at: string[],
	opts: FitOptions,
	inBackground = false
): Promise<Band> {
	return run({ kind: 'fit', history, at, opts }, inBackground) as Promise<Band>;
}

/** backtest on the fit worker; `inBackground` jobs wait behind requests' own. */
export function backtestOffThread(
	series: SeriesPoint[],
	h: number,
	opts: BacktestOptions,
	inBackground = false
): Promise<BacktestResult> {
	return run({ kind: 'backtest', series, h, opts }, inBackground) as Promise<BacktestResult>;
}

/** Where fits run now: on the worker, or in this thread once a worker could not start or died. */
export function fitThread(): 'worker' | 'this thread' {
	return broken ? 'this thread' : 'worker';
}

/** Fit jobs asked for since the process started (answered by the worker or this thread). */
export function fitJobCount(): number {
	return jobs;
}

/** Stops the worker (idle, it does not keep the process alive anyway). */
export async function closeFitWorker(): Promise<void> {
	const w = worker;
	worker = undefined;
	clearTimeout(timer);
	if (w) {
		for (const q of [...(running ? [running] : []), ...urgent.splice(0), ...background.splice(0)])
			q.reject(new Error('fit worker closed'));
		running = undefined;
		await w.thread.terminate();
	}
}

/** Starts afresh with a worker running `workerEntry` (tests: a worker that fails or never answers). */
export async function resetFitWorker(workerEntry: string = import.meta.url, maxSeconds = JOB_SECONDS): Promise<void> {
	await closeFitWorker();
	broken = false;
	entry = workerEntry;
	jobSeconds = maxSeconds;
}

/** What Stan prints when an optimisation fails (before Prophet retries with Newton). */
const OPTIMISER_NOISE = /^(optimization failed|Exception thrown)/;

/**
 * In the fit worker: leaves out of the server's log the lines Stan prints for every failed
 * optimisation (optimiserFailures counts them); every other line the worker prints goes through.
 * TRICKY: Stan writes a line in pieces ("optimization failed: ", "70", "\n"), as bytes, so whole
 * lines are gathered before they are judged.
 */
function quietOptimiser(): void {
	for (const stream of [process.stdout, process.stderr]) {
		const write = stream.write.bind(stream) as (text: string) => boolean;
		stream.write = dropLines(write, OPTIMISER_NOISE) as typeof stream.write;
	}
}

/** A stream's write that passes on whole lines, less those `drop` matches; text or bytes, in pieces. */
export function dropLines(write: (text: string) => unknown, drop: RegExp): (chunk: unknown) => boolean {
	let pending = '';
	return (chunk) => {
		pending += chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : String(chunk);
		const lines = pending.split('\n');
		pending = lines.pop()!;
		for (const line of lines) if (!drop.test(line)) write(`${line}\n`);
		return true;
	};
}

/** In the fit worker: load the WASM once, then run the jobs sent, one at a time. */
async function serve(): Promise<void> {
	const port = parentPort!;
	quietOptimiser();
	try {
		await loadProphet();
		port.on('message', (job: Job) => {
			inThread(job).then(
				(result) => port.postMessage({ result, retire: optimiserFailures() >= RETIRE_AFTER }),
				(err: Error) => port.postMessage({ error: err.message ?? String(err) })
			);
		});
		port.postMessage({ ready: true });
	} catch (err) {
		port.postMessage({ error: (err as Error).stack ?? String(err) });
	}
}

if (!isMainThread && (workerData as Partial<FitWorkerData> | null)?.touchmapFitWorker) void serve();
