/**
 * `npm start` keeps the server up: the supervisor starts it again after a crash or a kill, and
 * stops with it when asked to.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../scripts/supervise.js';

describe('supervisor', () => {
	it('starts a crashed or killed server again, waiting longer when it keeps dying', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'touchmap-supervise-'));
		const runs = join(dir, 'runs');
		writeFileSync(runs, '');
		// Run 1 crashes, run 2 is killed, run 3 exits cleanly.
		const entry = join(dir, 'server.mjs');
		writeFileSync(
			entry,
			`import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
const n = readFileSync(${JSON.stringify(runs)}, 'utf8').length;
if (n === 1) throw new Error('boom');
if (n === 2) process.kill(process.pid, 'SIGKILL');
`
		);
		const lines: string[] = [];
		const code = await supervise(entry, { log: (l) => lines.push(l), maxRestarts: 2, maxDelayMs: 200 });
		expect(readFileSync(runs, 'utf8')).toBe('xxx');
		expect(code).toBe(0);
		expect(lines).toEqual([
			'touchmap: the server stopped (exit code 1); starting it again in 0 s',
			'touchmap: the server stopped (SIGKILL); starting it again in 0.2 s'
		]);
	});
});
