/**
 * Why this exists: `npm run ingest` — load a CSV or NDJSON file through a declarative mapping.
 * Prints a progress bar on a terminal, a summary line, and with --json a machine-readable last line.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError } from '../src/lib/server/env';
import { closeDb, DatabaseLockedError } from '../src/lib/server/db/client';
import { openDb } from '../src/lib/server/db/open';
import { ingestFile, loadMapping } from './pipeline';

const HELP = `Usage: npm run ingest -- --mapping FILE --file FILE [--file FILE …] [--json]

Loads CSV or NDJSON files into Touchmap through a declarative mapping (JSON or YAML; see
schemas/mapping.ts and ingest/mappings/). Invalid records go to the quarantine table with their raw
payload, line and reason; records already stored are counted as duplicates and not written again.

Options:
  --mapping FILE   mapping file (required)
  --file FILE      source file; repeat for several files
  --batch N        records per insert batch (default 50000)
  --json           print {"accepted":N,"rejected":N,"duplicates":N,"seconds":S} as the last line
  -h, --help       this text

Environment: TOUCHMAP_DATA_DIR (embedded database, default ./data) or CLICKHOUSE_URL,
CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE for a ClickHouse server.
With the embedded database, stop a running \`npm start\` first: one process owns the directory.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			mapping: { type: 'string' },
			file: { type: 'string', multiple: true },
			batch: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	if (!values.mapping || !values.file?.length) {
		console.error('ingest: --mapping and --file are required (see --help)');
		return 2;
	}
	const batchSize = values.batch ? Number(values.batch) : undefined;
	if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) {
		console.error('ingest: --batch must be a positive whole number');
		return 2;
	}
	const missing = values.file.filter((f) => !existsSync(f));
	if (missing.length) {
		console.error(`ingest: no such file: ${missing.join(', ')}`);
		return 2;
	}
	const mapping = loadMapping(values.mapping);
	const db = await openDb();
	const total = { accepted: 0, rejected: 0, duplicates: 0, seconds: 0 };
	const bar = process.stderr.isTTY
		? new cliProgress.SingleBar(
				{
					format: '{file} [{bar}] {percentage}% | {accepted} ok, {rejected} quarantined, {duplicates} dup',
					stream: process.stderr
				},
				cliProgress.Presets.shades_classic
			)
		: undefined;
	for (const file of values.file) {
		bar?.start(1, 0, { file: basename(file), accepted: 0, rejected: 0, duplicates: 0 });
		const s = await ingestFile({
			db,
			file,
			mapping,
			batchSize,
			onProgress: (bytes, size, sum) => {
				bar?.setTotal(size);
				bar?.update(bytes, sum);
			}
		});
		bar?.stop();
		total.accepted += s.accepted;
		total.rejected += s.rejected;
		total.duplicates += s.duplicates;
		total.seconds += s.seconds;
		console.log(
			`${basename(file)}: ${s.accepted} accepted, ${s.rejected} quarantined, ${s.duplicates} duplicates in ${s.seconds.toFixed(2)} s (run ${s.runId})`
		);
	}
	if (values.json) console.log(JSON.stringify({ ...total, seconds: Number(total.seconds.toFixed(3)) }));
	return 0;
}

main()
	.then(async (code) => {
		await closeDb();
		process.exit(code);
	})
	.catch(async (err) => {
		const expected = err instanceof DatabaseLockedError || err instanceof ConfigError || /^Mapping /.test(err?.message);
		console.error(`ingest: ${expected ? err.message : (err?.stack ?? err)}`);
		await closeDb().catch(() => undefined);
		process.exit(1);
	});
