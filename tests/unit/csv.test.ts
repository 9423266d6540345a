import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, splitCsv } from '../../ingest/sources/readers';

describe('CSV reader', () => {
	it('splits quoted fields, escaped quotes, multi-line fields and CRLF', () => {
		const { records, rest } = splitCsv('a,"b, c","say ""hi"""\r\n1,"two\nlines",3\n', ',', false);
		expect(records.map((r) => r.fields)).toEqual([
			['a', 'b, c', 'say "hi"'],
			['1', 'two\nlines', '3']
		]);
		expect(records.map((r) => r.lines)).toEqual([1, 2]);
		expect(records[0]!.raw).toBe('a,"b, c","say ""hi"""');
		expect(rest).toBe(39); // everything consumed
	});
	it('waits for more data when a record is incomplete, and takes a quote inside a field literally', () => {
		expect(splitCsv('x,"open\nstill', ',', false)).toEqual({ records: [], rest: 0 });
		expect(splitCsv('1,2\n3,4', ',', false).records).toHaveLength(1);
		expect(splitCsv('1,2\n3,4', ',', true).records.map((r) => r.fields)).toEqual([
			['1', '2'],
			['3', '4']
		]);
		expect(splitCsv('5" screen;x\n', ';', false).records[0]!.fields).toEqual(['5" screen', 'x']);
	});
	it('reads a file: BOM, empty lines skipped, line numbers, column-count errors', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'csv-'));
		const file = join(dir, 'a.csv');
		writeFileSync(file, '\ufeffid, name\r\n1,"Ann\nLee"\r\n\r\n2\n3,Bo\n');
		const items = [];
		for await (const it of readCsv(file)) items.push(it);
		rmSync(dir, { recursive: true });
		expect(items).toEqual([
			{ line: 3, raw: '1,"Ann\nLee"', bytes: 12, record: { id: '1', name: 'Ann\nLee' } },
			{ line: 5, raw: '2', bytes: 2, error: 'expected 2 fields, found 1' },
			{ line: 6, raw: '3,Bo', bytes: 5, record: { id: '3', name: 'Bo' } }
		]);
	});
});
