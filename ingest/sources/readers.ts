/**
 * Why this exists: streams records out of CSV and NDJSON files with their line number and raw text,
 * so a file of any size is read in constant memory and a record that cannot even be parsed still
 * reaches quarantine with where it was and what it said.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Why a line is not a record, in the words both ingest paths store in quarantine. */
export const readError = {
	notAnObject: 'line is not a JSON object',
	invalidJson: (message: string) => `invalid JSON: ${message}`,
	fieldCount: (expected: number, found: number | string) => `expected ${expected} fields, found ${found}`
};

export type RawItem =
	| { line: number; raw: string; bytes: number; record: Record<string, unknown> }
	| { line: number; raw: string; bytes: number; error: string };

/** The non-blank lines of a file with their numbers (a byte-order mark opening it dropped). */
async function* textLines(file: string): AsyncGenerator<{ line: number; text: string; bytes: number }> {
	const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
	let line = 0;
	for await (const read of lines) {
		line++;
		const bytes = Buffer.byteLength(read) + 1;
		// A byte-order mark opening the file (Windows tools write one) is not part of the record.
		const text = line === 1 && read.startsWith('\ufeff') ? read.slice(1) : read;
		if (text.trim() !== '') yield { line, text, bytes };
	}
}

export async function* readNdjson(file: string): AsyncGenerator<RawItem> {
	for await (const { line, text, bytes } of textLines(file)) {
		const parsed = parseNdjsonLine(text);
		yield 'error' in parsed ? { line, raw: text, bytes, error: parsed.error } : { line, raw: text, bytes, ...parsed };
	}
}

/** A plain-text file, one record a line: the record's one field, `line`, is the line as written. */
export async function* readLines(file: string): AsyncGenerator<RawItem> {
	for await (const { line, text, bytes } of textLines(file)) yield { line, raw: text, bytes, record: { line: text } };
}

/** One NDJSON line: its object, or why it is not one (JSON.parse's own words, which say where). */
export function parseNdjsonLine(text: string): { record: Record<string, unknown> } | { error: string } {
	try {
		const record: unknown = JSON.parse(text);
		if (record === null || typeof record !== 'object' || Array.isArray(record)) return { error: readError.notAnObject };
		return { record: record as Record<string, unknown> };
	} catch (err) {
		return { error: readError.invalidJson((err as Error).message) };
	}
}

/**
 * Splits CSV text into records (RFC 4180 quoting, quotes only special at the start of a field as
 * csv-parse's relax_quotes, fields may span lines). Returns the records it could complete and where
 * the incomplete rest begins, so a stream can be fed chunk by chunk.
 *
 * Hand-written because csv-parse, with the raw text and line info quarantine needs, was the slowest
 * step of a CSV ingest, several times slower than reading NDJSON lines.
 */
export function splitCsv(
	text: string,
	delimiter: string,
	final: boolean
): { records: { fields: string[]; raw: string; lines: number }[]; rest: number } {
	const records: { fields: string[]; raw: string; lines: number }[] = [];
	const d = delimiter.charCodeAt(0);
	let pos = 0;
	const n = text.length;
	while (pos < n) {
		const nl = text.indexOf('\n', pos);
		if (nl === -1 && !final) break;
		const lineEnd = nl === -1 ? n : nl;
		// A line without quotes (nearly every line) is one record.
		const q = text.indexOf('"', pos);
		if (q === -1 || q >= lineEnd) {
			let raw = text.slice(pos, lineEnd);
			if (raw.endsWith('\r')) raw = raw.slice(0, -1);
			records.push({ fields: raw === '' ? [] : raw.split(delimiter), raw, lines: 1 });
			pos = lineEnd + 1;
			continue;
		}
		// Otherwise a state machine over the record, which may continue on later lines.
		const fields: string[] = [];
		let field = '';
		let i = pos;
		let lines = 1;
		let atStart = true;
		let complete = false;
		while (i < n) {
			const c = text.charCodeAt(i);
			if (atStart && c === 34) {
				// Quoted field: up to the closing quote ("" is a quote).
				let j = i + 1;
				let closed = false;
				while (j < n) {
					const k = text.indexOf('"', j);
					if (k === -1) {
						j = n;
						break;
					}
					for (let m = text.indexOf('\n', j); m !== -1 && m < k; m = text.indexOf('\n', m + 1)) lines++;
					if (text.charCodeAt(k + 1) === 34) {
						field += text.slice(j, k + 1);
						j = k + 2;
						continue;
					}
					field += text.slice(j, k);
					j = k + 1;
					closed = true;
					break;
				}
				if (!closed) {
					if (!final) return { records, rest: pos };
					field += text.slice(i + 1);
					i = n;
					break;
				}
				i = j;
				atStart = false;
				continue;
			}
			atStart = false;
			if (c === d) {
				fields.push(field);
				field = '';
				atStart = true;
				i++;
			} else if (c === 10) {
				complete = true;
				break;
			} else if (c === 13 && text.charCodeAt(i + 1) === 10) {
				i++;
			} else {
				field += text[i];
				i++;
			}
		}
		if (!complete && i >= n && !final) return { records, rest: pos };
		fields.push(field);
		let raw = text.slice(pos, i);
		if (raw.endsWith('\r')) raw = raw.slice(0, -1);
		records.push({ fields, raw, lines });
		pos = i + 1;
	}
	return { records, rest: Math.min(pos, n) };
}

export async function* readCsv(file: string, delimiter = ','): AsyncGenerator<RawItem> {
	let header: string[] | undefined;
	let buf = '';
	let line = 0;
	let first = true;
	const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
	const chunks = (async function* () {
		for await (const chunk of stream) yield chunk as string;
		yield null;
	})();
	for await (const chunk of chunks) {
		if (chunk !== null) {
			buf += first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
			first = false;
		}
		const { records, rest } = splitCsv(buf, delimiter, chunk === null);
		buf = buf.slice(rest);
		for (const { fields, raw, lines } of records) {
			line += lines;
			if (raw === '') continue;
			const bytes = Buffer.byteLength(raw) + 1;
			if (!header) {
				header = fields.map((h) => h.trim());
				continue;
			}
			if (fields.length !== header.length) {
				yield { line, raw, bytes, error: readError.fieldCount(header.length, fields.length) };
				continue;
			}
			const obj: Record<string, unknown> = {};
			for (let i = 0; i < header.length; i++) obj[header[i]!] = fields[i];
			yield { line, raw, bytes, record: obj };
		}
	}
}

export type FileFormat = 'csv' | 'ndjson' | 'lines';

export function readFile(file: string, format: FileFormat, delimiter?: string): AsyncGenerator<RawItem> {
	return format === 'csv' ? readCsv(file, delimiter) : format === 'lines' ? readLines(file) : readNdjson(file);
}

/** Reads a CSV file's header line (BOM and quoting handled as the reader does). */
export function csvHeader(file: string, delimiter: string): string[] {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(1 << 16);
		const n = readSync(fd, buf, 0, buf.length, 0);
		let text = buf.subarray(0, n).toString('utf8');
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		const { records } = splitCsv(text, delimiter, n < buf.length);
		return (records[0]?.fields ?? []).map((h) => h.trim());
	} finally {
		closeSync(fd);
	}
}

/** NDJSON records whose keys stand for a file's fields when a mapping is checked against it. */
export const SAMPLED_RECORDS = 1000;

/**
 * The fields a file offers a mapping: a CSV file's header; the top-level keys of an NDJSON file's
 * first records (and how many were read); a lines file's `line`.
 */
export async function fileColumns(
	file: string,
	format: FileFormat,
	delimiter = ','
): Promise<{ columns: string[]; sampled?: number }> {
	if (format === 'csv') return { columns: csvHeader(file, delimiter) };
	if (format === 'lines') return { columns: ['line'] };
	const keys = new Set<string>();
	let sampled = 0;
	for await (const item of readNdjson(file)) {
		if ('record' in item) {
			for (const k of Object.keys(item.record)) keys.add(k);
			if (++sampled >= SAMPLED_RECORDS) break;
		}
	}
	return { columns: [...keys], sampled };
}
