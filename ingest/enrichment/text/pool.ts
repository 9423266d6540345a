/**
 * Why this exists: real customer texts are all different, so every text pays the full analysis
 * (~100–200 µs) and one thread is the ceiling of a load or a batch scoring. This pool spreads a
 * batch over threads — this one and `node:worker_threads` workers, one thread per core by
 * default, each with its own copy of the models — and hands the results back in input order. The
 * analysis is a pure function of the text, language and options, so the results are the same with
 * or without the pool.
 *
 * The workers run this very module (import.meta.url), so the pool works the same from the
 * TypeScript sources under tsx and from the server build, where this code sits in a bundled chunk.
 *
 * TOUCHMAP_TEXT_WORKERS sets the number of threads, this one included (0 or 1: this thread
 * only). Small batches, and any environment where a worker cannot start, are analysed in this
 * thread.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { moduleWorker } from '../../../db/module-worker';
import { analyzeText, loadModels, modelsDir, type AnalyzeWants, type TextAnalysis } from './analyze';

/** workerData of a pool worker: what tells this module, loaded in a worker, to serve. */
interface PoolWorkerData {
	touchmapTextPool: true;
	modelsDir: string;
	/** This module's URL: a .ts file under tsx, a bundled chunk in the server build. */
	entry: string;
}

export interface AnalyzeRequest {
	text: string;
	language?: string;
	wants?: AnalyzeWants;
}

/** Below this many texts a batch is analysed in this thread (a round trip costs more). */
const MIN_POOLED = 64;
/**
 * A worker's heap. Its live data is small (the word index, eld's n-gram table, one chunk), but
 * without a limit V8 lets the old generation grow to several times that before collecting the
 * garbage of the texts analysed: on a load of 100,000 different texts, tens of MB per worker.
 */
const WORKER_HEAP = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };
/** Texts per message to a worker. */
const CHUNK = 256;

export function textWorkers(): number {
	const env = process.env.TOUCHMAP_TEXT_WORKERS;
	if (env !== undefined && env !== '') return Math.max(0, Math.floor(Number(env)) || 0);
	return Math.min(availableParallelism(), 8);
}

/** Threads analysing now: textWorkers(), or 1 once a worker could not start or died. */
export function textThreadsInUse(): number {
	return broken ? 1 : Math.max(1, textWorkers());
}

interface Slot {
	worker: Worker;
	ready: Promise<void>;
	busy: boolean;
}

let pool: Slot[] | undefined;
let broken = false;
let inFlight = 0;
let nextId = 1;
const pending = new Map<number, { resolve: (r: TextAnalysis[]) => void; reject: (e: Error) => void }>();

function startPool(n: number): Slot[] {
	const slots: Slot[] = [];
	for (let i = 0; i < n; i++) {
		const data: PoolWorkerData = { touchmapTextPool: true, modelsDir: modelsDir(), entry: import.meta.url };
		const worker = moduleWorker(data, WORKER_HEAP);
		worker.unref();
		const ready = new Promise<void>((resolve, reject) => {
			worker.once('message', (m: { ready?: boolean; error?: string }) =>
				m.ready ? resolve() : reject(new Error(m.error ?? 'text worker failed to start'))
			);
			worker.once('error', reject);
		});
		ready.catch(() => undefined);
		worker.on('message', (m: { id?: number; results?: TextAnalysis[]; error?: string }) => {
			if (m.id === undefined) return;
			const p = pending.get(m.id);
			pending.delete(m.id);
			if (m.error) p?.reject(new Error(m.error));
			else p?.resolve(m.results!);
		});
		worker.on('error', (err) => {
			broken = true;
			for (const [id, p] of pending) {
				pending.delete(id);
				p.reject(err);
			}
		});
		slots.push({ worker, ready, busy: false });
	}
	return slots;
}

function inThread(reqs: AnalyzeRequest[]): TextAnalysis[] {
	const models = loadModels();
	return reqs.map((r) => analyzeText(r.text, models, r.language, r.wants));
}

async function onWorker(slot: Slot, chunk: AnalyzeRequest[]): Promise<TextAnalysis[]> {
	await slot.ready;
	const id = nextId++;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject });
		slot.worker.postMessage({ id, reqs: chunk });
	});
}

/**
 * Analyses a batch of texts on the worker pool; the same results as analyzeText on each, in order.
 * While a batch is in flight the workers keep the process alive; idle, they do not.
 */
export async function analyzeBatch(reqs: AnalyzeRequest[]): Promise<TextAnalysis[]> {
	const threads = textWorkers();
	if (threads <= 1 || broken || reqs.length < MIN_POOLED) return inThread(reqs);
	try {
		// This thread is one of them: n − 1 workers, so n copies of the models in memory, not n + 1.
		pool ??= startPool(threads - 1);
		if (inFlight++ === 0) for (const s of pool) s.worker.ref();
		const out: TextAnalysis[] = new Array(reqs.length);
		let next = 0;
		// Each thread takes the next chunk as soon as it is done with one.
		const take = async (analyse: (chunk: AnalyzeRequest[]) => Promise<TextAnalysis[]>) => {
			while (next < reqs.length) {
				const from = next;
				next = Math.min(reqs.length, next + CHUNK);
				const res = await analyse(reqs.slice(from, next));
				for (let i = 0; i < res.length; i++) out[from + i] = res[i]!;
			}
		};
		// Two chunks in flight per worker: while this thread is busy with a chunk of its own it
		// cannot hand out the next one, and the worker must not sit idle meanwhile.
		await Promise.all([
			...pool.flatMap((slot) => [take((chunk) => onWorker(slot, chunk)), take((chunk) => onWorker(slot, chunk))]),
			// Back to the event loop before each chunk here, so finished workers get their next one.
			take(async (chunk) => {
				await new Promise<void>((r) => setImmediate(r));
				return inThread(chunk);
			})
		]);
		return out;
	} catch {
		// A worker that cannot start (or died): this thread does the work from now on.
		broken = true;
		await closeTextPool();
		return inThread(reqs);
	} finally {
		if (--inFlight === 0 && pool) for (const s of pool) s.worker.unref();
	}
}

/** Stops the workers (they are unref'd when idle, so a process may also just exit). */
export async function closeTextPool(): Promise<void> {
	const p = pool;
	pool = undefined;
	inFlight = 0;
	if (p) await Promise.all(p.map((s) => s.worker.terminate()));
}

/** In a pool worker: load the models once, then analyse the chunks of texts sent. */
function serve(data: PoolWorkerData): void {
	const port = parentPort!;
	try {
		process.env.TOUCHMAP_MODELS_DIR = data.modelsDir;
		const models = loadModels();
		// The Chinese segmenter's dictionary loads on first use: now, before the first chunk.
		analyzeText('预热 warm up', models);
		port.on('message', ({ id, reqs }: { id: number; reqs: AnalyzeRequest[] }) => {
			try {
				port.postMessage({ id, results: reqs.map((r) => analyzeText(r.text, models, r.language, r.wants)) });
			} catch (err) {
				port.postMessage({ id, error: (err as Error).stack ?? String(err) });
			}
		});
		port.postMessage({ ready: true });
	} catch (err) {
		port.postMessage({ error: (err as Error).stack ?? String(err) });
	}
}

if (!isMainThread && (workerData as Partial<PoolWorkerData> | null)?.touchmapTextPool)
	serve(workerData as PoolWorkerData);
