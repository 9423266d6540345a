/**
 * Why this exists: `npm run eval:severity` — whether the pain points Touchmap flags are where the
 * data says customers hurt. Each set is loaded as a user would load it, into its own fresh embedded
 * database: the demo through its generator and mappings; public sets through their mappings in
 * ingest/mappings/examples/, `npm run ingest` and `npm run reasons:discover`. The outcome that says
 * what hurt is never shown to the model (nor used to choose its settings, which were set on the
 * demo and on published practice first):
 *   demo      the planted pain points of ground-truth.json, with their colours
 *   CFPB      the company conceded something (monetary or non-monetary relief) or answered late.
 *             The mapping gives these as outcomes (escalated, unresolved), as a user would, so on
 *             the rows the model reads the comparison is circular: the pain points are found on one
 *             half of the complaints (by Complaint ID) and judged on the other half, loaded after
 *             them and assigned to reasons by the stored model
 *   TweetEval the human three-class label (negative), on the part of the test split the text
 *             models never saw
 * For the public sets the touchpoints are discovered contact reasons, so each is compared by its
 * own contacts' outcome: the share of flagged pain points whose hurt rate is above the set's, and
 * how many of the worst reasons (by hurt rate, ≥ 30 contacts) are flagged.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { datasetsDir } from '../ingest/enrichment/text/datasets';
import { runScript as run } from './run-script';

const ROOT = process.cwd();
const MAPPINGS = join(ROOT, 'ingest/mappings/examples');
/** Contacts a reason needs before its hurt rate counts among the worst. */
const MIN_GROUP = 30;
/** How many of the worst reasons are looked for among the flagged. */
const WORST = 5;

interface Measured {
	/** Every judged touchpoint of the set's range: flagged or not. */
	touchpoints: {
		stage: string;
		touchpoint: string;
		severity: string;
		impact: number;
		reach: number;
		reachUnit: string;
		why: string;
	}[];
	/** source_id → resolved touchpoint, for the public sets (only these when `kind` is `rows`). */
	rows: [string, string][];
	truth?: { stage: string; touchpoint: string; severity: string }[];
}

/** Run in a child process: the embedded engine opens one directory per process. */
async function measure(kind: string, sourceDir: string) {
	const { openDb } = await import('../db/open');
	const { closeDb } = await import('../db/client');
	const { listPainPoints } = await import('../src/lib/server/queries/pain-points/pain-points');
	const { readDictionary, reasonBinding, RESOLVED_STAGE, RESOLVED_TOUCHPOINT } = await import('../ingest');
	const db = await openDb();
	try {
		if (kind === 'demo') {
			const { loadDemoIfEmpty } = await import('../ingest/demo/load');
			await loadDemoIfEmpty(db, { customers: 600, seed: 42, sourceDir });
		}
		const span = await db.client.query({
			query:
				"SELECT toString(toDate(min(ts))) AS lo, toString(toDate(max(ts))) AS hi FROM interactions WHERE ts > '1971-01-01'",
			format: 'JSONEachRow'
		});
		const [range] = await span.json<{ lo: string; hi: string }>();
		// The demo: its last three months (every planted problem active); a public set: all of it.
		const from = kind === 'demo' ? '2026-08-03' : range!.lo;
		const to = kind === 'demo' ? '2026-10-31' : range!.hi;
		const list =
			kind === 'rows'
				? { items: [] }
				: await listPainPoints(db.client, { from, to, segment: 'all' }, { includeNone: true });
		const out: Measured = {
			touchpoints: list.items.map((p) => ({
				stage: p.stage,
				touchpoint: p.touchpoint,
				severity: p.severity.severity,
				impact: p.severity.impact,
				reach: p.severity.reach,
				reachUnit: p.severity.reachUnit,
				why: [
					...p.severity.floors.map((f) => `${f.measure} ${f.value.toFixed(2)}`),
					...p.severity.why.map((w) => `${w.factor} +${(w.excess * 100).toFixed(0)}pt`)
				]
					.slice(0, 2)
					.join(', ')
			})),
			rows: []
		};
		if (kind === 'demo') {
			out.truth = JSON.parse(readFileSync(join(sourceDir, 'ground-truth.json'), 'utf8')).painPoints;
		} else {
			const binding = reasonBinding(await readDictionary(db));
			const rs = await db.client.query({
				query: `SELECT source_id, ${RESOLVED_TOUCHPOINT} AS tp FROM interactions WHERE ${RESOLVED_STAGE} != ''`,
				query_params: { ...binding },
				format: 'JSONEachRow'
			});
			out.rows = (await rs.json<{ source_id: string; tp: string }>()).map((r) => [r.source_id, r.tp]);
		}
		console.log(JSON.stringify(out));
	} finally {
		await closeDb();
	}
}

/** A set: what to load, and for each loaded record (by source id) whether it hurt. */
interface PublicSet {
	name: string;
	mapping: string;
	file: string;
	hurt: Map<string, boolean>;
	outcome: string;
	/** Loaded after the pain points are found, and the figures are taken on it alone. */
	heldOut?: string;
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function cfpb(work: string): PublicSet | undefined {
	const path = join(datasetsDir(), 'complaints-en/cfpb_sample_2015_2020.csv');
	if (!existsSync(path)) return undefined;
	const [header, ...rows] = parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: true
	}) as string[][];
	const col = (n: string) => header!.indexOf(n);
	const hurt = new Map<string, boolean>();
	const halves: [string[][], string[][]] = [[], []];
	for (const r of rows) {
		halves[Number(r[col('Complaint ID')]!) % 2]!.push(r);
		const response = r[col('Company response to consumer')] ?? '';
		hurt.set(
			r[col('Complaint ID')]!,
			/relief/.test(response) && !/without/.test(response) ? true : r[col('Timely response?')] === 'No'
		);
	}
	const write = (name: string, part: string[][]) => {
		const file = join(work, name);
		writeFileSync(file, [header!, ...part].map((r) => r.map(quote).join(',')).join('\n') + '\n');
		return file;
	};
	return {
		name: 'CFPB complaints 2015-2020',
		mapping: 'cfpb-complaints.json',
		file: write('cfpb-found.csv', halves[0]),
		heldOut: write('cfpb-held-out.csv', halves[1]),
		hurt,
		outcome: 'relief granted or late answer'
	};
}

async function tweetEvalSet(work: string): Promise<PublicSet | undefined> {
	if (!existsSync(join(datasetsDir(), 'en-sentiment/tweeteval/test_text.txt'))) return undefined;
	// Imported here: it reads the data set when called.
	const { tweeteval } = await import('../ingest/enrichment/text/datasets');
	// The held-out part of the test split (never trained on); every other tweet keeps the run short.
	const texts = tweeteval().heldOut.filter((_, i) => i % 2 === 0);
	const hurt = new Map<string, boolean>();
	const lines = texts.map((t, i) => {
		hurt.set(`te-${i}`, t.label === 0);
		return JSON.stringify({ id: `te-${i}`, text: t.text });
	});
	const file = join(work, 'tweeteval.ndjson');
	writeFileSync(file, lines.join('\n') + '\n');
	return {
		name: 'TweetEval (held-out tweets)',
		mapping: 'tweeteval-posts.json',
		file,
		hurt,
		outcome: 'labelled negative'
	};
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const FLAGGED = new Set(['red', 'yellow', 'blue']);

function reportDemo(m: Measured) {
	const truth = m.truth ?? [];
	const key = (p: { stage: string; touchpoint: string }) => `${p.stage}/${p.touchpoint}`;
	const got = new Map(m.touchpoints.map((t) => [key(t), t]));
	let same = 0;
	for (const p of truth) {
		const t = got.get(key(p));
		if (t?.severity === p.severity) same++;
		console.log(
			`  planted ${key(p).padEnd(36)} ${p.severity.padEnd(6)} → flagged ${(t?.severity ?? 'absent').padEnd(6)} (${t?.why ?? ''})`
		);
	}
	const planted = new Set(truth.map(key));
	const stray = m.touchpoints.filter((t) => FLAGGED.has(t.severity) && !planted.has(key(t)));
	console.log(
		`  demo: ${same} of ${truth.length} planted pain points flagged with their colour; ${stray.length} unplanted flagged (${stray.filter((t) => t.severity === 'red').length} red)`
	);
}

/** `label` names the rows measured; `list` prints the flagged pain points with their rate there. */
function reportPublic(set: PublicSet, m: Measured, label = '', list = true) {
	const by = new Map<string, { n: number; hurt: number }>();
	let n = 0;
	let hurt = 0;
	for (const [id, tp] of m.rows) {
		const h = set.hurt.get(id.replace(/^.*:/, ''));
		if (h === undefined) continue;
		const g = by.get(tp) ?? { n: 0, hurt: 0 };
		g.n++;
		n++;
		if (h) {
			g.hurt++;
			hurt++;
		}
		by.set(tp, g);
	}
	const overall = n ? hurt / n : 0;
	const rate = (tp: string) => {
		const g = by.get(tp);
		return g && g.n ? g.hurt / g.n : 0;
	};
	const flagged = m.touchpoints.filter((t) => FLAGGED.has(t.severity));
	const worst = [...by.entries()]
		.filter(([, g]) => g.n >= MIN_GROUP)
		.sort((a, b) => b[1].hurt / b[1].n - a[1].hurt / a[1].n)
		.slice(0, WORST)
		.map(([tp]) => tp);
	const flaggedNames = new Set(flagged.map((t) => t.touchpoint));
	const above = flagged.filter((t) => rate(t.touchpoint) > overall).length;
	const inFlagged = flagged.reduce((a, t) => a + (by.get(t.touchpoint)?.n ?? 0), 0);
	const hurtFlagged = flagged.reduce((a, t) => a + (by.get(t.touchpoint)?.hurt ?? 0), 0);
	const hurtOther = hurt - hurtFlagged;
	console.log(`  ${label}${n} contacts with an outcome on ${by.size} reasons; ${set.outcome}: ${pct(overall)} overall`);
	for (const t of list ? flagged.slice(0, 8) : [])
		console.log(
			`  ${t.severity.padEnd(6)} ${t.touchpoint.slice(0, 40).padEnd(40)} impact ${t.impact.toFixed(0).padStart(6)} (${t.reach} ${t.reachUnit}) ${set.outcome}: ${pct(rate(t.touchpoint)).padStart(6)} ${worst.includes(t.touchpoint) ? '← among the worst ' : ''}[${t.why}]`
		);
	console.log(
		`  ${label}flagged ${flagged.length} of ${m.touchpoints.length}; ${above} of ${flagged.length} above the set's rate; ${set.outcome} in flagged ${pct(inFlagged ? hurtFlagged / inFlagged : 0)} vs the rest ${pct(n - inFlagged ? hurtOther / (n - inFlagged) : 0)}; worst ${worst.length} reasons (≥ ${MIN_GROUP} contacts) flagged: ${worst.filter((w) => flaggedNames.has(w)).length}`
	);
}

async function main() {
	const at = process.argv.indexOf('--measure');
	if (at >= 0) return measure(process.argv[at + 1]!, process.argv[at + 2]!);
	const started = Date.now();
	const fresh = () => {
		const work = mkdtempSync(join(tmpdir(), 'touchmap-severity-'));
		const dataDir = join(work, 'data');
		mkdirSync(dataDir);
		return { work, env: { ...process.env, TOUCHMAP_DATA_DIR: dataDir, TOUCHMAP_DEMO: '0' } };
	};
	const measured = (env: NodeJS.ProcessEnv, kind: string, dir: string): Measured => {
		const out = run(env, ['scripts/eval-severity.ts', '--', '--measure', kind, dir], true).trim().split('\n');
		return JSON.parse(out[out.length - 1]!) as Measured;
	};

	// `npm run eval:severity -- cfpb` runs the named sets only (demo, cfpb, tweeteval).
	const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const wanted = (name: string) => !only.length || only.includes(name);
	if (wanted('demo')) {
		console.log('demo (600 customers, seed 42; Aug-Oct 2026)');
		const { work, env } = fresh();
		try {
			reportDemo(measured(env, 'demo', join(work, 'demo-source')));
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}
	for (const [name, make] of [
		['cfpb', cfpb],
		['tweeteval', tweetEvalSet]
	] as const) {
		if (!wanted(name)) continue;
		const { work, env } = fresh();
		try {
			const set = await make(work);
			if (!set) {
				console.log(`(a public set is missing under ${datasetsDir()}; skipped)`);
				continue;
			}
			console.log(`${set.name} (${set.hurt.size} records; outcome: ${set.outcome})`);
			run(env, ['ingest/cli.ts', '--mapping', join(MAPPINGS, set.mapping), '--file', set.file]);
			run(env, ['scripts/reasons-discover.ts']);
			const found = measured(env, 'public', work);
			if (!set.heldOut) {
				reportPublic(set, found);
				continue;
			}
			reportPublic(set, found, 'found on (circular): ', false);
			run(env, ['ingest/cli.ts', '--mapping', join(MAPPINGS, set.mapping), '--file', set.heldOut]);
			const seen = new Set(found.rows.map(([id]) => id));
			const rows = measured(env, 'rows', work).rows.filter(([id]) => !seen.has(id));
			reportPublic(set, { ...found, rows }, 'held out: ');
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}
	console.log(`(${((Date.now() - started) / 60_000).toFixed(1)} min)`);
}

// Awaited: vite-node closes its module server once this module has run, and the measuring child
// still imports the query modules after that.
await main().catch((err) => {
	console.error(`eval:severity: ${err?.stack ?? err}`);
	process.exit(1);
});
