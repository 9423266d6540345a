/**
 * Why this exists: streamed CSV downloads (a pain point's interactions, the at-risk list) run under
 * the same per-request budget as the API (query-budget.ts): their queries queue fairly and stop at
 * TOUCHMAP_QUERY_SECONDS / TOUCHMAP_QUERY_MEMORY_MB, and the download as a whole ends when the
 * request's time is up. A download cannot change its status once rows have gone out, so one that
 * stops early ends with a last line saying so (rows above it are whole); one that cannot produce its
 * first rows within the budget answers 422 with the same message as the API.
 */
import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Db } from '$db/client';
import { BOM, csvLine, type CsvValue } from '$lib/csv';
import { budgetedDb, budgetFromEnv, overBudget, type Budget } from './query-budget';

/** First cell of the line that ends a download stopped early (a comment line to most CSV readers). */
export const STOPPED = '# export stopped';

export interface ExportBudget {
	/** The database as this request sees it: fair turns, time and memory budget. */
	db: Db;
	budget: Budget;
	/** When the request's time is up (ms since the epoch). */
	deadline: number;
}

export function exportBudget(db: Db, who: string, budget = budgetFromEnv()): ExportBudget {
	return { db: budgetedDb(db, who, budget), budget, deadline: Date.now() + budget.seconds * 1000 };
}

const OUT_OF_TIME = Symbol('out of time');

/** The next batch, or OUT_OF_TIME when the budget runs out first (a stalled query never holds the download). */
async function nextWithin<T>(
	rows: AsyncIterator<T>,
	deadline: number
): Promise<IteratorResult<T> | typeof OUT_OF_TIME> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<typeof OUT_OF_TIME>(
		(r) => (timer = setTimeout(() => r(OUT_OF_TIME), deadline - Date.now()))
	);
	try {
		return await Promise.race([rows.next(), late]);
	} finally {
		clearTimeout(timer);
	}
}

const why = (err: unknown, b: Budget) =>
	err === OUT_OF_TIME
		? overBudget(b).message
		: err instanceof TRPCError
			? err.message
			: 'something went wrong on our side';

/**
 * A CSV download of `batches` (rows of cells) under `eb`'s budget. Waits for the first batch, so a
 * request over budget from the start answers 422 rather than an empty file.
 */
export async function csvDownload(
	header: CsvValue[],
	batches: AsyncIterator<CsvValue[][]>,
	eb: ExportBudget,
	headers: Record<string, string>
): Promise<Response> {
	let first: IteratorResult<CsvValue[][]> | typeof OUT_OF_TIME;
	try {
		first = await nextWithin(batches, eb.deadline);
	} catch (err) {
		if (err instanceof TRPCError) error(getHTTPStatusCodeFromError(err), err.message);
		throw err;
	}
	if (first === OUT_OF_TIME) {
		void batches.return?.(undefined);
		error(422, overBudget(eb.budget).message);
	}
	const encoder = new TextEncoder();
	const text = (rows: CsvValue[][]) => encoder.encode(rows.map(csvLine).join(''));
	let pending: IteratorResult<CsvValue[][]> | undefined = first;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(BOM + csvLine(header)));
		},
		async pull(controller) {
			const stop = (reason: unknown) => {
				if (reason !== OUT_OF_TIME && !(reason instanceof TRPCError)) console.error('CSV export failed:', reason);
				controller.enqueue(text([[`${STOPPED}: ${why(reason, eb.budget)} Rows above are complete.`]]));
				controller.close();
				void batches.return?.(undefined)?.catch(() => undefined);
			};
			try {
				const next = pending ?? (Date.now() < eb.deadline ? await nextWithin(batches, eb.deadline) : OUT_OF_TIME);
				pending = undefined;
				if (next === OUT_OF_TIME) return stop(OUT_OF_TIME);
				if (next.done) return controller.close();
				controller.enqueue(text(next.value));
			} catch (err) {
				stop(err);
			}
		},
		async cancel() {
			await batches.return?.(undefined);
		}
	});
	return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', ...headers } });
}
