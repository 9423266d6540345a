/**
 * Exactly-once file ingest under SIGKILL: `npm run ingest -- --mapping M --file F` is killed at
 * random points of its run, again and again, on the SQL path and on the JS path, then run to the
 * end. Every valid record of the file must be in `interactions` exactly once (raw rows) and counted
 * once in the roll-ups, every refused one in quarantine once, and no run left 'running'.
 *
 * A kill lands after a random progress line of the run (TOUCHMAP_INGEST_TRACE=1: the SQL path's
 * steps, the JS path's batches), a random part of the way to the next one as a calibration run of
 * another source timed it, and at the latest when the next line comes. Never the last two lines, so
 * every kill lands inside the inserts, whatever the load: a run that ended before its kill point
 * would store the whole file and leave nothing for the later kills to interrupt.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rows } from '../helpers/db';

const ROWS = 40_000;
const KILLS = 4;
const dir = mkdtempSync(join(tmpdir(), 'touchmap-crash-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Interactions over six months; every 500th row has no valid time, every 1000th repeats the id before it. */
function writeFile(): { file: string; valid: number; refused: number } {
	const lines = ['id,at,ch,wait'];
	let refused = 0;
	const ids = new Set<string>();
	for (let i = 1; i <= ROWS; i++) {
		const id = i % 1000 === 0 ? `r${i - 1}` : `r${i}`;
		const month = String(1 + (i % 6)).padStart(2, '0');
		const bad = i % 500 === 250;
		if (bad) refused++;
		else ids.add(id);
		lines.push(
			`${id},${bad ? 'not a time' : `2025-${month}-1${i % 10}T10:${String(i % 60).padStart(2, '0')}:00Z`},phone,${i % 300}`
		);
	}
	const file = join(dir, 'calls.csv');
	writeFileSync(file, lines.join('\n') + '\n');
	return { file, valid: ids.size, refused };
}

function writeMapping(name: string): string {
	const path = join(dir, `${name}.json`);
	writeFileSync(
		path,
		JSON.stringify({
			name,
			entity: 'interaction',
			format: 'csv',
			fields: { source_id: 'id', ts: 'at', channel: 'ch', wait_s: 'wait' }
		})
	);
	return path;
}

interface Outcome {
	code: number | null;
	killed: boolean;
	/** From the first progress line to the exit (or the kill). */
	ms: number;
	/** When each progress line came, in ms from the first. */
	lines: number[];
	/** The process group that ran. */
	group: number | undefined;
	stdout: string;
}

/** Kill after progress line `after` (1 = the first), `delay` ms later or when the next line comes. */
interface KillPoint {
	after: number;
	delay: number;
}

const PROGRESS = /^(sql|js) path: /gm;

/** Runs the file CLI as a user would; kills its whole process group (npm, tsx, node) at `kill`. */
function ingest(mapping: string, file: string, js: boolean, kill?: KillPoint): Promise<Outcome> {
	const args = [
		'run',
		'ingest',
		'--',
		'--mapping',
		mapping,
		'--file',
		file,
		'--json',
		...(js ? ['--js', '--batch', '2000'] : [])
	];
	const child = spawn('npm', args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			TOUCHMAP_DATA_DIR: dataDir,
			TOUCHMAP_DEMO: '0',
			TOUCHMAP_INGEST_BLOCK_ROWS: '2000',
			TOUCHMAP_INGEST_TRACE: '1'
		}
	});
	let stdout = '';
	let stderr = '';
	const lines: number[] = [];
	let killed = false;
	let timer: NodeJS.Timeout | undefined;
	const killNow = () => {
		if (killed) return;
		try {
			process.kill(-child.pid!, 'SIGKILL');
			killed = true;
		} catch {
			// The group is gone already.
		}
	};
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => {
		stderr += d;
		const seen = stderr.match(PROGRESS)?.length ?? 0;
		while (lines.length < seen) lines.push(Date.now());
		if (!kill || killed) return;
		if (seen > kill.after) killNow();
		else if (seen === kill.after && timer === undefined) timer = setTimeout(killNow, kill.delay);
	});
	return new Promise((resolve) =>
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (!killed && code !== 0) process.stderr.write(stderr);
			const first = lines[0] ?? Date.now();
			resolve({ code, killed, ms: Date.now() - first, lines: lines.map((t) => t - first), group: child.pid, stdout });
		})
	);
}

/** Waits until no process of a killed group is left to hold the data directory's lock. */
async function settle(group: number | undefined): Promise<void> {
	for (let waited = 0; group !== undefined && waited < 20_000; waited += 100) {
		try {
			process.kill(-group, 0);
		} catch {
			break;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	await new Promise((r) => setTimeout(r, 200));
}

describe('file ingest killed with SIGKILL', () => {
	const { file, valid, refused } = writeFile();
	const report: string[] = [];

	it('stores every record exactly once on both paths, whatever the kill points', async () => {
		const runs: Record<string, Outcome[]> = {};
		for (const js of [false, true]) {
			const path = js ? 'js' : 'sql';
			// When each progress line of a whole run comes here and now (another source, so its rows count apart).
			const calibration = await ingest(writeMapping(`cal-${path}`), file, js);
			expect(calibration.code).toBe(0);
			const at = calibration.lines;
			expect(at.length).toBeGreaterThanOrEqual(3);
			const mapping = writeMapping(`crash-${path}`);
			runs[path] = [];
			for (let k = 0; k < KILLS; k++) {
				const after = 1 + Math.floor(Math.random() * (at.length - 2));
				const delay = Math.round(Math.random() * (at[after]! - at[after - 1]!));
				const run = await ingest(mapping, file, js, { after, delay });
				runs[path].push(run);
				await settle(run.group);
			}
			const last = await ingest(mapping, file, js);
			expect(last.code).toBe(0);
			runs[path].push(last);
		}
		// Only now does this process open the database (one owner per directory).
		process.env.TOUCHMAP_DATA_DIR = dataDir;
		process.env.TOUCHMAP_DEMO = '0';
		const { openDb } = await import('../../db/open');
		const { closeDb } = await import('../../db/client');
		const db = await openDb();
		try {
			for (const path of ['sql', 'js']) {
				const source = `crash-${path}`;
				const [stored] = await rows<{ n: number; ids: number }>(
					db,
					`SELECT count() AS n, uniqExact(interaction_id) AS ids FROM interactions WHERE source = {s:String}`,
					{ s: source }
				);
				const [keys] = await rows<{ n: number }>(
					db,
					`SELECT uniqExact(interaction_id) AS n FROM interaction_keys WHERE startsWith(interaction_id, {p:String})`,
					{ p: `${source}:` }
				);
				const [q] = await rows<{ n: number; lines: number }>(
					db,
					`SELECT count() AS n, uniqExact(line) AS lines FROM quarantine WHERE source = {s:String}`,
					{ s: source }
				);
				// The roll-ups the dashboards read count every stored row once (a kill between a block's
				// rows and its views' parts is repaired at the next start).
				const [rolled] = await rows<{ n: number }>(
					db,
					`SELECT sum(interactions) AS n FROM reason_daily WHERE source = {s:String}`,
					{ s: source }
				);
				const status = await rows<{ status: string; n: number }>(
					db,
					`SELECT status, count() AS n FROM ingest_runs FINAL WHERE source = {s:String} GROUP BY status ORDER BY status`,
					{ s: source }
				);
				const kills = runs[path]!.filter((r) => r.killed);
				report.push(
					`${path}: ${kills.length} kills at ${kills.map((r) => `${r.ms} ms`).join(', ')}; ` +
						`rows expected ${valid}, found ${stored!.n} (${stored!.ids} distinct ids), in roll-ups ${rolled!.n}; ` +
						`quarantine expected ${refused}, found ${q!.n}; runs ${status.map((s) => `${s.status} ${s.n}`).join(', ')}`
				);
				expect(kills.length).toBeGreaterThan(0);
				expect({
					rows: Number(stored!.n),
					ids: Number(stored!.ids),
					keys: Number(keys!.n),
					rolled: Number(rolled!.n)
				}).toEqual({ rows: valid, ids: valid, keys: valid, rolled: valid });
				expect({ n: Number(q!.n), lines: Number(q!.lines) }).toEqual({ n: refused, lines: refused });
				expect(status.find((s) => s.status === 'running')).toBeUndefined();
				expect(Number(status.find((s) => s.status === 'ok')?.n)).toBeGreaterThanOrEqual(1);
			}
			// Every source together: the daily and hourly KPI roll-ups hold exactly the stored rows.
			const [all] = await rows<{ stored: number; daily: number; hourly: number }>(
				db,
				`SELECT (SELECT count() FROM interactions) AS stored, (SELECT sum(interactions) FROM kpi_daily) AS daily,
					(SELECT sum(interactions) FROM kpi_hourly WHERE dim = 'all') AS hourly`
			);
			report.push(`all sources: ${all!.stored} rows stored, kpi_daily ${all!.daily}, kpi_hourly ${all!.hourly}`);
			expect([Number(all!.daily), Number(all!.hourly)]).toEqual([Number(all!.stored), Number(all!.stored)]);
		} finally {
			console.log(`crash test (${ROWS} lines, ${valid} valid ids, ${refused} refused):\n  ${report.join('\n  ')}`);
			await closeDb();
		}
	}, 1_500_000);
});
