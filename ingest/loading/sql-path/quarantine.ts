/**
 * Why this exists: the SQL path's refused rows reach quarantine exactly as the JS path's do — the
 * line, the raw record (a CSV row as a JSON object header → value) and the same reason, stored once
 * however often the file is loaded (../quarantine.ts) — and the run counts what was refused and
 * what is valid, and what it refused most.
 */
import { mutationTarget } from '../../../db/cluster';
import { UNPARSED } from '../../mapping/sql/compile';
import { parseNdjsonLine } from '../../sources/readers';
import {
	ReasonTally,
	SQL_DIGEST,
	SQL_REASON_SHAPE,
	storeQuarantine,
	TOP_REASONS,
	type ReasonCount
} from '../quarantine';
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

/**
 * Quarantines every refused row of the stage not quarantined already (same source, file, line and
 * raw payload; a changed reason replaces the stored one); returns the counts of refused and valid
 * rows and the run's most frequent reasons.
 */
export async function quarantineRefused(
	run: SqlPathRun
): Promise<{ rejected: number; valid: number; topReasons: ReasonCount[] }> {
	const { db, mapping, runId, file } = run;
	const { stage } = run.tables;
	const params = { run: runId, source: mapping.name, file, unparsed: UNPARSED };
	const refused = `SELECT ln, ${SQL_DIGEST('raw')}, reason FROM ${stage} WHERE reason NOT IN ('', {unparsed:String})`;
	const stored = `SELECT line, ${SQL_DIGEST('raw')}, reason FROM quarantine WHERE source = {source:String} AND file = {file:String}`;
	const before = await count(
		db,
		`SELECT count() AS n FROM quarantine WHERE source = {source:String} AND file = {file:String}`,
		params
	);
	if (before > 0)
		await db.client.command({
			query: `DELETE FROM ${mutationTarget(db, 'quarantine')} WHERE source = {source:String} AND file = {file:String}
				AND (line, ${SQL_DIGEST('raw')}) IN (SELECT ln, ${SQL_DIGEST('raw')} FROM ${stage} WHERE reason NOT IN ('', {unparsed:String}))
				AND (line, ${SQL_DIGEST('raw')}, reason) NOT IN (${refused})`,
			query_params: params
		});
	await db.client.command({
		query: `INSERT INTO quarantine (run_id, source, file, line, raw, reason)
			SELECT {run:String}, {source:String}, {file:String}, ln, raw, reason FROM ${stage}
			WHERE reason NOT IN ('', {unparsed:String})
				${before > 0 ? `AND (ln, ${SQL_DIGEST('raw')}, reason) NOT IN (${stored})` : ''}`,
		query_params: params
	});
	const tally = new ReasonTally();
	if (mapping.format === 'ndjson') await quarantineUnparsed(run, tally);
	const [counts] = await rowsOf<{ rejected: string; valid: string }>(
		db,
		`SELECT countIf(reason != '') AS rejected, countIf(reason = '') AS valid FROM ${stage}`
	);
	// Each kind of reason (its quoted values left out) with its most frequent wording, ties in byte order.
	const kinds = await rowsOf<{ example: string; n: string }>(
		db,
		`SELECT argMin(r, (-toInt64(c), r)) AS example, sum(c) AS n FROM (
			SELECT reason AS r, ${SQL_REASON_SHAPE('reason')} AS shape, count() AS c FROM ${stage}
			WHERE reason NOT IN ('', {unparsed:String}) GROUP BY reason)
		GROUP BY shape ORDER BY n DESC, shape LIMIT ${TOP_REASONS}`,
		params
	);
	for (const k of kinds) tally.add(k.example, Number(k.n));
	run.timer.step('quarantine and counts');
	return { rejected: Number(counts!.rejected), valid: Number(counts!.valid), topReasons: tally.top() };
}

/**
 * Quarantines the NDJSON lines ClickHouse could not parse with JSON.parse's message, as the JS path
 * does: it says where the line breaks. Read 10k at a time, so a file of broken lines is never held whole.
 */
async function quarantineUnparsed({ db, tables, runId, mapping, file }: SqlPathRun, tally: ReasonTally): Promise<void> {
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
			tally.add(reason);
			return { run_id: runId, source: mapping.name, file, line: Number(ln), raw, reason };
		});
		await storeQuarantine(db, values);
		after = Number(lines.at(-1)!.ln);
	}
}
