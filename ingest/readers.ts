/**
 * Why this exists: streams records out of CSV and NDJSON files with their line number and raw text,
 * so a file of any size is read in constant memory and a record that cannot even be parsed still
 * reaches quarantine with where it was and what it said.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export type RawItem =
	| { line: number; raw: string; bytes: number; record: Record<string, unknown> }
	| { line: number; raw: string; bytes: number; error: string };

export async function* readNdjson(file: string): AsyncGenerator<RawItem> {
	const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
	let line = 0;
	for await (const text of lines) {
		line++;
		const bytes = Buffer.byteLength(text) + 1;
		if (text.trim() === '') continue;
		try {
			const record: unknown = JSON.parse(text);
			if (record === null || typeof record !== 'object' || Array.isArray(record)) {
				yield { line, raw: text, bytes, error: 'line is not a JSON object' };
			} else yield { line, raw: text, bytes, record: record as Record<string, unknown> };
		} catch (err) {
			yield { line, raw: text, bytes, error: `invalid JSON: ${(err as Error).message}` };
		}
	}
}

export async function* readCsv(file: string, delimiter = ','): AsyncGenerator<RawItem> {
	const parser = createReadStream(file).pipe(
		parse({
			bom: true,
			delimiter,
			raw: true,
			info: true,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true
		})
	);
	let header: string[] | undefined;
	for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
		const { record, raw, info } = item;
		const bytes = Buffer.byteLength(raw);
		if (!header) {
			header = record.map((h) => h.trim());
			continue;
		}
		const text = raw.replace(/\r?\n$/, '');
		if (record.length !== header.length) {
			yield { line: info.lines, raw: text, bytes, error: `expected ${header.length} fields, found ${record.length}` };
			continue;
		}
		const obj: Record<string, unknown> = {};
		header.forEach((h, i) => (obj[h] = record[i]));
		yield { line: info.lines, raw: text, bytes, record: obj };
	}
}

export function readFile(file: string, format: 'csv' | 'ndjson', delimiter?: string): AsyncGenerator<RawItem> {
	return format === 'csv' ? readCsv(file, delimiter) : readNdjson(file);
}
