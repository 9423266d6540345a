/**
 * A run killed between writing a block to `interactions` and its views writing the roll-ups leaves
 * rows the dashboards do not count. The next file run closes the dead run and rebuilds the roll-ups
 * of the months it wrote into from `interactions`: every roll-up counts every stored row once, in
 * the damaged months and the others alike. Simulated exactly: a loaded run set back to 'running'
 * (as a kill leaves it) and one month's roll-up rows taken away (as a kill between the parts does).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCrashedRuns } from '../../ingest/loading/crashed-runs';
import { ingestFile } from '../../ingest/loading/ingest-file';
import { parseMapping } from '../../ingest/mapping/mapping-file';
import { freshDb, rows } from '../helpers/db';

const N = 3000;
let ctx: Awaited<ReturnType<typeof freshDb>>;
let file: string;
const mapping = parseMapping({
	name: 'calls',
	entity: 'interaction',
	format: 'csv',
	fields: { source_id: 'id', ts: 'at', channel: 'ch', wait_s: 'wait' }
});

beforeAll(async () => {
	ctx = await freshDb();
	file = join(ctx.dir, 'calls.csv');
	const lines = ['id,at,ch,wait'];
	for (let i = 0; i < N; i++)
		lines.push(`c${i},2025-0${1 + (i % 3)}-1${i % 10}T10:00:00Z,${i % 2 ? 'phone' : 'chat'},${i % 120}`);
	writeFileSync(file, lines.join('\n') + '\n');
	expect(await ingestFile({ db: ctx.db, file, mapping })).toMatchObject({ accepted: N, rejected: 0 });
}, 300_000);
afterAll(() => ctx.close());

/** Per month: stored rows, and what three roll-ups (each through its own view) count. */
const counts = () =>
	rows<{ m: number; stored: string; daily: string; hourly: string; reasons: string }>(
		ctx.db,
		`SELECT m, stored, daily, hourly, reasons FROM
			(SELECT toYYYYMM(ts) AS m, count() AS stored FROM interactions GROUP BY m) AS i
		LEFT JOIN (SELECT toYYYYMM(day) AS m, sum(interactions) AS daily FROM kpi_daily GROUP BY m) AS d USING m
		LEFT JOIN (SELECT toYYYYMM(hour) AS m, sum(interactions) AS hourly FROM kpi_hourly WHERE dim = 'all' GROUP BY m) AS h USING m
		LEFT JOIN (SELECT toYYYYMM(day) AS m, sum(interactions) AS reasons FROM reason_daily GROUP BY m) AS r USING m
		ORDER BY m`
	).then((rs) => rs.map((r) => [r.m, Number(r.stored), Number(r.daily), Number(r.hourly), Number(r.reasons)]));

describe('roll-ups after a run killed between the rows and the views', () => {
	it('rebuilds the months the dead run wrote into, counting every stored row once', async () => {
		const before = await counts();
		expect(before).toEqual([
			[202501, N / 3, N / 3, N / 3, N / 3],
			[202502, N / 3, N / 3, N / 3, N / 3],
			[202503, N / 3, N / 3, N / 3, N / 3]
		]);
		const [run] = await rows<{ run_id: string }>(ctx.db, `SELECT run_id FROM ingest_runs FINAL WHERE source = 'calls'`);
		// As a kill leaves it: the run still 'running', February's roll-up rows never written.
		await ctx.db.client.insert({
			table: 'ingest_runs',
			format: 'JSONEachRow',
			values: [
				{
					run_id: run!.run_id,
					source: 'calls',
					file,
					entity: 'interaction',
					started_at: Date.parse('2020-01-01T00:00:00Z'),
					finished_at: Date.now(),
					status: 'running'
				}
			]
		});
		for (const [table, col] of [
			['kpi_daily', 'day'],
			['kpi_monthly', 'day'],
			['kpi_hourly', 'hour'],
			['reason_daily', 'day']
		])
			await ctx.db.client.command({
				query: `ALTER TABLE ${table} DELETE WHERE toYYYYMM(${col}) = 202502`,
				clickhouse_settings: { mutations_sync: '2' }
			});
		expect((await counts())[1]).toEqual([202502, N / 3, 0, 0, 0]);

		const closed = await closeCrashedRuns(ctx.db, 'calls', file);
		expect(closed.map((r) => r.run_id)).toEqual([run!.run_id]);
		expect(await counts()).toEqual(before);
		const [monthly] = await rows<{ n: string }>(ctx.db, 'SELECT sum(interactions) AS n FROM kpi_monthly');
		expect(Number(monthly!.n)).toBe(N);
		const [status] = await rows<{ status: string }>(
			ctx.db,
			`SELECT status FROM ingest_runs FINAL WHERE run_id = {id:String}`,
			{ id: run!.run_id }
		);
		expect(status!.status).toBe('failed');
		// No copy of a view or its source is left behind.
		const [left] = await rows<{ n: string }>(
			ctx.db,
			`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_rollup_rebuild')`
		);
		expect(Number(left!.n)).toBe(0);
		// Idempotent: nothing left to close, nothing counted twice.
		expect(await closeCrashedRuns(ctx.db, 'calls', file)).toEqual([]);
		expect(await counts()).toEqual(before);
	});
});
