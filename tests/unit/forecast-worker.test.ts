/**
 * The fit worker answers exactly as this thread does (fits and backtests, Prophet and the simple
 * fallback), and a worker that cannot start or dies leaves the fits to this thread, with the same
 * answers.
 *
 * TRICKY: Prophet's WASM keeps some state from one fit to the next, so refitting the same series in
 * one process can differ from the fourth significant digit on. The same fits in the same order from
 * a fresh WASM instance agree to the last bit, which is how the worker is compared with this thread
 * (the first test, in a fresh process); after other fits, answers agree to a thousandth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backtest, fitPredict, futureBuckets, type SeriesPoint } from '../../src/lib/server/queries/trends/model';
import {
	backtestOffThread,
	closeFitWorker,
	dropLines,
	fitPredictOffThread,
	fitThread,
	resetFitWorker
} from '../../src/lib/server/queries/trends/fit-worker';

const series = (n: number, bucketDays: 1 | 7, f: (i: number) => number | null): SeriesPoint[] =>
	Array.from({ length: n }, (_, i) => ({
		bucket: new Date(Date.parse('2024-01-01T00:00:00Z') + i * bucketDays * 864e5).toISOString().slice(0, 10),
		value: f(i)
	}));

// Two years of weeks with a yearly swing and a drift, a rate with gaps, a short series (fallback), daily.
const CASES: { name: string; s: SeriesPoint[]; bucketDays: 1 | 7; clip: [number, number] }[] = [
	{
		name: 'weekly volume',
		s: series(110, 7, (i) => 1000 + 5 * i + 200 * Math.sin((2 * Math.PI * i) / 52) + ((i * 37) % 11) * 9),
		bucketDays: 7,
		clip: [0, Number.MAX_VALUE]
	},
	{
		name: 'weekly rate with gaps',
		s: series(60, 7, (i) => (i % 9 === 4 ? null : 0.6 + 0.002 * i + ((i * 13) % 7) / 100)),
		bucketDays: 7,
		clip: [0, 1]
	},
	{ name: 'short', s: series(5, 7, (i) => 7 + i / 10), bucketDays: 7, clip: [0, 10] },
	{
		name: 'daily',
		s: series(90, 1, (i) => 300 + 40 * Math.sin((2 * Math.PI * i) / 7) + ((i * 17) % 13)),
		bucketDays: 1,
		clip: [0, Number.MAX_VALUE]
	}
];

/** Equal, numbers to a thousandth (relative): see the TRICKY note above. */
function expectClose(a: unknown, b: unknown, path = ''): void {
	if (typeof a === 'number' && typeof b === 'number') {
		if (Number.isNaN(a) || Number.isNaN(b)) expect(Number.isNaN(a), path).toBe(Number.isNaN(b));
		else expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(a), Math.abs(b)));
	} else if (a && b && typeof a === 'object' && typeof b === 'object') {
		expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
		for (const k of Object.keys(a))
			expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
	} else expect(a, path).toEqual(b);
}

afterEach(() => resetFitWorker());

describe('fit worker', () => {
	it('fits and backtests exactly as this thread does', async () => {
		for (const c of CASES) {
			const opts = { bucketDays: c.bucketDays, clip: c.clip };
			const at = [...c.s.map((p) => p.bucket), ...futureBuckets(c.s.at(-1)!.bucket, 12, c.bucketDays)];
			const [onWorker, background] = await Promise.all([
				fitPredictOffThread(c.s, at, opts),
				backtestOffThread(c.s, 6, opts, true)
			]);
			expect(fitThread(), c.name).toBe('worker');
			expect(onWorker, c.name).toEqual(await fitPredict(c.s, at, opts));
			expect(background, c.name).toEqual(await backtest(c.s, 6, opts));
		}
		// Prophet answered (not only the fallback), so the worker really ran the WASM.
		const first = CASES[0]!;
		const band = await fitPredictOffThread(first.s, [first.s.at(-1)!.bucket], first);
		expect(band.fallback).toBeNull();
	}, 120_000);

	it('fits in this thread when the worker cannot start, with the same answers', async () => {
		await resetFitWorker('data:text/javascript,throw new Error("no WASM here")');
		const c = CASES[1]!;
		const opts = { bucketDays: c.bucketDays, clip: c.clip };
		const at = c.s.map((p) => p.bucket);
		const band = await fitPredictOffThread(c.s, at, opts);
		expect(fitThread()).toBe('this thread');
		expectClose(band, await fitPredict(c.s, at, opts));
	});

	it('fits in this thread when the worker dies on a job, with the same answers', async () => {
		const dies = `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ ready: true });
parentPort.on('message', () => process.exit(3));`;
		await resetFitWorker(`data:text/javascript,${encodeURIComponent(dies)}`);
		const [prophet, short] = [CASES[0]!, CASES[2]!];
		const at = (c: (typeof CASES)[number]) => c.s.map((p) => p.bucket);
		const [a, b] = await Promise.all([
			fitPredictOffThread(prophet.s, at(prophet), prophet),
			fitPredictOffThread(short.s, at(short), short, true)
		]);
		expect(fitThread()).toBe('this thread');
		expectClose(a, await fitPredict(prophet.s, at(prophet), prophet));
		expect(b).toEqual(await fitPredict(short.s, at(short), short));
		await closeFitWorker();
	}, 120_000);

	it('stops a job that never ends, with its worker, and keeps fitting on a worker', async () => {
		const stuck = `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ ready: true });
parentPort.on('message', () => undefined);`;
		await resetFitWorker(`data:text/javascript,${encodeURIComponent(stuck)}`, 1);
		const c = CASES[2]!;
		await expect(fitPredictOffThread(c.s, [c.s[0]!.bucket], c)).rejects.toThrow(/was stopped/);
		// Not taken for a broken worker: the fits stay off this thread.
		expect(fitThread()).toBe('worker');
	});
});

describe("the fit worker's output", () => {
	it("drops the optimiser's failure lines, written in pieces and as bytes, and passes on the rest", () => {
		const out: string[] = [];
		const write = dropLines((t) => out.push(t), /^(optimization failed|Exception thrown)/);
		for (const piece of ['optimization failed: ', '70', '\n', 'Exception thrown\nreal ', 'trouble\n'])
			write(new TextEncoder().encode(piece));
		write('half a line');
		expect(out).toEqual(['real trouble\n']);
	});
});
