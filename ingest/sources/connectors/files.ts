/**
 * Why this exists: sources that drop files — Amazon Connect contact trace records (NDJSON, one CTR
 * per line, delivered by Kinesis Firehose to a folder), Asterisk's CDR `Master.csv` (headerless,
 * appended to), exported call logs, any CSV/NDJSON folder. The folder is watched by polling at the
 * source's interval; the cursor remembers, per file, how many lines are stored, so appended lines
 * and new files are read and nothing is read twice.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { parseNdjsonLine, readError } from '../readers';
import { readCursor, type Connector, type Page, type RejectedItem } from './types';

const Options = z.strictObject({
	path: z.string().min(1).meta({ description: 'Folder to watch (or one file).' }),
	/** File names to take, as a regular expression (default: every .csv / .ndjson / .jsonl / .json file). */
	pattern: z.string().default('\\.(csv|ndjson|jsonl|json)$'),
	format: z.enum(['csv', 'ndjson']),
	delimiter: z.string().length(1).default(','),
	/** Column names for headerless CSV (Asterisk Master.csv). */
	columns: z.array(z.string().min(1)).optional(),
	pageSize: z.number().int().min(1).max(100_000).default(5_000)
});
type Options = z.infer<typeof Options>;

/** ASTERISK's cdr_csv column order (Master.csv, no header line). */
export const ASTERISK_CDR_COLUMNS = [
	'accountcode',
	'src',
	'dst',
	'dcontext',
	'clid',
	'channel',
	'dstchannel',
	'lastapp',
	'lastdata',
	'start',
	'answer',
	'end',
	'duration',
	'billsec',
	'disposition',
	'amaflags',
	'uniqueid',
	'userfield'
];

type Cursor = { files: Record<string, number> };

interface Line {
	line: number;
	record?: Record<string, unknown>;
	raw: string;
	error?: string;
}

async function* ndjsonLines(file: string): AsyncGenerator<Line> {
	let line = 0;
	for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
		line++;
		if (text.trim() === '') continue;
		const parsed = parseNdjsonLine(text);
		yield 'error' in parsed ? { line, raw: text, error: parsed.error } : { line, raw: text, record: parsed.record };
	}
}

async function* csvLines(file: string, o: Options): AsyncGenerator<Line> {
	const parser = createReadStream(file).pipe(
		parse({
			bom: true,
			delimiter: o.delimiter,
			raw: true,
			info: true,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true
		})
	);
	let header = o.columns;
	for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
		const { record, raw, info } = item;
		const text = raw.replace(/\r?\n$/, '');
		if (!header) {
			header = record.map((h) => h.trim());
			continue;
		}
		// Headerless files may omit trailing optional columns (Asterisk's uniqueid/userfield).
		if (record.length > header.length || (!o.columns && record.length !== header.length)) {
			yield { line: info.lines, raw: text, error: readError.fieldCount(header.length, record.length) };
			continue;
		}
		const obj: Record<string, unknown> = {};
		header.forEach((h, i) => {
			if (h) obj[h] = record[i];
		});
		yield { line: info.lines, raw: text, record: obj };
	}
}

function listFiles(o: Options): string[] {
	const st = statSync(o.path, { throwIfNoEntry: false });
	if (!st) throw new Error(`${o.path}: no such file or folder`);
	if (st.isFile()) return [o.path];
	const re = new RegExp(o.pattern);
	return readdirSync(o.path)
		.filter((f) => re.test(f))
		.sort()
		.map((f) => join(o.path, f));
}

export const files: Connector<Options> = {
	kind: 'files',
	options: Options,
	async *pull(cursor, { options }) {
		const done = { ...(readCursor<Cursor>(cursor).files ?? {}) };
		for (const file of listFiles(options)) {
			const from = done[file] ?? 0;
			let records: Record<string, unknown>[] = [];
			let rejected: RejectedItem[] = [];
			let last = from;
			const page = (): Page => {
				const p = { records, rejected, cursor: JSON.stringify({ files: { ...done, [file]: last } }), label: file };
				records = [];
				rejected = [];
				return p;
			};
			const lines = options.format === 'csv' ? csvLines(file, options) : ndjsonLines(file);
			for await (const l of lines) {
				if (l.line <= from) continue;
				last = l.line;
				if (l.record) records.push({ ...l.record, _line: l.line, _file: file });
				else rejected.push({ line: l.line, raw: l.raw, reason: l.error ?? 'unreadable' });
				if (records.length + rejected.length >= options.pageSize) yield page();
			}
			if (records.length || rejected.length) yield page();
			done[file] = last;
		}
	}
};
