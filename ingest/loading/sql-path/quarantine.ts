/**
 * Why this exists: the SQL path's refused rows reach quarantine exactly as the JS path's do — the
 * line, the raw record (a CSV row as a JSON object header → value) and the same reason — and the
 * run counts what was refused and what is valid.
 */
import { UNPARSED } from '../../mapping/sql/compile';
import { parseNdjsonLine } from '../../sources/readers';
import { count, rowsOf, type SqlPathRun } from './context';

/**
 * Whether some CSV record has a quoted field that spans lines: the stage read it line by line, so
 * the file must take the JS path.
 */
export async function spansLines(run: SqlPathRun): Promise<boolean> {
	return (
		run.mapping.format === 'csv' &&
		(await count(run.db, `SELECT count() AS n FROM ${run.tables.stage} WHERE multiline`)) > 0
	);
}

/** Quarantines every refused row of the stage; returns the counts of refused and valid rows. */
export async function quarantineRefused(run: SqlPathRun): Promise<{ rejected: number; valid: number }> {
	const { db, mapping, runId, file } = run;
	const { stage } = run.tables;
	await db.client.command({
		query: `INSERT INTO quarantine (run_id, source, file, line, raw, reason)
			SELECT {run:String}, {source:String}, {file:String}, ln, raw, reason FROM ${stage}
			WHERE reason NOT IN ('', {unparsed:String})`,
		query_params: { run: runId, source: mapping.name, file, unparsed: UNPARSED }
	});
	if (mapping.format === 'ndjson') await quarantineUnparsed(run);
	const [tally] = await rowsOf<{ rejected: string; valid: string }>(
		db,
		`SELECT countIf(reason != '') AS rejected, countIf(reason = '') AS valid FROM ${stage}`
	);
	run.timer.step('quarantine and counts');
	return { rejected: Number(tally!.rejected), valid: Number(tally!.valid) };
}

/**
 * Quarantines the NDJSON lines ClickHouse could not parse with JSON.parse's message, as the JS path
 * does: it says where the line breaks. Read 10k at a time, so a file of broken lines is never held whole.
 */
async function quarantineUnparsed({ db, tables, runId, mapping, file }: SqlPathRun): Promise<void> {
	for (let after = 0; ;) {
		const lines = await rowsOf<{ ln: string; raw: string }>(
			db,
			`SELECT ln, raw FROM ${tables.stage} WHERE reason = {unparsed:String} AND ln > {after:UInt64} ORDER BY ln LIMIT 10000`,
			{ unparsed: UNPARSED, after: String(after) }
		);
		if (!lines.length) return;
		const values = lines.map(({ ln, raw }) => {
			const parsed = parseNdjsonLine(raw);
			// Read by JS, the line may parse (a number beyond Float64 is Infinity there): ours stands.
			const reason = 'error' in parsed ? parsed.error : UNPARSED;
			return { run_id: runId, source: mapping.name, file, line: Number(ln), raw, reason };
		});
		await db.client.insert({ table: 'quarantine', values, format: 'JSONEachRow' });
		after = Number(lines.at(-1)!.ln);
	}
}
