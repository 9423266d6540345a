/**
 * Why this exists: `npm run eval:drivers` — whether the key drivers Touchmap reports hold on real
 * data loaded as a user loads it (a mapping and `npm run ingest`, into a fresh embedded database):
 *   call log  ../shared/datasets/call-center/call_center_agents_5000.csv, CSAT drivers
 *             (topic → touchpoint, answered → outcome, resolved → FCR, speed of answer → wait)
 *   bank CRM  ../shared/datasets/crm-bank/Churn_Modelling.csv, churn drivers (geography → region,
 *             products → segment, tenure)
 * Nothing is tuned on these sets. Each is split in two halves by row (odd and even); the drivers
 * are fitted on each half alone, and the report says whether the second half agrees with the
 * first: the same leading factor, and the first half's top fixes measured again on the second half
 * inside the first half's 95% interval. For the churn set the plain churn rate of each group on
 * the other half is printed beside the estimate, so the reader can check it against the raw data.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetsDir } from '../ingest/enrichment/text/datasets';
import { runChild } from './run-child';
import type { Drivers } from '../schemas/drivers';

const ROOT = process.cwd();

/** Run in a child process: the embedded engine opens one directory per process. */
async function measure(kind: 'csat' | 'churn') {
	const { openDb } = await import('../db/open');
	const { closeDb } = await import('../db/client');
	const { getChurnDrivers, getContactDrivers } = await import('../src/lib/server/queries/drivers/drivers');
	const db = await openDb();
	try {
		if (kind === 'churn') {
			// As the server answers: from the churn cells kept with the customer portrait.
			const { ensurePortrait } = await import('../src/lib/server/queries/customers/portrait');
			await ensurePortrait(db.client);
			console.log(JSON.stringify(await getChurnDrivers(db.client)));
			return;
		}
		const rs = await db.client.query({
			query: 'SELECT toString(toDate(min(ts))) AS lo, toString(toDate(max(ts))) AS hi FROM interactions',
			format: 'JSONEachRow'
		});
		const [r] = await rs.json<{ lo: string; hi: string }>();
		console.log(JSON.stringify(await getContactDrivers(db.client, { outcome: 'csat', from: r!.lo, to: r!.hi })));
	} finally {
		await closeDb();
	}
}

const run = runChild;

interface DataSet {
	name: string;
	kind: 'csat' | 'churn';
	mapping: string;
	file: string;
}

const SETS: DataSet[] = [
	{
		name: 'call log (call_center_agents_5000.csv)',
		kind: 'csat',
		mapping: 'ingest/connectors/mappings/call-log-csv.yaml',
		file: 'call-center/call_center_agents_5000.csv'
	},
	{
		name: 'bank CRM (Churn_Modelling.csv)',
		kind: 'churn',
		mapping: 'ingest/mappings/examples/bank-churn.yaml',
		file: 'crm-bank/Churn_Modelling.csv'
	}
];

const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function describe(d: Drivers): string[] {
	const lines = [
		`  ${d.n} responses, mean ${d.mean.toFixed(2)}, R² ${d.r2.toFixed(3)}`,
		...d.factors.map(
			(f) =>
				`  ${f.factor.padEnd(12)} explains ${(f.importance * 100).toFixed(2)}% of variance [${f2(f.importanceLo! * 100)}, ${f2(f.importanceHi! * 100)}]`
		),
		'  top fixes (gain on the outcome overall, 95% interval):',
		...d.fixes
			.slice(0, 5)
			.map(
				(x) =>
					`    ${`${x.factor}=${x.level}`.padEnd(40)} +${x.gain.toFixed(3)} [${f2(x.gainLo)}, ${f2(x.gainHi)}]  group mean ${x.mean.toFixed(2)} (n ${x.n})`
			)
	];
	return lines;
}

async function main() {
	const at = process.argv.indexOf('--measure');
	if (at >= 0) return measure(process.argv[at + 1] as 'csat' | 'churn');
	for (const set of SETS) {
		const path = join(datasetsDir(), set.file);
		if (!existsSync(path)) {
			console.log(`${set.name}: skipped, ${path} is absent`);
			continue;
		}
		const [header, ...rows] = readFileSync(path, 'utf8')
			.replace(/^\uFEFF/, '')
			.split(/\r?\n/);
		const body = rows.filter((r) => r.trim());
		const halves = [0, 1].map((h) => body.filter((_, i) => i % 2 === h));
		const fits: Drivers[] = [];
		for (const [h, part] of halves.entries()) {
			const work = mkdtempSync(join(tmpdir(), 'touchmap-drivers-'));
			try {
				const dataDir = join(work, 'data');
				mkdirSync(dataDir);
				const file = join(work, `half-${h}.csv`);
				writeFileSync(file, [header, ...part].join('\n') + '\n');
				const env = { ...process.env, TOUCHMAP_DATA_DIR: dataDir, TOUCHMAP_DEMO: '0' };
				run(env, ['ingest/cli.ts', '--mapping', join(ROOT, set.mapping), '--file', file]);
				const out = run(env, ['scripts/eval-drivers.ts', '--', '--measure', set.kind], true).trim().split('\n');
				fits.push(JSON.parse(out[out.length - 1]!) as Drivers);
			} finally {
				rmSync(work, { recursive: true, force: true });
			}
		}
		const [a, b] = fits as [Drivers, Drivers];
		console.log(`${set.name} — ${set.kind} drivers`);
		console.log(' half A (odd rows):');
		for (const l of describe(a)) console.log(l);
		console.log(' half B (even rows), held out:');
		for (const l of describe(b)) console.log(l);
		const same = a.factors[0]?.factor === b.factors[0]?.factor;
		const top = a.fixes.slice(0, 3);
		const inside = top.filter((x) => {
			const y = b.factors.find((f) => f.factor === x.factor)?.levels.find((l) => l.level === x.level);
			return y && x.gainLo !== null && x.gainHi !== null && y.gain >= x.gainLo && y.gain <= x.gainHi;
		});
		console.log(
			` agreement: leading factor ${same ? 'the same' : 'differs'} (${a.factors[0]?.factor} / ${b.factors[0]?.factor}); ` +
				`${inside.length} of ${top.length} top fixes of half A measured inside A's interval on half B`
		);
	}
}

// Awaited: vite-node closes its module server once this module has run, and the measuring child
// still imports the query modules after that.
await main().catch((err) => {
	console.error(`eval:drivers: ${err?.stack ?? err}`);
	process.exit(1);
});
