/**
 * Why this exists: the SQL path, one file end to end. ClickHouse stages the file (parse, map,
 * validate), refused rows go to quarantine, and the valid ones are inserted by INSERT … SELECT; JS
 * touches only the distinct enrichment inputs (identifiers, texts and what the journey rules read)
 * and writes their answers to lookup tables the inserts join. Duplicates and the roll-ups come out
 * exactly as on the JS path.
 *
 * It returns `{ fallback: why }` (having written nothing) when it cannot run: a ClickHouse server
 * (it cannot read our local file), a mapping the compiler cannot express, or a CSV file with a
 * quoted field spanning lines.
 */
import type { Db } from '../../../db/client';
import type { Mapping } from '../../../schemas/mapping';
import { runTables, stepTimer, type SqlPathRun, type StepTimes } from './context';
import { duplicateFilters } from './duplicates';
import { enrichmentInputs } from './enrichment-inputs';
import { resolveIdentities } from './identity';
import { insertInteractions } from './insert-interactions';
import { insertOthers } from './insert-others';
import type { ReasonCount } from '../quarantine';
import { quarantineRefused, spansLines } from './quarantine';
import { insertBlockRows } from './ranges';
import { stageFile } from './stage';

export type { StepTimes } from './context';

export interface SqlPathCounts {
	accepted: number;
	rejected: number;
	duplicates: number;
	steps: StepTimes;
	topReasons: ReasonCount[];
}

export async function runSqlPath(
	db: Db,
	file: string,
	mapping: Mapping,
	runId: string,
	timer = stepTimer()
): Promise<SqlPathCounts | { fallback: string }> {
	if (db.kind !== 'embedded') return { fallback: 'a ClickHouse server cannot read a local file' };
	const blockRows = insertBlockRows();
	const run: SqlPathRun = {
		db,
		file,
		mapping,
		runId,
		tables: runTables(runId),
		timer,
		trace: process.env.TOUCHMAP_INGEST_TRACE === '1'
	};
	try {
		const staged = await stageFile(run);
		if ('fallback' in staged) return staged;
		if (await spansLines(run)) return { fallback: 'a quoted CSV field spans lines' };
		const { rejected, valid, topReasons } = await quarantineRefused(run);
		let inserted: number;
		if (mapping.entity === 'interaction') {
			const identified = await resolveIdentities(run);
			const duplicates = await duplicateFilters(run, valid);
			const inputs = await enrichmentInputs(run);
			inserted = await insertInteractions(run, {
				columns: staged.columns,
				valid,
				identified,
				duplicates,
				inputs,
				blockRows
			});
		} else inserted = await insertOthers(run);
		return { accepted: inserted, rejected, duplicates: valid - inserted, steps: timer.times, topReasons };
	} finally {
		for (const t of Object.values(run.tables))
			await db.client.command({ query: `DROP TABLE IF EXISTS ${t} SYNC` }).catch(() => undefined);
	}
}
