/**
 * Why this exists: `npm run eval:journey-coverage` — whether texts from industries the journey rules
 * were not written for land on the journey map once contact reasons are discovered, loaded as a
 * user would load them: each public set into its own fresh embedded database through its mapping
 * in ingest/mappings/examples/ and `npm run ingest`, then `npm run reasons:discover`. Four fifths of
 * each set are loaded and discovered on; the held-out fifth is loaded afterwards, so its reasons
 * are assigned at ingest by the stored model, and the figures are measured on that fifth only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { datasetsDir } from '../ingest/enrichment/text/datasets';

const ROOT = process.cwd();
const MAPPINGS = join(ROOT, 'ingest/mappings/examples');

interface SetSpec {
	name: string;
	/** Files to load: mapping, and the records (CSV rows or NDJSON objects) as written to a file. */
	loads: { mapping: string; header?: string[]; records: (Record<string, string> | string[])[] }[];
}

const csv = (file: string) =>
	parse(readFileSync(join(datasetsDir(), file), 'utf8').replace(/^\uFEFF/, ''), {
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: true
	}) as string[][];

function csvSet(mapping: string, file: string): SetSpec['loads'][number] {
	const [header, ...rows] = csv(file);
	return { mapping, header, records: rows };
}

function sets(): SetSpec[] {
	const dir = datasetsDir();
	const out: SetSpec[] = [];
	if (existsSync(join(dir, 'complaints-en/cfpb_sample_2015_2020.csv')))
		out.push({
			name: 'CFPB complaints (tickets)',
			loads: [
				csvSet('cfpb-complaints.json', 'complaints-en/cfpb_sample_2015_2020.csv'),
				csvSet('cfpb-personal-loans.json', 'complaints-en/cfpb_personal_loans_2023.csv')
			]
		});
	const up = join(dir, 'intents-zh/unionpay_95516_faq.txt');
	if (existsSync(up)) {
		const records: Record<string, string>[] = [];
		for (const m of readFileSync(up, 'utf8').matchAll(/entry \{([\s\S]*?)\n\}/g)) {
			const q = /^\s*question ID:(\d+)[\s\S]*?^\s*question\s*:(.*)$/m.exec(m[1]!);
			if (q) records.push({ id: q[1]!, question: q[2]!.replace(/\uFEFF/g, '').trim() });
		}
		out.push({ name: 'UnionPay FAQ (chat)', loads: [{ mapping: 'unionpay-chat.json', records }] });
	}
	const tw = join(dir, 'social/twcs_first5000.csv');
	if (existsSync(tw)) {
		const [header, ...rows] = csv('social/twcs_first5000.csv');
		const col = (n: string) => header!.indexOf(n);
		const records = rows
			.filter((r) => r[col('inbound')] === 'True')
			.map((r) => ({
				tweet_id: r[col('tweet_id')]!,
				author_id: r[col('author_id')]!,
				inbound: r[col('inbound')]!,
				created_at: r[col('created_at')]!,
				text: r[col('text')]!,
				in_response_to_tweet_id: r[col('in_response_to_tweet_id')]!
			}));
		out.push({ name: 'twcs customer tweets (social)', loads: [{ mapping: 'twcs-customer-tweets.json', records }] });
	}
	const te = join(dir, 'en-sentiment/tweeteval/test_text.txt');
	if (existsSync(te)) {
		const records = ['val_text.txt', 'test_text.txt'].flatMap((f) =>
			readFileSync(join(dir, 'en-sentiment/tweeteval', f), 'utf8')
				.split(/\r?\n/)
				.map((text, i) => ({ id: `${f.slice(0, -9)}-${i}`, text }))
				.filter((r) => r.text.trim())
		);
		out.push({ name: 'TweetEval (social)', loads: [{ mapping: 'tweeteval-posts.json', records }] });
	}
	return out;
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function write(path: string, load: SetSpec['loads'][number], pick: (i: number) => boolean): number {
	const lines: string[] = [];
	if (load.header) lines.push(load.header.map(quote).join(','));
	let n = 0;
	load.records.forEach((r, i) => {
		if (!pick(i)) return;
		n++;
		lines.push(Array.isArray(r) ? r.map(quote).join(',') : JSON.stringify(r));
	});
	writeFileSync(path, lines.join('\n') + '\n');
	return n;
}

function cli(env: NodeJS.ProcessEnv, script: string, args: string[]): string {
	return execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe']
	});
}

/** Figures of one database (run in a child process: the embedded engine opens one directory per process). */
async function measure(source: string[]) {
	const { openDb } = await import('../db/open');
	const { closeDb } = await import('../db/client');
	const { readDictionary, reasonBinding, RESOLVED_STAGE } = await import('../ingest/enrichment/reasons/resolve');
	const db = await openDb();
	try {
		const binding = reasonBinding(await readDictionary(db));
		const rs = await db.client.query({
			query: `SELECT count() AS n, countIf(${RESOLVED_STAGE} != '') AS landed, countIf(stage != '') AS by_rules, countIf(stage != '' OR reason_id NOT IN ('', 'other', 'no-text')) AS named,
					countIf(reason_id = 'other') AS other, countIf(reason_id = 'no-text') AS no_text,
					uniqExactIf(reason_id, reason_id NOT IN ('', 'other', 'no-text')) AS reasons
				FROM interactions WHERE ingest_run_id IN (
					SELECT run_id FROM ingest_runs WHERE file IN {files:Array(String)})`,
			query_params: { ...binding, files: source },
			format: 'JSONEachRow'
		});
		const [r] = await rs.json<Record<string, string>>();
		console.log(JSON.stringify(Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]))));
	} finally {
		await closeDb();
	}
}

async function main() {
	if (process.argv[2] === '--measure') return measure(process.argv.slice(3));
	const all = sets();
	if (!all.length) {
		console.log(`eval:journey-coverage: no data sets under ${datasetsDir()}; nothing to measure`);
		return;
	}
	console.log(
		'set                              | held-out | on the journey | rule or reason | by rules alone | "other" | "no text" | reasons'
	);
	console.log(
		'-------------------------------- | -------- | -------------- | -------------- | -------------- | ------- | --------- | -------'
	);
	for (const set of all) {
		const work = mkdtempSync(join(tmpdir(), 'touchmap-coverage-'));
		const dataDir = join(work, 'data');
		mkdirSync(dataDir);
		const env = { ...process.env, TOUCHMAP_DATA_DIR: dataDir, TOUCHMAP_DEMO: '0' };
		try {
			const heldOutFiles: string[] = [];
			// Every fifth record is held out: loaded after discovery, measured alone.
			for (const [phase, pick] of [
				['fit', (i: number) => i % 5 !== 4],
				['held-out', (i: number) => i % 5 === 4]
			] as const) {
				for (const load of set.loads) {
					const ext = load.header ? 'csv' : 'ndjson';
					const file = resolve(work, `${load.mapping.replace('.json', '')}-${phase}.${ext}`);
					write(file, load, pick);
					if (phase === 'held-out') heldOutFiles.push(file);
					cli(env, 'ingest/cli.ts', ['--mapping', join(MAPPINGS, load.mapping), '--file', file]);
				}
				if (phase === 'fit') cli(env, 'scripts/reasons-discover.ts', []);
			}
			const out = cli(env, 'scripts/eval-journey-coverage.ts', ['--measure', ...heldOutFiles])
				.trim()
				.split('\n');
			const m = JSON.parse(out[out.length - 1]!) as Record<string, number>;
			const pct = (x: number) => `${((100 * x) / Math.max(1, m.n!)).toFixed(1)}%`;
			console.log(
				`${set.name.padEnd(32)} | ${String(m.n).padStart(8)} | ${pct(m.landed!).padStart(14)} | ${pct(m.named!).padStart(14)} | ${pct(m.by_rules!).padStart(14)} | ${pct(m.other!).padStart(7)} | ${pct(m.no_text!).padStart(9)} | ${String(m.reasons).padStart(7)}`
			);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}
}

main().catch((err) => {
	console.error(`eval:journey-coverage: ${err?.stack ?? err}`);
	process.exit(1);
});
