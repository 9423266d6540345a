/**
 * Why this exists: `npm run ingest` — load a CSV or NDJSON file through a declarative mapping.
 * Prints a progress bar on a terminal, a summary line, and with --json a machine-readable last line.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DatabaseLockedError } from '../db/client';
import { runCommand } from '../db/run-command';
import { openDb } from '../db/open';
import { ingestFile } from './loading/ingest-file';
import { describeReason, type ReasonCount } from './loading/quarantine';
import { MappingError } from './mapping/check-mapping';
import { loadMapping } from './mapping/mapping-file';
import { loadSources, SourcesError } from './service/config';
import { sourcesFile } from './service/host';
import { LeaseManager } from './service/lease';
import { runSource } from './service/runner';

const HELP = `Usage: npm run ingest -- --mapping FILE --file FILE [--file FILE …] [--json]
       npm run ingest -- --source NAME --once [--sources FILE] [--json]

Loads CSV or NDJSON files into Touchmap through a declarative mapping (JSON or YAML; see
schemas/mapping.ts and ingest/mappings/). Invalid records go to the quarantine table with their raw
payload, line and reason; records already stored are counted as duplicates and not written again.

The second form runs one source of the sources file (TOUCHMAP_SOURCES or --sources) once, from its
stored cursor, and commits the cursor page by page; \`npm run ingest:serve\` runs them all on schedule.

Options:
  --source NAME    run this source of the sources file once (needs --once)
  --once           run once and exit
  --sources FILE   sources file (default: $TOUCHMAP_SOURCES)
  --mapping FILE   mapping file
  --file FILE      source file; repeat for several files
  --batch N        records per insert batch of the JS path (default 50000)
  --js             take the JS path (record by record) even when the mapping compiles to SQL
  --json           print {"accepted":N,"rejected":N,"duplicates":N,"seconds":S,"paths":[…],"topReasons":[…]}
                   as the last line (paths: per file, "sql" when ClickHouse mapped it, "js" with the
                   reason otherwise; topReasons: per file, what it quarantined most, with counts)
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
			js: { type: 'boolean', default: false },
			json: { type: 'boolean', default: false },
			source: { type: 'string' },
			once: { type: 'boolean', default: false },
			sources: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	if (values.source) return runOneSource(values.source, values.once, values.sources, values.json);
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
	const paths: { file: string; path: string; fallback?: string }[] = [];
	const topReasons: { file: string; reasons: ReasonCount[] }[] = [];
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
			path: values.js ? 'js' : 'auto',
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
		paths.push({ file: basename(file), path: s.path, ...(s.fallback ? { fallback: s.fallback } : {}) });
		topReasons.push({ file: basename(file), reasons: s.topReasons });
		for (const w of s.warnings) console.error(`ingest: warning: ${w}`);
		console.log(
			`${basename(file)}: ${s.accepted} accepted, ${s.rejected} quarantined, ${s.duplicates} duplicates in ${s.seconds.toFixed(2)} s (run ${s.runId}; ${s.path === 'sql' ? 'SQL path' : `JS path: ${s.fallback}`})`
		);
		if (s.rejected > 0) {
			const none = s.accepted === 0 && s.duplicates === 0;
			console.log(
				none
					? `  every record was quarantined; why, most frequent first:`
					: `  quarantined most often (SELECT * FROM quarantine WHERE run_id = '${s.runId}' shows them all):`
			);
			for (const r of s.topReasons) console.log(`    ${describeReason(r)}`);
		}
	}
	if (values.json)
		console.log(JSON.stringify({ ...total, seconds: Number(total.seconds.toFixed(3)), paths, topReasons }));
	return 0;
}

async function runOneSource(name: string, once: boolean, file: string | undefined, json: boolean): Promise<number> {
	if (!once) {
		console.error(
			'ingest: --source runs a source once and needs --once; use `npm run ingest:serve` to run sources on schedule'
		);
		return 2;
	}
	const path = file ?? sourcesFile();
	if (!path) {
		console.error('ingest: no sources file: pass --sources FILE or set TOUCHMAP_SOURCES');
		return 2;
	}
	const source = loadSources(path).find((s) => s.name === name);
	if (!source) {
		console.error(`ingest: ${path} has no source named ${name}`);
		return 2;
	}
	let db;
	try {
		db = await openDb();
	} catch (err) {
		if (!(err instanceof DatabaseLockedError)) throw err;
		console.error(
			`ingest: ${err.message}\nIf that process hosts the ingest service (npm start with TOUCHMAP_SOURCES, or npm run ingest:serve), ` +
				'it already runs this source on schedule: use "Run now" on /admin/sources instead.'
		);
		return 1;
	}
	let s;
	try {
		const run = () =>
			runSource(db, source, {
				onPage: (p) =>
					process.stderr.isTTY &&
					process.stderr.write(`\r${name}: page ${p.pages}, ${p.accepted} new, ${p.rejected} quarantined`)
			});
		// With a ClickHouse server, ingest workers may be running this source: take its lease first.
		s = db.kind === 'remote' ? await new LeaseManager(db).withLease(name, run) : await run();
		if (!s) {
			console.error(`ingest: ${name} is running in another ingest worker right now; try again when it is done`);
			return 1;
		}
	} catch (err) {
		// The run's error is recorded in the source's status; pages before it are stored and their cursor committed.
		console.error(`ingest: ${name}: ${(err as Error).message}`);
		return 1;
	}
	if (process.stderr.isTTY) process.stderr.write('\n');
	console.log(
		`${name}: ${s.accepted} new, ${s.rejected} quarantined, ${s.duplicates} already stored, ${s.pages} pages in ${s.seconds.toFixed(2)} s (run ${s.runId})`
	);
	if (json)
		console.log(
			JSON.stringify({
				accepted: s.accepted,
				rejected: s.rejected,
				duplicates: s.duplicates,
				pages: s.pages,
				seconds: s.seconds
			})
		);
	return 0;
}

runCommand(
	'ingest',
	main,
	(err) => err instanceof SourcesError || err instanceof MappingError || /^Mapping /.test((err as Error)?.message)
);
