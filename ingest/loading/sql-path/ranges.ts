/**
 * Why this exists: how the SQL path cuts its inserts into `interactions`. Peak memory follows what
 * one insert holds — a part writer (buffers for every column) for each monthly partition it
 * touches, the block's bytes, and in JS the range's enrichment inputs and their answers — so one
 * insert is one range of whole months sized by records, months and inputs.
 */
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { rowsOf } from './context';

const MAX_BLOCK_ROWS = 250_000;
const MIN_BLOCK_ROWS = 16_384;
const MAX_RANGE_MONTHS = 6;
const MAX_RANGE_INPUTS = 20_000;

/** Records per insert block when set (TOUCHMAP_INGEST_BLOCK_ROWS); by default sized from the stage. */
export function insertBlockRows(): number | undefined {
	return z.coerce
		.number()
		.int()
		.min(1)
		.optional()
		.parse(process.env.TOUCHMAP_INGEST_BLOCK_ROWS || undefined, {
			error: () => 'TOUCHMAP_INGEST_BLOCK_ROWS: expected a whole number ≥ 1'
		});
}

/**
 * Consecutive months grouped into ranges of at least `rows` records (the last may hold fewer),
 * `maxMonths` months or `maxInputs` enrichment inputs, whichever comes first: each month is a
 * partition of `interactions` (and of `journey_steps`) the insert writes, and JS holds a range's
 * inputs and their answers while the previous range is inserted.
 */
export function monthRanges(
	months: { m: number; n: number | string; inputs?: number | string }[],
	rows: number,
	maxMonths = MAX_RANGE_MONTHS,
	maxInputs = MAX_RANGE_INPUTS
): { from: number; to: number }[] {
	const out: { from: number; to: number }[] = [];
	let open: { from: number; to: number; n: number; inputs: number; span: number } | undefined;
	for (const { m, n, inputs } of months) {
		open ??= { from: m, to: m, n: 0, inputs: 0, span: 0 };
		open.to = m;
		open.n += Number(n);
		open.inputs += Number(inputs ?? 0);
		open.span++;
		if (open.n >= rows || open.span >= maxMonths || open.inputs >= maxInputs) {
			out.push({ from: open.from, to: open.to });
			open = undefined;
		}
	}
	if (open) out.push({ from: open.from, to: open.to });
	return out;
}

/**
 * Insert blocks of ~75 MB of staged data when the text models are loaded (they take their own
 * share of memory), ~128 MB when not, within 16k to 250k records.
 */
export async function blockRowsFor(db: Db, stage: string, models: boolean): Promise<number> {
	const [size] = await rowsOf<{ bytes: string; rows: string }>(
		db,
		`SELECT sum(data_uncompressed_bytes) AS bytes, sum(rows) AS rows FROM system.parts
		WHERE database = currentDatabase() AND table = {stage:String} AND active`,
		{ stage }
	);
	const perRecord = Number(size?.bytes ?? 0) / Math.max(1, Number(size?.rows ?? 0));
	const rows = perRecord > 0 ? Math.round(((models ? 75 : 128) << 20) / perRecord) : MAX_BLOCK_ROWS;
	return Math.min(MAX_BLOCK_ROWS, Math.max(MIN_BLOCK_ROWS, rows));
}
