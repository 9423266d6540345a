/**
 * The SQL path (ingest/loading/sql-path/) against the JS path: the same demo files through
 * both, into emptied tables of one database (libchdb binds one directory per process), must store
 * the same rows in interactions, customers, orders, quarantine and identity merges; bad rows of
 * both formats get the JS path's reasons and raw payloads, and nothing is lost.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvAsNdjson } from '../../bench/ingest';
import { generateDemo } from '../../ingest/demo/generate';
import { DEMO_SOURCES } from '../../ingest/demo/manifest';
import { ingestFile, type IngestSummary } from '../../ingest/loading/ingest-file';
import { loadMapping, parseMapping } from '../../ingest/mapping/mapping-file';
import type { Mapping } from '../../schemas/mapping';
import { reprocessQuarantine } from '../../ingest/service/reprocess';
import { sqlString } from '../../ingest/mapping/sql/literal';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let dir: string;
beforeAll(async () => {
	ctx = await freshDb();
	dir = mkdtempSync(join(tmpdir(), 'touchmap-sql-path-'));
	await generateDemo({ customers: 150, seed: 11, outDir: join(dir, 'demo') });
}, 120_000);
afterAll(async () => {
	await ctx.close();
	rmSync(dir, { recursive: true, force: true });
});

const TABLES = [
	'interactions',
	'interaction_keys',
	'customers',
	'orders',
	'quarantine',
	'identity_links',
	'identity_merges'
];

/** Every stored row of the compared tables (without run ids and load times), sorted. */
async function snapshot(): Promise<Record<string, string[]>> {
	const q = {
		interactions: `SELECT * EXCEPT (ingest_run_id, ingested_at) FROM interactions`,
		customers: `SELECT * EXCEPT (ingest_run_id, updated_at) FROM customers`,
		orders: `SELECT * EXCEPT (ingest_run_id, ingested_at) FROM orders`,
		quarantine: `SELECT source, file, line, raw, reason FROM quarantine`,
		identity_merges: `SELECT * EXCEPT (at) FROM identity_merges`,
		identity_links: `SELECT identifier, customer_id, source, rule FROM identity_links`
	};
	const out: Record<string, string[]> = {};
	for (const [name, query] of Object.entries(q)) {
		const r = await rows<Record<string, unknown>>(ctx.db, query);
		out[name] = r.map((x) => JSON.stringify(x)).sort();
	}
	return out;
}

async function emptyTables(): Promise<void> {
	for (const t of TABLES) await ctx.db.client.command({ query: `TRUNCATE TABLE ${t}` });
}

/** 'js', then 'auto', each on emptied tables: one load through both ingest paths. */
async function* bothPaths(): AsyncGenerator<'js' | 'auto'> {
	for (const path of ['js', 'auto'] as const) {
		await emptyTables();
		yield path;
	}
}

/** A file of the given lines in the test's directory; its path. */
function writeLines(name: string, lines: string[], eol = '\n'): string {
	const file = join(dir, name);
	writeFileSync(file, lines.join(eol) + eol);
	return file;
}

/**
 * Each file with its mapping through both paths (the SQL path must take every one): what each path
 * stored and quarantined, read by the two queries, which must be the same on both; the SQL path's.
 */
async function throughBothPaths(files: [string, Mapping][], stored: string, quarantined: string): Promise<unknown> {
	const outcome: Record<string, unknown> = {};
	for await (const path of bothPaths()) {
		for (const [file, mapping] of files) {
			const s = await ingestFile({ db: ctx.db, file, mapping, path });
			if (path === 'auto') expect(s.path).toBe('sql');
		}
		outcome[path] = { stored: await rows(ctx.db, stored), quarantine: await rows(ctx.db, quarantined) };
	}
	expect(outcome.auto).toEqual(outcome.js);
	return outcome.auto;
}

async function loadAll(path: 'auto' | 'js'): Promise<IngestSummary[]> {
	await emptyTables();
	const out: IngestSummary[] = [];
	for (const s of DEMO_SOURCES)
		out.push(await ingestFile({ db: ctx.db, file: join(dir, 'demo', s.file), mapping: loadMapping(s.mapping), path }));
	return out;
}

describe('SQL ingest path', () => {
	it('stores exactly what the JS path stores for the demo sources', async () => {
		const js = await loadAll('js');
		const a = await snapshot();
		const sql = await loadAll('auto');
		const b = await snapshot();
		expect(sql.map((s) => s.path)).toEqual(DEMO_SOURCES.map(() => 'sql'));
		expect(sql.map((s) => [s.accepted, s.rejected, s.duplicates])).toEqual(
			js.map((s) => [s.accepted, s.rejected, s.duplicates])
		);
		for (const t of Object.keys(a)) {
			expect(b[t]!.length, t).toBe(a[t]!.length);
			const diff = b[t]!.filter((x, i) => x !== a[t]![i]);
			expect(diff.slice(0, 3), t).toEqual([]);
		}
		// Idempotent: a second load adds nothing.
		const again = await ingestFile({
			db: ctx.db,
			file: join(dir, 'demo', DEMO_SOURCES[2]!.file),
			mapping: loadMapping(DEMO_SOURCES[2]!.mapping)
		});
		expect(again.accepted).toBe(0);
		expect(again.duplicates).toBe(sql[2]!.accepted + sql[2]!.duplicates);

		// In small blocks, many month ranges: the texts first seen in a later range are analysed
		// while the earlier ranges are inserted, and must reach their rows all the same.
		process.env.TOUCHMAP_INGEST_BLOCK_ROWS = '200';
		try {
			const ranged = await loadAll('auto');
			expect(ranged.map((s) => [s.accepted, s.rejected, s.duplicates])).toEqual(
				js.map((s) => [s.accepted, s.rejected, s.duplicates])
			);
		} finally {
			delete process.env.TOUCHMAP_INGEST_BLOCK_ROWS;
		}
		const c = await snapshot();
		for (const t of Object.keys(a)) expect(c[t]!.filter((x, i) => x !== a[t]![i]).slice(0, 3), t).toEqual([]);
		expect(
			await rows(ctx.db, `SELECT count() AS n FROM interactions WHERE attributes['text_enriched'] != ''`)
		).not.toEqual([{ n: 0 }]);
	}, 240_000);

	it("stores the same calls from the bench's NDJSON copy of a CSV file as from the CSV", async () => {
		const calls = DEMO_SOURCES.find((s) => s.file.endsWith('calls.csv'))!;
		const csv = join(dir, 'demo', calls.file);
		const ndjson = join(dir, 'calls.ndjson');
		await csvAsNdjson(csv, ndjson);
		const mapping = loadMapping(calls.mapping);
		const stored = async () => {
			const s = await snapshot();
			return { interactions: s.interactions, identity_merges: s.identity_merges };
		};
		await emptyTables();
		const a = await ingestFile({ db: ctx.db, file: csv, mapping });
		const fromCsv = await stored();
		await emptyTables();
		const b = await ingestFile({ db: ctx.db, file: ndjson, mapping: { ...mapping, format: 'ndjson' } });
		expect([b.path, b.accepted, b.rejected, b.duplicates]).toEqual(['sql', a.accepted, a.rejected, a.duplicates]);
		expect(a.accepted).toBeGreaterThan(1000);
		expect(await stored()).toEqual(fromCsv);
	}, 120_000);

	it('quarantines bad rows of both formats with the JS reasons and raw payloads', async () => {
		const ndjson = writeLines('bad.ndjson', [
			'{"id":"a1","at":"2025-03-04T10:00:00Z","ch":"phone","wait":"12"}',
			'{"id":"a2","at":"yesterday","ch":"phone"}',
			'{"id":"a3","at":"2025-03-04T10:00:00Z","ch":"phone","wait":"soon"}',
			'{"id":"a4","at":"2025-03-04T10:00:00Z","ch":"fax"}',
			'{"at":"2025-03-04T10:00:00Z","ch":"phone"}',
			'{"id":"a6", broken',
			'',
			'{"id":"a1","at":"2025-03-04T10:00:00Z","ch":"phone","wait":"12"}',
			'{"id":"a8","at":"2025-03-04T10:00:00Z","ch":"phone","wait":"-5"}',
			'{"id":"a9","at":"2025-03-04T10:00:00Z","ch":"fax","wait":"-5"}'
		]);
		const csv = writeLines(
			'bad.csv',
			[
				'id,at,ch,wait',
				'c1,2025-03-04 10:00:00,Phone,12',
				'c2,not a date,phone,1',
				'c3,2025-03-04 10:00:00,phone,"1,5"',
				'c4,2025-03-04 10:00:00,carrier pigeon,1',
				',2025-03-04 10:00:00,phone,1',
				'c6,2025-03-04 10:00:00,phone',
				'c1,2025-03-04 10:00:00,Phone,12'
			],
			'\r\n'
		);
		const mapping = (format: 'csv' | 'ndjson') =>
			parseMapping({
				name: `bad-${format}`,
				entity: 'interaction',
				format,
				fields: {
					source_id: 'id',
					ts: { from: 'at', ...(format === 'csv' ? { format: 'yyyy-MM-dd HH:mm:ss' } : {}) },
					channel: format === 'csv' ? { from: 'ch', map: { phone: 'phone' } } : 'ch',
					wait_s: 'wait'
				}
			});
		const results: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const n = await ingestFile({ db: ctx.db, file: ndjson, mapping: mapping('ndjson'), path });
			const c = await ingestFile({ db: ctx.db, file: csv, mapping: mapping('csv'), path });
			results[path] = {
				counts: [n, c].map((s) => [s.accepted, s.rejected, s.duplicates]),
				quarantine: await rows(ctx.db, 'SELECT source, line, raw, reason FROM quarantine ORDER BY source, line')
			};
			// Nothing lost: accepted + rejected + duplicates = non-blank lines.
			expect(n.accepted + n.rejected + n.duplicates).toBe(9);
			expect(c.accepted + c.rejected + c.duplicates).toBe(7);
			if (path === 'auto') expect([n.path, c.path]).toEqual(['sql', 'sql']);
		}
		const sql = results.auto as { counts: number[][]; quarantine: { reason: string; raw: string; line: string }[] };
		const js = results.js as typeof sql;
		expect(sql.counts).toEqual(js.counts);
		expect(sql.counts).toEqual([
			[1, 7, 1],
			[1, 5, 1]
		]);
		expect(sql.quarantine).toEqual(js.quarantine);
		expect(sql.quarantine.map((r) => r.reason)).toEqual([
			'ts: "not a date" is not a valid datetime',
			'wait_s: "1,5" is not a number',
			// The CSV maps its channel: a value missing from the map is named (the fix is an entry).
			'channel: no mapping for "carrier pigeon"',
			'source_id: Invalid input: expected string, received undefined',
			'expected 4 fields, found 3',
			'ts: "yesterday" is not a valid datetime',
			'wait_s: "soon" is not a number',
			'channel: Invalid option: expected one of "phone"|"chat"|"email"|"app"|"web"|"store"|"weibo"|"wechat"|"x"|"reddit"|"social"|"other"',
			'source_id: Invalid input: expected string, received undefined',
			// JSON.parse's words on both paths (they say where the line breaks; V8's wording varies).
			expect.stringMatching(/^invalid JSON: .*position 12/),
			'wait_s: Too small: expected number to be >=0',
			// Every failed check, as zod lists them.
			'channel: Invalid option: expected one of "phone"|"chat"|"email"|"app"|"web"|"store"|"weibo"|"wechat"|"x"|"reddit"|"social"|"other"; wait_s: Too small: expected number to be >=0'
		]);
		// A quarantined CSV record is a JSON object header → value: re-processable after a fix.
		expect(JSON.parse(sql.quarantine[0]!.raw)).toEqual({ id: 'c2', at: 'not a date', ch: 'phone', wait: '1' });
		const fixed = parseMapping({
			...mapping('csv'),
			fields: { ...mapping('csv').fields, channel: { from: 'ch', map: { phone: 'phone' }, default: 'phone' } }
		});
		const re = await reprocessQuarantine(ctx.db, fixed);
		expect(re.loaded).toBe(1); // c4: the unknown channel now defaults to phone
	}, 120_000);

	it('splits quoted CSV fields as the JS reader does (masked split, and the regex for odd lines)', async () => {
		const file = writeLines('quoted.csv', [
			'id,at,ch,note',
			'q1,2025-03-04 10:00:00,phone,"said ""hi"", then left"',
			'q2,2025-03-04 10:00:00,"phone",""',
			'q3,2025-03-04 10:00:00,phone,a "b" c',
			'"q4",2025-03-04 10:00:00,phone,"one, two, three"',
			'q5,2025-03-04 10:00:00,phone,plain',
			// Text after a closing quote is kept, as the JS reader keeps it.
			'q6,2025-03-04 10:00:00,phone,"x"y',
			'q7,2025-03-04 10:00:00,"phone",x"y"z'
		]);
		const mapping = parseMapping({
			name: 'quoted',
			entity: 'interaction',
			format: 'csv',
			fields: { source_id: 'id', ts: { from: 'at', format: 'yyyy-MM-dd HH:mm:ss' }, channel: 'ch', text: 'note' }
		});
		const stored: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const s = await ingestFile({ db: ctx.db, file, mapping, path });
			if (path === 'auto') expect(s.path).toBe('sql');
			stored[path] = await rows(ctx.db, `SELECT source_id, channel, text FROM interactions ORDER BY source_id`);
		}
		expect(stored.auto).toEqual(stored.js);
		expect(stored.auto).toEqual([
			{ source_id: 'q1', channel: 'phone', text: 'said "hi", then left' },
			{ source_id: 'q2', channel: 'phone', text: '' },
			{ source_id: 'q3', channel: 'phone', text: 'a "b" c' },
			{ source_id: 'q4', channel: 'phone', text: 'one, two, three' },
			{ source_id: 'q5', channel: 'phone', text: 'plain' },
			{ source_id: 'q6', channel: 'phone', text: 'xy' },
			{ source_id: 'q7', channel: 'phone', text: 'x"y"z' }
		]);
	}, 120_000);

	it('stores a key repeated in another month of the file once, as first seen, on both paths', async () => {
		// Interactions are partitioned by month: the first line of a key decides, whatever its month.
		const line = (id: string, at: string, wait: number) => JSON.stringify({ id, at, ch: 'phone', wait });
		const file = writeLines('months.ndjson', [
			line('m1', '2025-05-20T10:00:00Z', 1),
			line('m2', '2025-03-04T10:00:00Z', 2),
			line('m1', '2025-03-01T10:00:00Z', 3),
			line('m3', '2024-12-31T23:59:59Z', 4),
			line('m2', '2025-07-04T10:00:00Z', 5)
		]);
		const mapping = parseMapping({
			name: 'months',
			entity: 'interaction',
			format: 'ndjson',
			fields: { source_id: 'id', ts: 'at', channel: 'ch', wait_s: 'wait' }
		});
		const stored: Record<string, unknown> = {};
		// The SQL path inserts a range of months at a time: with 1-record blocks each month is its
		// own insert, and the first-of-each-key and stored-key filters must hold across them.
		for (const [path, blockRows] of [
			['js', ''],
			['auto', ''],
			['auto', '1']
		] as const) {
			await emptyTables();
			process.env.TOUCHMAP_INGEST_BLOCK_ROWS = blockRows;
			try {
				const s = await ingestFile({ db: ctx.db, file, mapping, path });
				expect([s.accepted, s.rejected, s.duplicates]).toEqual([3, 0, 2]);
				if (path === 'auto') expect(s.path).toBe('sql');
				// Again: nothing new, whichever month a key is in.
				const again = await ingestFile({ db: ctx.db, file, mapping, path });
				expect([again.accepted, again.duplicates]).toEqual([0, 5]);
			} finally {
				delete process.env.TOUCHMAP_INGEST_BLOCK_ROWS;
			}
			stored[`${path}${blockRows}`] = await rows(
				ctx.db,
				`SELECT source_id, toString(ts) AS ts, wait_s FROM interactions WHERE source = 'months' ORDER BY source_id`
			);
			expect(await rows(ctx.db, `SELECT count() AS n FROM interaction_keys FINAL`)).toEqual([{ n: 3 }]);
		}
		expect(stored.auto).toEqual(stored.js);
		expect(stored.auto1).toEqual(stored.js);
		expect(stored.auto).toEqual([
			{ source_id: 'm1', ts: '2025-05-20 10:00:00.000', wait_s: 1 },
			{ source_id: 'm2', ts: '2025-03-04 10:00:00.000', wait_s: 2 },
			{ source_id: 'm3', ts: '2024-12-31 23:59:59.000', wait_s: 4 }
		]);
	}, 120_000);

	it('trims by character as JavaScript does: text ending in "à" or "你" stays whole, Unicode spaces go', async () => {
		// ClickHouse's trimBoth(s, chars) trims bytes: with U+00A0 (C2 A0) in the set it cut the last
		// byte off "voilà" (… C3 A0) and "谢谢你" (… E4 BD A0). Both formats, both paths.
		const ndjson = writeLines('spaces.ndjson', [
			JSON.stringify({ id: 's1', at: '2025-03-04T10:00:00Z', note: '谢谢你', cat: 'Delivery', wait: '12' }),
			JSON.stringify({ id: 's2', at: '2025-03-04T10:00:00Z', note: ' voilà', cat: '\u3000Delivery\u00a0' }),
			JSON.stringify({ id: 's3', at: '2025-03-04T10:00:00Z', note: '\u3000padded\u00a0 ', wait: '\u00a012\u3000' }),
			// Escaped in the file: the JSON parser makes them the same spaces.
			'{"id":"s4","at":"2025-03-04T10:00:00Z","note":"\\u00a0escaped\\u2003","cat":" delivery\\ufeff"}',
			JSON.stringify({ id: 's5', at: '2025-03-04T10:00:00Z', note: '\u00a0\u3000' }),
			JSON.stringify({ id: '\u3000', at: '2025-03-04T10:00:00Z', note: 'blank id' }),
			JSON.stringify({ id: '\ufeffs7\u2028', at: '\u00a02025-03-04T10:00:00Z\u3000', note: 'x¿' })
		]);
		const csv = writeLines('spaces.csv', [
			'id,at,note,cat,wait',
			'c1,2025-03-04 10:00:00,谢谢你,Delivery,',
			'c2,2025-03-04 10:00:00,\u00a0voilà\u3000,\u3000Delivery,\u00a07'
		]);
		// No line of this one holds a non-ASCII space: it is trimmed by bytes, ASCII spaces only.
		const plain = writeLines('plain.ndjson', [
			JSON.stringify({ id: 'p1', at: '2025-03-04T10:00:00Z', note: '谢谢你 ', cat: ' Delivery' }),
			JSON.stringify({ id: 'p2', at: '2025-03-04T10:00:00Z', note: '\tvoilà' }),
			// Escaped as Python writes JSON: 谢谢你, no space among the escapes.
			'{"id":"p3","at":"2025-03-04T10:00:00Z","note":"\\u8c22\\u8c22\\u4f60 "}'
		]);
		const mapping = (format: 'csv' | 'ndjson') =>
			parseMapping({
				name: `spaces-${format}`,
				entity: 'interaction',
				format,
				constants: { channel: 'chat' },
				fields: {
					source_id: 'id',
					ts: 'at',
					text: 'note',
					stage: { from: 'cat', map: { delivery: 'delivery' } },
					wait_s: 'wait',
					'attributes.note': 'note'
				}
			});
		const stored: Record<string, unknown> = {};
		const counts: Record<string, number[][]> = {};
		for await (const path of bothPaths()) {
			counts[path] = [];
			for (const [file, format] of [
				[ndjson, 'ndjson'],
				[csv, 'csv'],
				[plain, 'ndjson']
			] as const) {
				const s = await ingestFile({ db: ctx.db, file, mapping: mapping(format), path });
				if (path === 'auto') expect(s.path).toBe('sql');
				counts[path].push([s.accepted, s.rejected, s.duplicates]);
			}
			stored[path] = {
				rows: await rows(
					ctx.db,
					`SELECT source_id, text, stage, wait_s, attributes['note'] AS note FROM interactions ORDER BY source_id`
				),
				quarantine: await rows(ctx.db, 'SELECT source, line, reason FROM quarantine ORDER BY source, line')
			};
		}
		expect(stored.auto).toEqual(stored.js);
		// The same counts on both paths (the SQL path maps such a file with its slower trim).
		expect(counts.auto).toEqual(counts.js);
		expect(counts.auto).toEqual([
			[6, 1, 0],
			[2, 0, 0],
			[3, 0, 0]
		]);
		expect(stored.auto).toEqual({
			rows: [
				{ source_id: 'c1', text: '谢谢你', stage: 'delivery', wait_s: null, note: '谢谢你' },
				{ source_id: 'c2', text: 'voilà', stage: 'delivery', wait_s: 7, note: '\u00a0voilà\u3000' },
				{ source_id: 'p1', text: '谢谢你', stage: 'delivery', wait_s: null, note: '谢谢你 ' },
				{ source_id: 'p2', text: 'voilà', stage: '', wait_s: null, note: '\tvoilà' },
				{ source_id: 'p3', text: '谢谢你', stage: '', wait_s: null, note: '谢谢你 ' },
				{ source_id: 's1', text: '谢谢你', stage: 'delivery', wait_s: 12, note: '谢谢你' },
				{ source_id: 's2', text: 'voilà', stage: 'delivery', wait_s: null, note: ' voilà' },
				{ source_id: 's3', text: 'padded', stage: '', wait_s: 12, note: '\u3000padded\u00a0 ' },
				{ source_id: 's4', text: 'escaped', stage: 'delivery', wait_s: null, note: '\u00a0escaped\u2003' },
				{ source_id: 's5', text: '', stage: '', wait_s: null, note: '' },
				{ source_id: 's7', text: 'x¿', stage: '', wait_s: null, note: 'x¿' }
			],
			quarantine: [
				{ source: 'spaces-ndjson', line: 6, reason: 'source_id: Invalid input: expected string, received undefined' }
			]
		});
	}, 120_000);

	it('reads numbers and times as the JS path does, refusing what is not one', async () => {
		const nums = [
			'12',
			' 12 ',
			'1e3',
			'0x10',
			'0b11',
			'0o7',
			'.5',
			'5.',
			'+5',
			'-0',
			'1_000',
			'1,5',
			'Infinity',
			'NaN',
			'12abc',
			'１２',
			'0.1e-2'
		];
		const times = [
			'2025-03-04T10:00:00Z',
			'2025-02-30T10:00:00Z',
			'2025-04-31T00:00:00Z',
			'2024-02-29T10:00:00Z',
			'2025-03-04',
			'2025-03-04 10:00',
			'2025-03-04T10:00:00+08:00',
			'2025-03-04T10:00:00 +08:00',
			'2025-03-04 10:00:00 +08:00',
			'2025-03-04T10:00:60Z',
			'2025-03-04T10Z',
			'2025-13-01',
			'20250304',
			'20250304T100000Z',
			'2025',
			'1741082400',
			'1741082400000',
			'1741082400.5',
			// A time without a date (Luxon would read it as today).
			'10:00:00',
			'T10:00'
		];
		const lines = [
			...nums.map((wait, i) => JSON.stringify({ id: `n${i}`, at: '2025-03-04T10:00:00Z', ch: 'phone', wait })),
			...times.map((at, i) => JSON.stringify({ id: `t${i}`, at, ch: 'phone' })),
			// As JSON numbers: epoch seconds from 9 digits; 20250304 is a date, not a day in 1970.
			'{"id":"e1","at":1741082400,"ch":"phone"}',
			'{"id":"e2","at":1741082400123,"ch":"phone"}',
			'{"id":"e3","at":20250304,"ch":"phone"}',
			'{"id":"e4","at":12.5,"ch":"phone"}'
		];
		const file = writeLines('values.ndjson', lines);
		const csv = writeLines('values.csv', ['id,at,wait', 'c1,1741082400,', 'c2,20250304,', 'c3,2025-02-30 10:00:00,']);
		const mapping = (format: 'csv' | 'ndjson') =>
			parseMapping({
				name: `values-${format}`,
				entity: 'interaction',
				format,
				constants: { channel: 'phone' },
				fields: { source_id: 'id', ts: 'at', wait_s: 'wait' }
			});
		const outcome: Record<string, Record<string, string>> = {};
		for await (const path of bothPaths()) {
			for (const [f, format] of [
				[file, 'ndjson'],
				[csv, 'csv']
			] as const) {
				const s = await ingestFile({ db: ctx.db, file: f, mapping: mapping(format), path });
				if (path === 'auto') expect(s.path).toBe('sql');
			}
			const stored = await rows<{ source_id: string; ts: string; wait_s: number | null }>(
				ctx.db,
				'SELECT source_id, toString(ts) AS ts, wait_s FROM interactions'
			);
			const refused = await rows<{ raw: string; reason: string }>(ctx.db, 'SELECT raw, reason FROM quarantine');
			outcome[path] = Object.fromEntries([
				...stored.map((r) => [r.source_id, `${r.ts} ${r.wait_s}`]),
				...refused.map((r) => [/"?id"?:"([^"]+)"/.exec(r.raw)![1]!, r.reason])
			]);
		}
		expect(outcome.auto).toEqual(outcome.js);
		expect(Object.keys(outcome.js!)).toHaveLength(nums.length + times.length + 4 + 3);
		expect(outcome.js).toMatchObject({
			n0: '2025-03-04 10:00:00.000 12',
			n2: '2025-03-04 10:00:00.000 1000',
			n3: 'wait_s: "0x10" is not a number',
			t1: 'ts: "2025-02-30T10:00:00Z" is not a valid datetime',
			t2: 'ts: "2025-04-31T00:00:00Z" is not a valid datetime',
			t3: '2024-02-29 10:00:00.000 null',
			t6: '2025-03-04 02:00:00.000 null',
			t9: 'ts: "2025-03-04T10:00:60Z" is not a valid datetime',
			t10: '2025-03-04 10:00:00.000 null',
			t12: '2025-03-04 00:00:00.000 null',
			t15: '2025-03-04 10:00:00.000 null',
			t16: '2025-03-04 10:00:00.000 null',
			e1: '2025-03-04 10:00:00.000 null',
			e2: '2025-03-04 10:00:00.123 null',
			e3: '2025-03-04 00:00:00.000 null',
			e4: 'ts: "12.5" is not a valid datetime',
			t18: 'ts: "10:00:00" is not a valid datetime',
			t19: 'ts: "T10:00" is not a valid datetime',
			c1: '2025-03-04 10:00:00.000 null',
			c2: '2025-03-04 00:00:00.000 null',
			c3: 'ts: "2025-02-30 10:00:00" is not a valid datetime'
		});
	}, 120_000);

	it('refuses a CSV lacking a mapped column before a row is read; loads an NDJSON file opening with a BOM', async () => {
		// The CSV has no `at` column: the run is refused, naming the columns the file lacks and its
		// nearest ones, and nothing is stored. The NDJSON file opens with a BOM, as Windows tools
		// write: both records load on both paths.
		const csv = writeLines('no-time.csv', [
			'id,when,ch',
			'm1,2025-03-04 10:00:00,phone',
			'm2,2025-03-04 11:00:00,chat'
		]);
		const bom = writeLines('bom.ndjson', [
			'\ufeff{"id":"b1","at":"2025-03-04T10:00:00Z","ch":"phone"}',
			'{"id":"b2","at":"2025-03-04T10:00:00Z","ch":"phone"}'
		]);
		const mapping = (format: 'csv' | 'ndjson') =>
			parseMapping({
				name: `edges-${format}`,
				entity: 'interaction',
				format,
				fields: { source_id: 'id', ts: 'at', channel: 'ch', wait_s: 'wait_time', fcr: 'done' }
			});
		const outcome: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			await expect(ingestFile({ db: ctx.db, file: csv, mapping: mapping('csv'), path })).rejects.toThrow(
				[
					'Mapping "edges-csv" cannot load no-time.csv:',
					'  fields.ts: column "at" is not in no-time.csv (columns: id, when, ch)',
					'  fields.wait_s: column "wait_time" is not in no-time.csv (columns: id, when, ch)',
					'  fields.fcr: column "done" is not in no-time.csv (columns: id, when, ch)'
				].join('\n')
			);
			const n = await ingestFile({ db: ctx.db, file: bom, mapping: mapping('ndjson'), path });
			if (path === 'auto') expect(n.path).toBe('sql');
			outcome[path] = {
				counts: [n.accepted, n.rejected, n.duplicates],
				// Fields none of the first records has are loaded empty, with a warning: an API omits empty fields.
				warnings: n.warnings,
				stored: await rows(ctx.db, 'SELECT source_id FROM interactions ORDER BY source_id'),
				quarantine: await rows(ctx.db, 'SELECT count() AS n FROM quarantine'),
				runs: await rows(ctx.db, "SELECT count() AS n FROM ingest_runs FINAL WHERE source = 'edges-csv'")
			};
		}
		expect(outcome.auto).toEqual(outcome.js);
		expect(outcome.auto).toEqual({
			counts: [2, 0, 0],
			warnings: [
				'fields.wait_s: "wait_time" is in none of the first 2 records of bom.ndjson (fields: id, at, ch)',
				'fields.fcr: "done" is in none of the first 2 records of bom.ndjson (fields: id, at, ch)'
			],
			stored: [{ source_id: 'b1' }, { source_id: 'b2' }],
			quarantine: [{ n: 0 }],
			runs: [{ n: 0 }]
		});
	}, 120_000);

	it('tells a line that is not JSON from JSON that is not an object as the JS path does', async () => {
		// The SQL path parses a line a second time (isValidJSON) only where no mapped value was
		// extracted or the line does not open with "{": every other line parsed already.
		const ok = (id: string) => `{"id":"${id}","at":"2025-03-04T10:00:00Z","ch":"phone"}`;
		const file = writeLines('shapes.ndjson', [
			ok('j1'),
			`   ${ok('j2')}`,
			`\t${ok('j3')}`,
			'[1,2]',
			'["j4","2025-03-04T10:00:00Z","phone"]',
			'"text"',
			'42',
			'null',
			'{}',
			'{"other":1}',
			'{"id":null,"at":null,"ch":null}',
			'[1,2',
			'  [1',
			'{"id":"j5","at":',
			`${ok('j6')} x`,
			`${ok('j7')}}`,
			'{"id":"j8" "at":"2025-03-04T10:00:00Z"}',
			'\ufeff' + ok('j9')
		]);
		const mapping = parseMapping({
			name: 'shapes',
			entity: 'interaction',
			format: 'ndjson',
			fields: { source_id: 'id', ts: 'at', channel: 'ch' }
		});
		const outcome: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const s = await ingestFile({ db: ctx.db, file, mapping, path });
			if (path === 'auto') expect(s.path).toBe('sql');
			outcome[path] = {
				stored: await rows(ctx.db, 'SELECT source_id FROM interactions ORDER BY source_id'),
				quarantine: await rows(ctx.db, 'SELECT line, raw, reason FROM quarantine ORDER BY line')
			};
		}
		expect(outcome.auto).toEqual(outcome.js);
		const { stored, quarantine } = outcome.auto as {
			stored: unknown[];
			quarantine: { line: string; reason: string }[];
		};
		expect(stored).toEqual([{ source_id: 'j1' }, { source_id: 'j2' }, { source_id: 'j3' }]);
		const reasons = Object.fromEntries(quarantine.map((q) => [Number(q.line), q.reason]));
		for (const line of [4, 5, 6, 7, 8]) expect(reasons[line]).toBe('line is not a JSON object');
		for (const line of [9, 10, 11]) expect(reasons[line]).toMatch(/^source_id: Invalid input/);
		for (const line of [12, 13, 14, 15, 16, 17, 18]) expect(reasons[line]).toMatch(/^invalid JSON: /);
	}, 120_000);

	it('names the allowed options when an outcome or scenario is not one, on both paths', async () => {
		// Both were "Invalid input" (a union of the options and ""), which said nothing of what to fix.
		const file = writeLines('options.ndjson', [
			'{"id":"o1","at":"2025-03-04T10:00:00Z","ch":"web","out":"resolved","sc":""}',
			'{"id":"o2","at":"2025-03-04T10:00:00Z","ch":"web","out":"done","sc":"inquiry"}',
			'{"id":"o3","at":"2025-03-04T10:00:00Z","ch":"web","out":"","sc":"question"}'
		]);
		const mapping = parseMapping({
			name: 'options',
			entity: 'interaction',
			format: 'ndjson',
			fields: { source_id: 'id', ts: 'at', channel: 'ch', outcome: 'out', scenario: 'sc' }
		});
		const outcome: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const s = await ingestFile({ db: ctx.db, file, mapping, path });
			if (path === 'auto') expect(s.path).toBe('sql');
			outcome[path] = {
				stored: await rows(ctx.db, 'SELECT source_id, outcome, scenario FROM interactions'),
				quarantine: await rows(ctx.db, 'SELECT line, reason FROM quarantine ORDER BY line')
			};
		}
		expect(outcome.auto).toEqual(outcome.js);
		expect(outcome.auto).toEqual({
			stored: [{ source_id: 'o1', outcome: 'resolved', scenario: '' }],
			quarantine: [
				{
					line: 2,
					reason:
						'outcome: Invalid option: expected one of "resolved"|"unresolved"|"escalated"|"transferred"|"abandoned"|""'
				},
				{
					line: 3,
					reason: 'scenario: Invalid option: expected one of "transaction"|"after_sales"|"complaint"|"inquiry"|""'
				}
			]
		});
	}, 120_000);
	it("names a source value missing from a field's map when the field is refused, on both paths", async () => {
		// The quarantine said "channel: Invalid option: expected one of …" for a source's new value
		// ("voice"); the fix is an entry in the mapping's map, so the reason names the value.
		const lines = [
			['n1', 'voice', 'solved', 'meh', ''],
			['n2', ' Fax ', 'whatever', 'good', ''],
			['n3', 'email', 'whatever', 'meh', ''],
			['n4', '', 'solved', '', 'sms'],
			['n5', 'skip', 'solved', '', '']
		];
		const ndjson = writeLines('unmapped.ndjson', [
			...lines.map(([id, ch, st, score, alt]) =>
				JSON.stringify({ id, at: '2025-03-04T10:00:00Z', ch, st, score, alt, lang: ch })
			),
			// JSON values that are not strings are named as JSON.stringify writes them.
			'{"id":"n6","at":"2025-03-04T10:00:00Z","ch":{"a": 1, "b": [1, 2]}}',
			'{"id":"n7","at":"2025-03-04T10:00:00Z","ch":12.50}',
			'{"id":"n8","at":"2025-03-04T10:00:00Z","ch":true}'
		]);
		const csv = writeLines('unmapped.csv', [
			'id,at,ch,st,score,alt,lang',
			...lines.map(([id, ch, st, score, alt]) => `${id},2025-03-04T10:00:00Z,${ch},${st},${score},${alt},${ch}`)
		]);
		const mapping = (format: 'csv' | 'ndjson') =>
			parseMapping({
				name: `unmapped-${format}`,
				entity: 'interaction',
				format,
				fields: {
					source_id: 'id',
					ts: 'at',
					// Required: a value missing from the map is refused, one mapped to null is empty.
					channel: { from: ['ch', 'alt'], map: { email: 'email', phone: 'phone', skip: null } },
					// Optional, or with a default: a value missing from the map is not an error.
					outcome: { from: 'st', map: { solved: 'resolved', pending: 'unresolved' } },
					csat: { from: 'score', map: { good: 1, bad: 0 } },
					language: { from: 'lang', map: { email: 'en' }, default: 'zh' }
				},
				constants: { csat_scale_min: 0, csat_scale_max: 1 }
			});
		const outcome: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const n = await ingestFile({ db: ctx.db, file: ndjson, mapping: mapping('ndjson'), path });
			const c = await ingestFile({ db: ctx.db, file: csv, mapping: mapping('csv'), path });
			if (path === 'auto') expect([n.path, c.path]).toEqual(['sql', 'sql']);
			outcome[path] = {
				stored: await rows(
					ctx.db,
					'SELECT source, source_id, channel, outcome, csat, language FROM interactions ORDER BY source, source_id'
				),
				quarantine: await rows(ctx.db, 'SELECT source, line, reason FROM quarantine ORDER BY source, line')
			};
		}
		expect(outcome.auto).toEqual(outcome.js);
		const stored = (source: string) => [
			{ source, source_id: 'n3', channel: 'email', outcome: '', csat: null, language: 'en' }
		];
		const refused = (source: string, first: number) => [
			{ source, line: first, reason: 'channel: no mapping for "voice"' },
			{ source, line: first + 1, reason: 'channel: no mapping for " Fax "' },
			{ source, line: first + 3, reason: 'channel: no mapping for "sms"' },
			{
				source,
				line: first + 4,
				reason:
					'channel: Invalid option: expected one of "phone"|"chat"|"email"|"app"|"web"|"store"|"weibo"|"wechat"|"x"|"reddit"|"social"|"other"'
			}
		];
		expect(outcome.auto).toEqual({
			stored: [...stored('unmapped-csv'), ...stored('unmapped-ndjson')],
			quarantine: [
				...refused('unmapped-csv', 2),
				...refused('unmapped-ndjson', 1),
				...['{"a":1,"b":[1,2]}', '12.5', 'true'].map((value, i) => ({
					source: 'unmapped-ndjson',
					line: 6 + i,
					reason: `channel: no mapping for "${value}"`
				}))
			]
		});
	}, 120_000);

	it('refuses as zod does: every failed check in order, none after one that stops zod, on both paths', async () => {
		// A limit that fails (wait_s) leaves the record-level refinement (csat's scale) to run; a
		// value that is not an option, or a fraction for an integer, stops there. The messages are
		// zod's own on both paths, the SQL path's taken from the schema.
		const file = writeLines('zod-order.ndjson', [
			'{"id":"z1","at":"2025-03-04T10:00:00Z","ch":"web","wait":"-1","csat":"9"}',
			'{"id":"z2","at":"2025-03-04T10:00:00Z","ch":"fax","csat":"9"}',
			'{"id":"z3","at":"2025-03-04T10:00:00Z","ch":"web","nps":"1e20"}',
			'{"id":"z4","at":"2025-03-04T10:00:00Z","ch":"web","nps":"11.4","wait":"700000"}',
			'{"id":"z5","at":"2025-03-04T10:00:00Z","ch":"web","nps":"9.6"}'
		]);
		const mapping = parseMapping({
			name: 'zod-order',
			entity: 'interaction',
			format: 'ndjson',
			fields: { source_id: 'id', ts: 'at', channel: 'ch', wait_s: 'wait', csat: 'csat', nps: 'nps' }
		});
		// A constant is not rounded: a fraction for an integer field refuses the mapping itself.
		expect(() =>
			parseMapping({
				name: 'zod-constant',
				entity: 'interaction',
				format: 'ndjson',
				constants: { channel: 'web', nps: 11.5 },
				fields: { source_id: 'id', ts: 'at', csat: 'csat' }
			})
		).toThrow('constants.nps: Invalid input: expected int, received number (got 11.5)');
		const outcome = await throughBothPaths(
			[[file, mapping]],
			'SELECT source, source_id, nps FROM interactions ORDER BY source, source_id',
			'SELECT source, line, reason FROM quarantine ORDER BY source, line'
		);
		expect(outcome).toEqual({
			stored: [{ source: 'zod-order', source_id: 'z5', nps: 10 }],
			quarantine: [
				{
					source: 'zod-order',
					line: 1,
					reason: 'wait_s: Too small: expected number to be >=0; csat: csat is outside its scale'
				},
				{
					source: 'zod-order',
					line: 2,
					reason:
						'channel: Invalid option: expected one of "phone"|"chat"|"email"|"app"|"web"|"store"|"weibo"|"wechat"|"x"|"reddit"|"social"|"other"'
				},
				{
					source: 'zod-order',
					line: 3,
					reason: 'nps: Too big: expected int to be <=9007199254740991; nps: Too big: expected number to be <=10'
				},
				{
					source: 'zod-order',
					line: 4,
					reason: 'wait_s: Too big: expected number to be <=604800; nps: Too big: expected number to be <=10'
				}
			]
		});
	}, 120_000);

	it("counts a text's length in characters as zod does, on both paths", async () => {
		// language allows 16 characters (code points): 16 emoji are 32 UTF-16 units and 64 UTF-8
		// bytes, 16 Chinese characters 48 bytes; the 17th character is refused, whatever it is.
		const file = writeLines('lengths.ndjson', [
			JSON.stringify({ id: 'l1', at: '2025-03-04T10:00:00Z', lang: '😀'.repeat(16) }),
			JSON.stringify({ id: 'l2', at: '2025-03-04T10:00:00Z', lang: '😀'.repeat(17) }),
			JSON.stringify({ id: 'l3', at: '2025-03-04T10:00:00Z', lang: '谢'.repeat(16) }),
			JSON.stringify({ id: 'l4', at: '2025-03-04T10:00:00Z', lang: '谢'.repeat(16) + '😀' })
		]);
		const mapping = parseMapping({
			name: 'lengths',
			entity: 'interaction',
			format: 'ndjson',
			constants: { channel: 'web' },
			fields: { source_id: 'id', ts: 'at', language: 'lang' }
		});
		const outcome = await throughBothPaths(
			[[file, mapping]],
			'SELECT source_id FROM interactions ORDER BY source_id',
			'SELECT line, reason FROM quarantine ORDER BY line'
		);
		const tooBig = 'language: Too big: expected string to have <=16 characters';
		expect(outcome).toEqual({
			stored: [{ source_id: 'l1' }, { source_id: 'l3' }],
			quarantine: [
				{ line: 2, reason: tooBig },
				{ line: 4, reason: tooBig }
			]
		});
	}, 120_000);

	it('reads a value under a declared ISO format as any ISO shape or epoch, in its zone, on both paths', async () => {
		const file = writeLines('iso-format.csv', [
			'id,at',
			'f1,2025-03-04 10:00:00',
			'f2,2025-03-04T10:00:00Z',
			'f3,2025-03-04T10:00',
			'f4,1741082400',
			'f5,2025-03-04',
			'f6,04/03/2025 10:00'
		]);
		const mapping = parseMapping({
			name: 'iso-format',
			entity: 'interaction',
			format: 'csv',
			constants: { channel: 'phone' },
			fields: { source_id: 'id', ts: { from: 'at', format: 'yyyy-MM-dd HH:mm:ss', timezone: 'Asia/Shanghai' } }
		});
		const outcome = await throughBothPaths(
			[[file, mapping]],
			'SELECT source_id, toString(ts) AS ts FROM interactions ORDER BY source_id',
			'SELECT line, reason FROM quarantine ORDER BY line'
		);
		expect(outcome).toEqual({
			stored: [
				{ source_id: 'f1', ts: '2025-03-04 02:00:00.000' },
				{ source_id: 'f2', ts: '2025-03-04 10:00:00.000' },
				{ source_id: 'f3', ts: '2025-03-04 02:00:00.000' },
				{ source_id: 'f4', ts: '2025-03-04 10:00:00.000' },
				{ source_id: 'f5', ts: '2025-03-03 16:00:00.000' }
			],
			quarantine: [{ line: 7, reason: 'ts: "04/03/2025 10:00" is not a valid datetime' }]
		});
	}, 120_000);

	it('computes dates, differences, comparisons, prefixes and conditions alike on both paths', async () => {
		// One definition of each computation (rule-plan.ts), run by map-record.ts and compiled by
		// sql/convert.ts: the stored values, the attributes' text and the refusals must agree.
		const bank = writeLines('bank.csv', [
			'CustomerId,Tenure,Exited,Age,Balance',
			'101,2,1,42,0',
			'102,0,0,61,83807.86',
			'103,10,0,,159660.8',
			'104,two,1,39,0',
			'105,,0,30,1.5'
		]);
		const bankMapping = parseMapping({
			name: 'bank',
			entity: 'customer',
			format: 'csv',
			fields: {
				customer_id: { from: 'CustomerId', prefix: 'bank-' },
				account_opened: { date: '2019-06-30', minus: { years: 'Tenure', months: 1 } },
				status: { if: { from: 'Exited', is: { '=': 1 } }, then: 'churned', else: 'active' },
				churn_date: {
					if: { from: 'Exited', type: 'boolean', is: { '=': true } },
					then: { date: '2019-06-30' },
					else: null
				},
				'attributes.older': { from: 'Age', type: 'number', is: { '>=': 60 } },
				'attributes.has_balance': { from: 'Balance', type: 'number', is: { '>': 0 } },
				'attributes.balance_band': {
					if: { from: 'Balance', type: 'number', is: { '>=': 100000 } },
					then: 'high',
					else: { from: 'Balance', prefix: 'low:' }
				}
			}
		});
		const shop = writeLines('shop.csv', [
			'id,cust,amt,bought,delivered,estimated',
			'o1,c1,10,2018-01-01 10:00:00,2018-01-11 22:00:00,2018-01-10 00:00:00',
			'o2,c1,5.5,2018-02-28 23:30:00,2018-03-01 08:00:00,2018-03-05 00:00:00',
			'o3,c2,7,2018-01-31 12:00:00,,2018-02-10 00:00:00',
			'o4,c2,1,2018-03-01 00:00:00,soon,2018-03-02 00:00:00'
		]);
		const shopMapping = parseMapping({
			name: 'shop',
			entity: 'order',
			format: 'csv',
			fields: {
				order_id: { from: 'id', prefix: 'shop-' },
				customer_id: 'cust',
				ts: 'bought',
				amount: 'amt',
				'attributes.late': { from: 'delivered', type: 'datetime', is: { '>': { field: 'estimated' } } },
				'attributes.delivery_days': { from: 'delivered', minus: 'bought', unit: 'days' },
				'attributes.due': { from: 'bought', plus: { months: 1, hours: 12 } },
				'attributes.amount_left': { from: 'amt', type: 'number', minus: 'amt' }
			}
		});
		const calls = writeLines('computed-calls.csv', [
			'id,at,score,queue',
			'k1,2025-03-04 10:00:00,1,billing',
			'k2,2025-03-04 11:00:00,5,',
			'k3,2025-03-04 12:00:00,,sales'
		]);
		const callMapping = parseMapping({
			name: 'computed-calls',
			entity: 'interaction',
			format: 'csv',
			constants: { channel: 'phone' },
			fields: {
				source_id: { from: 'id', prefix: 'call-' },
				ts: { from: 'at', plus: { minutes: 90 } },
				is_complaint: { from: 'score', type: 'number', is: { '<=': 2 } },
				team: {
					if: { from: 'queue', is: { '=': 'Billing' } },
					then: 'money',
					else: { from: 'queue', suffix: '-team' }
				},
				'attributes.wait_min': { from: 'score', type: 'number', minus: 'score' }
			}
		});
		const outcome = await throughBothPaths(
			[
				[bank, bankMapping],
				[shop, shopMapping],
				[calls, callMapping]
			],
			`SELECT * FROM (
				SELECT 'c' AS k, customer_id AS id, toString(account_opened) AS a, status AS b, toString(churn_date) AS c,
					toString(attributes) AS attrs FROM customers
				UNION ALL SELECT 'o', order_id, toString(ts), toString(amount), '', toString(attributes) FROM orders
				UNION ALL SELECT 'i', source_id, toString(ts), toString(is_complaint), team, toString(attributes) FROM interactions)
			ORDER BY k, id`,
			'SELECT source, line, reason FROM quarantine ORDER BY source, line'
		);
		expect(outcome).toEqual({
			stored: [
				{
					k: 'c',
					id: 'bank-101',
					a: '2017-05-30',
					b: 'churned',
					c: '2019-06-30',
					attrs: "{'older':'false','has_balance':'false','balance_band':'low:0'}"
				},
				{
					k: 'c',
					id: 'bank-102',
					a: '2019-05-30',
					b: 'active',
					c: null,
					attrs: "{'older':'true','has_balance':'true','balance_band':'low:83807.86'}"
				},
				{
					k: 'c',
					id: 'bank-103',
					a: '2009-05-30',
					b: 'active',
					c: null,
					attrs: "{'has_balance':'true','balance_band':'high'}"
				},
				{
					k: 'c',
					id: 'bank-105',
					a: null,
					b: 'active',
					c: null,
					attrs: "{'older':'false','has_balance':'true','balance_band':'low:1.5'}"
				},
				{ k: 'i', id: 'call-k1', a: '2025-03-04 11:30:00.000', b: '1', c: 'money', attrs: "{'wait_min':'0'}" },
				{ k: 'i', id: 'call-k2', a: '2025-03-04 12:30:00.000', b: '0', c: '', attrs: "{'wait_min':'0'}" },
				{ k: 'i', id: 'call-k3', a: '2025-03-04 13:30:00.000', b: '0', c: 'sales-team', attrs: '{}' },
				{
					k: 'o',
					id: 'shop-o1',
					a: '2018-01-01 10:00:00.000',
					b: '10',
					c: '',
					attrs: "{'late':'true','delivery_days':'10.5','due':'2018-02-01T22:00:00.000Z','amount_left':'0'}"
				},
				{
					k: 'o',
					id: 'shop-o2',
					a: '2018-02-28 23:30:00.000',
					b: '5.5',
					c: '',
					attrs:
						"{'late':'false','delivery_days':'0.3541666666666667','due':'2018-03-29T11:30:00.000Z','amount_left':'0'}"
				},
				{
					k: 'o',
					id: 'shop-o3',
					a: '2018-01-31 12:00:00.000',
					b: '7',
					c: '',
					attrs: "{'due':'2018-03-01T00:00:00.000Z','amount_left':'0'}"
				}
			],
			quarantine: [
				{ source: 'bank', line: 5, reason: 'account_opened: "two" is not a whole number' },
				{ source: 'shop', line: 5, reason: 'attributes.late: "soon" is not a valid datetime' }
			]
		});
	}, 180_000);

	it('quarantines a line once however often its file is loaded, and names the top reasons alike', async () => {
		const file = writeLines('refused.csv', [
			'id,at,ch,wait',
			'q1,2025-03-04 10:00:00,phone,1',
			'q2,2025-03-04 10:00:00,fax,2',
			'q3,2025-03-04 10:00:00,telex,3',
			'q4,yesterday,phone,4',
			'q5,2025-03-04 10:00:00,fax,n/a',
			'q6,2025-03-04 10:00:00,fax,6'
		]);
		const mapping = (extra: Record<string, string>) =>
			parseMapping({
				name: 'refused',
				entity: 'interaction',
				format: 'csv',
				fields: {
					source_id: 'id',
					ts: 'at',
					wait_s: 'wait',
					channel: { from: 'ch', map: { phone: 'phone', ...extra } }
				}
			});
		const outcome: Record<string, unknown> = {};
		for await (const path of bothPaths()) {
			const runs = [];
			for (const m of [mapping({}), mapping({}), mapping({ fax: 'email', telex: '' })]) {
				const s = await ingestFile({ db: ctx.db, file, mapping: m, path });
				if (path === 'auto') expect(s.path).toBe('sql');
				runs.push({
					counts: [s.accepted, s.rejected, s.duplicates],
					top: s.topReasons,
					quarantine: await rows(ctx.db, 'SELECT line, reason FROM quarantine ORDER BY line')
				});
			}
			outcome[path] = runs;
		}
		expect(outcome.auto).toEqual(outcome.js);
		const noMapping = 'channel: no mapping for "…"';
		const channelOption =
			'channel: Invalid option: expected one of "phone"|"chat"|"email"|"app"|"web"|"store"|"weibo"|"wechat"|"x"|"reddit"|"social"|"other"';
		const firstRun = {
			counts: [1, 5, 0],
			top: [
				{ reason: noMapping, count: 3, example: 'channel: no mapping for "fax"' },
				{ reason: 'ts: "…" is not a valid datetime', count: 1, example: 'ts: "yesterday" is not a valid datetime' },
				{ reason: 'wait_s: "…" is not a number', count: 1, example: 'wait_s: "n/a" is not a number' }
			],
			quarantine: [
				{ line: 3, reason: 'channel: no mapping for "fax"' },
				{ line: 4, reason: 'channel: no mapping for "telex"' },
				{ line: 5, reason: 'ts: "yesterday" is not a valid datetime' },
				{ line: 6, reason: 'wait_s: "n/a" is not a number' },
				{ line: 7, reason: 'channel: no mapping for "fax"' }
			]
		};
		expect(outcome.auto).toEqual([
			firstRun,
			// The same file again: nothing new stored, nothing quarantined twice.
			{ ...firstRun, counts: [0, 5, 1] },
			// A mapping that knows fax: those lines load. Telex is mapped to nothing, which a channel
			// cannot be: its line's reason is replaced, not stored a second time.
			{
				counts: [2, 3, 1],
				top: [
					{ reason: channelOption.replace(/"[^"]*"/g, '"…"'), count: 1, example: channelOption },
					{ reason: 'ts: "…" is not a valid datetime', count: 1, example: 'ts: "yesterday" is not a valid datetime' },
					{ reason: 'wait_s: "…" is not a number', count: 1, example: 'wait_s: "n/a" is not a number' }
				],
				quarantine: [
					{ line: 3, reason: 'channel: no mapping for "fax"' },
					{ line: 4, reason: channelOption },
					{ line: 5, reason: 'ts: "yesterday" is not a valid datetime' },
					{ line: 6, reason: 'wait_s: "n/a" is not a number' },
					{ line: 7, reason: 'channel: no mapping for "fax"' }
				]
			}
		]);
	}, 180_000);

	it('reads a plain-text file a record a line, numbered by $line, alike on both paths', async () => {
		const file = writeLines('notes.txt', ['\ufeffparcel never arrived', '', '  refund please  ', 'thanks!']);
		const mapping = parseMapping({
			name: 'notes',
			entity: 'interaction',
			format: 'lines',
			constants: { channel: 'email' },
			fields: { source_id: { from: '$line', prefix: 'n' }, ts: { date: '2025-03-04T10:00:00Z' }, text: 'line' }
		});
		const outcome = await throughBothPaths(
			[[file, mapping]],
			'SELECT source_id, toString(ts) AS ts, text FROM interactions ORDER BY source_id',
			'SELECT count() AS n FROM quarantine'
		);
		expect(outcome).toEqual({
			stored: [
				{ source_id: 'n1', ts: '2025-03-04 10:00:00.000', text: 'parcel never arrived' },
				{ source_id: 'n3', ts: '2025-03-04 10:00:00.000', text: 'refund please' },
				{ source_id: 'n4', ts: '2025-03-04 10:00:00.000', text: 'thanks!' }
			],
			quarantine: [{ n: 0 }]
		});
	}, 180_000);

	it('words every unparsable line as JSON.parse does, past one batch of them', async () => {
		// The SQL path reads those lines back 10,000 at a time to word their reasons.
		const file = writeLines('broken.ndjson', [
			'{"id":"ok","at":"2025-03-04T10:00:00Z","ch":"web"}',
			...Array.from({ length: 10_001 }, (_, i) => `{"id":"b${i}",`)
		]);
		const mapping = parseMapping({
			name: 'broken',
			entity: 'interaction',
			format: 'ndjson',
			fields: { source_id: 'id', ts: 'at', channel: 'ch' }
		});
		await emptyTables();
		const s = await ingestFile({ db: ctx.db, file, mapping });
		expect([s.path, s.accepted, s.rejected]).toEqual(['sql', 1, 10_001]);
		const [q] = await rows<Record<string, number>>(
			ctx.db,
			`SELECT count() AS n, uniqExact(line) AS lines, min(line) AS first, max(line) AS last,
				countIf(reason LIKE 'invalid JSON: %' AND reason != 'invalid JSON: the line does not parse') AS worded
			FROM quarantine WHERE source = 'broken'`
		);
		expect(q).toEqual({ n: 10_001, lines: 10_001, first: 2, last: 10_002, worded: 10_001 });
	}, 120_000);

	it('escapes SQL string literals', () => {
		expect(sqlString("it's a \\ test\n")).toBe("'it\\'s a \\\\ test\\x0a'");
	});
});
