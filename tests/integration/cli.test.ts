import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../helpers/db';

const run = promisify(execFile);
const tsx = 'node_modules/tsx/dist/cli.mjs';
const cli = (args: string[], env: Record<string, string>) =>
	run(process.execPath, [tsx, 'ingest/cli.ts', ...args], { env: { ...process.env, ...env } }).then(
		(r) => ({ code: 0, ...r }),
		(e: { code: number; stdout: string; stderr: string }) => e
	);

const dirs: string[] = [];
/** A fresh directory for one test's files and database; all are removed after the file's tests. */
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'touchmap-cli-'));
	dirs.push(dir);
	return dir;
}
/** Writes `text` to `name` in a fresh directory; the test's database can go beside it. */
function tempFile(name: string, text: string): { dir: string; file: string } {
	const dir = tempDir();
	const file = join(dir, name);
	writeFileSync(file, text);
	return { dir, file };
}
afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ingest', () => {
	it('documents itself with --help', async () => {
		const r = await cli(['--help'], {});
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/--mapping FILE/);
		expect(r.stdout).toMatch(/quarantine/);
	});

	it('prints a summary line and, with --json, counts as the last line', async () => {
		const dir = tempDir();
		const args = ['--mapping', 'tests/fixtures/calls.mapping.json', '--file', 'tests/fixtures/calls.csv', '--json'];
		const first = await cli(args, { TOUCHMAP_DATA_DIR: dir });
		expect(first.code).toBe(0);
		const lines = first.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/^calls\.csv: 4 accepted, 4 quarantined, 0 duplicates in/);
		// What was refused, most frequent first, each kind once with an example.
		expect(lines[1]).toMatch(
			/^ {2}quarantined most often \(SELECT \* FROM quarantine WHERE run_id = '[0-9a-f-]+' shows them all\):$/
		);
		expect(lines.slice(2, -1)).toEqual([
			'    1 × csat: csat is outside its scale',
			'    1 × expected 9 fields, found 4',
			'    1 × ts: "…" is not a valid datetime (e.g. ts: "not-a-date" is not a valid datetime)',
			'    1 × wait_s: "…" is not a number (e.g. wait_s: "oops" is not a number)'
		]);
		expect(JSON.parse(lines.at(-1)!)).toMatchObject({ accepted: 4, rejected: 4, duplicates: 0 });
		const again = await cli(args, { TOUCHMAP_DATA_DIR: dir });
		expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({
			accepted: 0,
			rejected: 4,
			duplicates: 4
		});
	}, 180_000);

	it('says why when every record of a file was quarantined', async () => {
		const { dir, file } = tempFile(
			'late.csv',
			'call_id,account,started,queue,wait_sec,talk_min,disposition,survey,transcript\n' +
				'x1,cust-1,03/03/2025,Billing,30,6,resolved,5,hi\nx2,cust-1,04/03/2025,Billing,30,6,resolved,5,hi\n'
		);
		const r = await cli(['--mapping', 'tests/fixtures/calls.mapping.json', '--file', file, '--json'], {
			TOUCHMAP_DATA_DIR: join(dir, 'data')
		});
		expect(r.code).toBe(0);
		const lines = r.stdout.trim().split('\n');
		expect(lines.slice(1, -1)).toEqual([
			'  every record was quarantined; why, most frequent first:',
			'    2 × ts: "…" is not a valid datetime (e.g. ts: "03/03/2025" is not a valid datetime)'
		]);
		expect(JSON.parse(lines.at(-1)!).topReasons).toEqual([
			{
				file: 'late.csv',
				reasons: [
					{ reason: 'ts: "…" is not a valid datetime', count: 2, example: 'ts: "03/03/2025" is not a valid datetime' }
				]
			}
		]);
	}, 180_000);

	it('refuses a mapping naming a field that does not exist, with the nearest name', async () => {
		const { dir, file: mapping } = tempFile(
			'm.json',
			JSON.stringify({
				name: 'm',
				entity: 'interaction',
				format: 'csv',
				fields: { source_id: 'call_id', txt: 'transcript' }
			})
		);
		const r = await cli(['--mapping', mapping, '--file', 'tests/fixtures/calls.csv'], {
			TOUCHMAP_DATA_DIR: join(dir, 'data')
		});
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('fields.txt: unknown field "txt" for interaction records — did you mean "text"?');
		expect(r.stderr).not.toMatch(/\n\s+at /);
	}, 180_000);

	it('says what is wrong with bad arguments, without a stack trace', async () => {
		const r = await cli(['--mapping', 'tests/fixtures/calls.mapping.json'], {});
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--mapping and --file are required/);
		const bad = await cli(['--mapping', 'nope.json', '--file', 'tests/fixtures/calls.csv'], {});
		expect(bad.stderr).toMatch(/Mapping nope.json cannot be read/);
		expect(bad.stderr).not.toMatch(/\n\s+at /);
	});
});

describe('one owner per embedded data directory', () => {
	let ctx: Awaited<ReturnType<typeof freshDb>>;
	beforeAll(async () => {
		ctx = await freshDb(); // this process now owns the directory, as `npm start` would
	});
	afterAll(() => ctx.close());

	it('stops a second process with a clear message instead of a raw lock error', async () => {
		const r = await cli(['--mapping', 'tests/fixtures/calls.mapping.json', '--file', 'tests/fixtures/calls.csv'], {
			TOUCHMAP_DATA_DIR: ctx.dir
		});
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/is in use by another Touchmap process .*npm start/);
		expect(r.stderr).not.toMatch(/Cannot lock file/);
	});
});
