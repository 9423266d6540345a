import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'touchmap-text-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(script: string, args: string[]) {
	try {
		const { stdout, stderr } = await run(tsx, [script, ...args], {
			env: { ...process.env, TOUCHMAP_DATA_DIR: join(dir, 'data') }
		});
		return { code: 0, stdout, stderr };
	} catch (err) {
		const e = err as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}

describe('npm run analyze', () => {
	it('writes one JSON line per good input and reports bad lines on stderr', async () => {
		const file = join(dir, 'texts.ndjson');
		writeFileSync(
			file,
			[
				'{"id":1,"text":"I want to cancel my order, it is taking forever 😡"}',
				'this is not json',
				'{"id":"b","text":"退款什么时候到账？"}',
				'{"id":3}',
				'',
				'{"id":4,"text":""}'
			].join('\n')
		);
		const r = await cli('scripts/analyze.ts', ['--file', file]);
		expect(r.code).toBe(1);
		const lines = r.stdout
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines.map((l) => l.id)).toEqual([1, 'b', 4]);
		expect(Object.keys(lines[0])).toEqual(['id', 'language', 'sentiment', 'label', 'scenario', 'intent']);
		expect(lines[0]).toMatchObject({
			language: 'en',
			label: 'negative',
			intent: 'cancel_order',
			scenario: 'transaction'
		});
		expect(lines[1]).toMatchObject({ language: 'zh', intent: 'refund', scenario: 'after_sales' });
		expect(lines[2]).toMatchObject({ sentiment: null, label: '', intent: '' });
		expect(r.stderr).toMatch(/line 2: not valid JSON/);
		expect(r.stderr).toMatch(/line 4: "text" is missing/);
	});

	it('explains a missing --file', async () => {
		const r = await cli('scripts/analyze.ts', []);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--file is required/);
	});
});

describe('npm run enrich', () => {
	it('prints help and rejects a bad --since without opening the database', async () => {
		expect((await cli('scripts/enrich.ts', ['--help'])).stdout).toMatch(/--since DATE/);
		const r = await cli('scripts/enrich.ts', ['--since', '2025-13-45']);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--since YYYY-MM-DD is required/);
	});
});

describe('npm run analyze on the worker pool', () => {
	it('gives the same answers with two workers as in one thread, in input order', async () => {
		const file = join(dir, 'many.ndjson');
		const texts = [
			'The courier was late again',
			'Thanks, the refund arrived',
			'How do I change my address?',
			'快递太慢了',
			'El pedido llego roto'
		];
		// More texts than the pool's minimum batch, all different.
		writeFileSync(
			file,
			Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, text: `${texts[i % 5]} #${i}` })).join('\n')
		);
		const runWith = async (workers: string) => {
			const { stdout, stderr } = await run(tsx, ['scripts/analyze.ts', '--file', file], {
				env: { ...process.env, TOUCHMAP_TEXT_WORKERS: workers }
			});
			return { lines: stdout.trim().split('\n'), stderr };
		};
		const [one, two] = await Promise.all([runWith('0'), runWith('2')]);
		expect(two.lines).toHaveLength(300);
		expect(two.lines).toEqual(one.lines);
		expect(two.lines.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 300 }, (_, i) => i));
		// Texts in languages without a model are counted and visible.
		expect(two.stderr).toMatch(/analyze: 300 texts — en 180, /);
		expect(two.stderr).toMatch(/ es 60 \(no sentiment\)/);
		expect(two.stderr).toMatch(/ zh 60(,|$)/m);
	});
});
