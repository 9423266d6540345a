/**
 * Why this exists: the text models at the speed of real text. The demo's tickets repeat a few
 * hundred sentences, so caches make their figure flattering; here every record is a different real
 * text, loaded as social posts through a mapping (bench/text-social-posts.json) and the normal
 * ingest path, with language, sentiment and intent left to the text enricher and its worker pool.
 *
 * The file holds ≥ 100,000 distinct texts from the public data sets (../shared/datasets): TweetEval
 * and "Customer Support on Twitter" tweets, the MARC Spanish/French/German reviews, CFPB complaint
 * narratives, Olist's Portuguese comments and the Chinese review sets — no single real social set
 * here is that large. It runs in a child process on a fresh embedded database (peak RSS is its
 * own), then counts the stored languages, so texts in languages without a model show as such.
 *
 * `npm run bench` calls runTextIngestBench(); `tsx bench/text-ingest.ts [--records N]` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import {
	cfpb,
	CFPB_FILES,
	datasetsDir,
	haveDatasets,
	marc,
	olistComments,
	tweeteval,
	zhSentiment,
	ZH_SETS
} from '../ingest/enrichment/text/datasets';
import { measureIngest, type IngestRunFigure } from './ingest';

export interface TextIngestFigure extends IngestRunFigure {
	textWorkers: number;
	loadAverage: number;
	/** Load average when the ingest ended: the machine is shared, so a wall-clock rate needs both. */
	loadAverageEnd?: number;
	/** Stored interactions per language: how many, and how many got a sentiment. */
	languages: { language: string; n: number; scored: number }[];
}

const ROOT = process.cwd();
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const MAPPING = 'bench/text-social-posts.json';
/** Targets for this bench on the two-core machine. */
export const TEXT_INGEST_TARGET = { recordsPerSecond: 5_000, peakRssMb: 1024 };

/** Distinct real texts, in a fixed order: social posts first, then reviews and complaints. */
function realTexts(): string[] {
	const tw = tweeteval();
	const twcsRows = parse(readFileSync(join(datasetsDir(), 'social', 'twcs_first5000.csv'), 'utf8'), {
		columns: true,
		relax_quotes: true
	}) as Record<string, string>[];
	const groups = [
		[...tw.train, ...tw.heldOut].map((r) => r.text),
		twcsRows.map((r) => r.text ?? ''),
		(['es', 'fr', 'de'] as const).flatMap((l) => marc(l).map((r) => r.text)),
		CFPB_FILES.flatMap((f) => cfpb(f).narratives),
		olistComments(),
		ZH_SETS.flatMap((n) => {
			const z = zhSentiment(n);
			return [...z.train, ...z.heldOut].map((r) => r.text);
		})
	];
	const seen = new Set<string>();
	for (const g of groups)
		for (const t of g) {
			const s = t.trim();
			if (s) seen.add(s);
		}
	return [...seen];
}

/** Writes the posts file once (reused while it has the wanted size). */
async function postsFile(records: number): Promise<string> {
	const dir = resolve('bench/.data', `text-ingest-${records}`);
	const file = join(dir, 'posts.ndjson');
	if (existsSync(file)) return file;
	const texts = realTexts();
	if (texts.length < records)
		throw new Error(`bench: only ${texts.length} distinct real texts in ${datasetsDir()}, ${records} asked`);
	mkdirSync(dir, { recursive: true });
	const w = createWriteStream(`${file}.part`);
	const start = Date.UTC(2025, 0, 1);
	const platforms = ['x', 'weibo', 'reddit'];
	for (let i = 0; i < records; i++) {
		const post = {
			post_id: `P${i}`,
			created_at: new Date(start + i * 97_000).toISOString(),
			platform: platforms[i % platforms.length],
			text: texts[i]
		};
		if (!w.write(JSON.stringify(post) + '\n')) await new Promise<void>((r) => w.once('drain', () => r()));
	}
	await new Promise<void>((r) => w.end(() => r()));
	renameSync(`${file}.part`, file);
	return file;
}

export async function runTextIngestBench(
	records = 100_000,
	log = (l: string) => console.log(l)
): Promise<TextIngestFigure | undefined> {
	if (!haveDatasets()) {
		log(`bench: no data sets at ${datasetsDir()}: the real-text ingest is skipped`);
		return undefined;
	}
	const file = await postsFile(records);
	log(`bench: ingesting ${records.toLocaleString('en')} distinct real texts as social posts…`);
	const dataDir = resolve('bench/.data', `text-ingest-${records}`, 'db');
	const stdout = execFileSync(process.execPath, [TSX, 'bench/text-ingest.ts', '--child', file], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, TOUCHMAP_DATA_DIR: dataDir, TOUCHMAP_DEMO: '0' }
	});
	return JSON.parse(stdout.trim().split('\n').at(-1)!) as TextIngestFigure;
}

export function meetsTextIngestTarget(f: TextIngestFigure): boolean {
	return (
		f.records >= 100_000 &&
		f.recordsPerSecond >= TEXT_INGEST_TARGET.recordsPerSecond &&
		f.peakRssMb <= TEXT_INGEST_TARGET.peakRssMb
	);
}

export function printTextIngestFigure(f: TextIngestFigure): void {
	console.log('\ningest of distinct real texts as social posts (language, sentiment, intent by the text models)');
	console.log(
		`${f.records.toLocaleString('en')} records (${f.accepted.toLocaleString('en')} stored) in ${f.seconds.toFixed(1)} s = ${Math.round(f.recordsPerSecond).toLocaleString('en')} records/s; cpu ${f.cpuSeconds.toFixed(1)} s (${Math.round((f.cpuSeconds * 1e6) / f.records)} CPU-µs a record); peak RSS ${f.peakRssMb} MB; ${f.textWorkers} text workers; ${f.path ?? '?'} path; load average ${f.loadAverage.toFixed(2)} at the start${f.loadAverageEnd === undefined ? '' : `, ${f.loadAverageEnd.toFixed(2)} at the end`}`
	);
	if (f.rejected || f.duplicates)
		console.log(
			`  not stored: ${(f.rejected ?? 0).toLocaleString('en')} in quarantine${f.quarantined?.length ? ` (${f.quarantined.map((q) => `${q.reason}: ${q.count}`).join('; ')})` : ''}, ${(f.duplicates ?? 0).toLocaleString('en')} duplicates`
		);
	console.log(
		`  stored languages: ${f.languages.map((l) => `${l.language || '(none)'} ${l.n.toLocaleString('en')}${l.scored < l.n ? ` (${(l.n - l.scored).toLocaleString('en')} without sentiment)` : ''}`).join(', ')}`
	);
	for (const [name, t] of Object.entries(f.steps ?? {}))
		console.log(
			`  ${name.padEnd(46)} ${t.seconds.toFixed(1).padStart(6)} s  cpu ${t.cpuSeconds.toFixed(1).padStart(5)} s`
		);
	console.log(
		`target: ≥ ${TEXT_INGEST_TARGET.recordsPerSecond.toLocaleString('en')} records/s and peak ≤ 1 GB on ≥ 100,000 records — ${meetsTextIngestTarget(f) ? 'met' : 'NOT met'}`
	);
}

async function child(file: string): Promise<void> {
	rmSync(process.env.TOUCHMAP_DATA_DIR!, { recursive: true, force: true });
	const { openDb } = await import('../db/open');
	const { closeDb } = await import('../db/client');
	const { ingestFile } = await import('../ingest/loading/ingest-file');
	const { loadMapping } = await import('../ingest/mapping/mapping-file');
	const { textThreadsInUse, closeTextPool } = await import('../ingest/enrichment/text/pool');
	const db = await openDb();
	const loadAverage = loadavg()[0]!;
	const run = await measureIngest(() => ingestFile({ db, file, mapping: loadMapping(MAPPING) }));
	const rs = await db.client.query({
		query: `SELECT language, count() AS n, countIf(isNotNull(sentiment)) AS scored
			FROM interactions GROUP BY language ORDER BY n DESC`,
		format: 'JSONEachRow'
	});
	const languages = (await rs.json<{ language: string; n: string; scored: string }>()).map((r) => ({
		language: r.language,
		n: Number(r.n),
		scored: Number(r.scored)
	}));
	const figure: TextIngestFigure = {
		...run,
		// The threads that did the work: a worker that ran out of heap or failed leaves one.
		textWorkers: textThreadsInUse(),
		loadAverage,
		loadAverageEnd: loadavg()[0]!,
		languages
	};
	await closeTextPool();
	await closeDb();
	rmSync(process.env.TOUCHMAP_DATA_DIR!, { recursive: true, force: true });
	console.log(JSON.stringify(figure));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({
		options: { child: { type: 'string' }, records: { type: 'string', default: '100000' } }
	});
	if (values.child) await child(values.child);
	else {
		const f = await runTextIngestBench(Number(values.records));
		if (f) printTextIngestFigure(f);
	}
	process.exit(0);
}
