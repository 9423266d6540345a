/**
 * Why this exists: the first step of the SQL path. ClickHouse reads the file itself
 * (`file(…, 'LineAsString')`, streamed, never held whole) and the compiled SELECT maps and
 * validates every line into a per-run stage table: each canonical column, the reason ('' for a
 * valid row) and the raw line where refused. JS only reads the CSV header and the first bytes.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { Mapping } from '../../../schemas/mapping';
import { ENRICHED_FIELDS, warmTextModels } from '../../enrichment/text-enricher';
import { compileSqlMapping } from '../../mapping/sql/compile';
import { sqlString } from '../../mapping/sql/literal';
import { spacesIn } from '../../mapping/sql/trim';
import { csvHeader } from '../../sources/readers';
import { purge, type SqlPathRun } from './context';

/** Whether a file opens with a UTF-8 byte-order mark. */
function opensWithBom(file: string): boolean {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(3);
		return readSync(fd, buf, 0, 3, 0) === 3 && buf.equals(Buffer.from([0xef, 0xbb, 0xbf]));
	} finally {
		closeSync(fd);
	}
}

/** Whether the text enricher may run on a file's records: it maps a text and not all it fills. */
function mayAnalyseText(mapping: Mapping): boolean {
	const mapped = (f: string) => f in mapping.fields || mapping.constants?.[f] !== undefined;
	return mapping.entity === 'interaction' && mapped('text') && !ENRICHED_FIELDS.every(mapped);
}

const STAGE_SETTINGS = {
	output_format_json_escape_forward_slashes: 0,
	// Parts of ~64k rows instead of ClickHouse squashing a million parsed rows (with every
	// intermediate column) into one block: this is what bounds peak memory.
	min_insert_block_size_rows: '65536',
	min_insert_block_size_bytes: String(32 << 20),
	// Read, not mmap: mapped file pages count as the process's memory.
	storage_file_read_method: 'pread',
	input_format_parallel_parsing: 0,
	// The file is read on one thread and mapped, validated and written on two; blocks of 8k lines,
	// not 16k, keep the peak where one thread had it.
	max_insert_threads: '2',
	max_block_size: '8192'
} as const;

/**
 * Stages the file; returns the stage's columns, or why the SQL path cannot take this file (having
 * written nothing but the stage, which the run drops).
 */
export async function stageFile(run: SqlPathRun): Promise<{ columns: string[] } | { fallback: string }> {
	const { db, mapping } = run;
	const { stage } = run.tables;
	const path = sqlString(resolve(run.file));
	const delimiter = mapping.delimiter ?? ',';
	// Only a file with a line holding a non-ASCII space needs JS's trim by character (trim.ts);
	// finding the first such line reads the rest of the file only when there is none.
	const scan = await db.client.query({
		query: `SELECT 1 FROM file(${path}, 'LineAsString') WHERE ${spacesIn('line', mapping.format)} LIMIT 1`,
		format: 'JSONEachRow',
		clickhouse_settings: { storage_file_read_method: 'pread' }
	});
	const compiled = compileSqlMapping(mapping, {
		format: mapping.format,
		header: mapping.format === 'csv' ? csvHeader(run.file, delimiter) : undefined,
		delimiter,
		spaces: (await scan.json()).length > 0,
		bom: mapping.format !== 'csv' && opensWithBom(run.file)
	});
	if (!compiled.ok) return { fallback: compiled.why };
	const parsed = `SELECT ${compiled.columns.join(', ')} FROM (
				SELECT ${compiled.select} FROM (
					SELECT ${compiled.inner} FROM file(${path}, 'LineAsString') WHERE ${compiled.where}))`;
	// MergeTree, not Memory: the stage is compressed on disk, so a file of millions of records
	// never sits uncompressed in RAM (chdb's memory is the process's memory). Interactions are
	// keyed by month, the partition of `interactions`, so the final inserts can each read a
	// range of months through the index. Merges are stopped: the stage is read a few times,
	// then dropped. Its parts stay Compact (one file, not one per column), which peaks lower.
	const order = mapping.entity === 'interaction' ? 'toYYYYMM(ts)' : 'tuple()';
	await db.client.command({
		query: `CREATE TABLE ${stage} ENGINE = MergeTree ORDER BY ${order}
			SETTINGS allow_nullable_key = 1, min_bytes_for_wide_part = 1073741824 EMPTY AS ${parsed}`
	});
	await db.client.command({ query: `SYSTEM STOP MERGES ${stage}` });
	const staging = db.client.command({ query: `INSERT INTO ${stage} ${parsed}`, clickhouse_settings: STAGE_SETTINGS });
	// The text models and the Chinese segmenter's dictionary load on first use: for a file that
	// may need them, now, on the JS thread the stage leaves idle, not later, when nothing else runs.
	if (mayAnalyseText(mapping)) {
		await setImmediate(); // the stage's query is under way first
		try {
			warmTextModels();
		} catch {
			// A model that cannot load fails the first analysis, after the stage, with its error.
		}
	}
	await staging;
	await purge(db);
	run.timer.step('stage (parse, map, validate)');
	return { columns: compiled.columns };
}
