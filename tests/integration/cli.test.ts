import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

describe('npm run ingest', () => {
	it('documents itself with --help', async () => {
		const r = await cli(['--help'], {});
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/--mapping FILE/);
		expect(r.stdout).toMatch(/quarantine/);
	});

	it('prints a summary line and, with --json, counts as the last line', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'touchmap-cli-'));
		const args = ['--mapping', 'tests/fixtures/calls.mapping.json', '--file', 'tests/fixtures/calls.csv', '--json'];
		const first = await cli(args, { TOUCHMAP_DATA_DIR: dir });
		expect(first.code).toBe(0);
		const lines = first.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/^calls\.csv: 4 accepted, 4 quarantined, 0 duplicates in/);
		expect(JSON.parse(lines.at(-1)!)).toMatchObject({ accepted: 4, rejected: 4, duplicates: 0 });
		const again = await cli(args, { TOUCHMAP_DATA_DIR: dir });
		expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({
			accepted: 0,
			rejected: 4,
			duplicates: 4
		});
		rmSync(dir, { recursive: true, force: true });
	});

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
