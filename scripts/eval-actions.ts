/**
 * Why this exists: `npm run eval:actions` — does an action's measured effect say something true on
 * real data? The CFPB complaints sample (2015–2020) is loaded as a user would load it (its example
 * mapping, `npm run ingest`, `npm run reasons:discover`) into a fresh embedded database. No action
 * was ever taken on it, so the true effect of an action "done" on any date is zero:
 *   1. one action through the API, on the largest contact reason, done on 2019-05-01, target the
 *      negative-sentiment share (every CFPB row is a complaint: its complaint rate is 1 throughout);
 *   2. the same measurement for every reason with enough data, on done dates from February to July
 *      2019 (placebos, each against the reasons not being measured), with each way of drawing the
 *      interval (did.ts, IntervalMethod): how often the 95% interval holds 0, how often it says
 *      "not enough data yet", and the median interval width. The interval was chosen on the dates
 *      on the 1st of a month; the dates on the 15th are held out of that choice and reported apart.
 * Nothing is fitted on these data: the estimator's thresholds were set on synthetic data.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionEffect } from '../schemas/actions';
import type { IntervalMethod } from '../src/lib/server/queries/actions/did';
import { datasetsDir } from '../ingest/enrichment/text/datasets';
import { runChild as run } from './run-child';

const ROOT = process.cwd();
// The sample's contacts lie mostly between December 2018 and October 2019. The interval was chosen
// on CHOICE; HELD_OUT was not looked at until then.
const CHOICE = ['2019-03-01', '2019-04-01', '2019-05-01', '2019-06-01'];
const HELD_OUT = ['2019-02-15', '2019-03-15', '2019-04-15', '2019-05-15', '2019-06-15', '2019-07-15'];
const DATES = [...CHOICE, ...HELD_OUT];
const METHODS: IntervalMethod[] = ['placebo', 'welch', 'hac'];

async function measure() {
	const { openDb } = await import('../db/open');
	const { closeDb } = await import('../db/client');
	const { createCaller } = await import('../src/lib/server/trpc/router');
	const { measureEffect } = await import('../src/lib/server/queries/actions/effect');
	const { painPointId } = await import('../schemas/journey');
	const db = await openDb();
	try {
		const caller = createCaller({ db });
		const list = await caller.reasons.list({ from: '2015-10-01', to: '2020-03-31' });
		const reasons = list.reasons.filter((r) => !r.hidden && r.stage).sort((a, b) => b.interactions - a.interactions);
		const top = reasons[0]!;
		const created = await caller.actions.create({
			target: painPointId(top.stage, top.name, 'reason'),
			title: `Placebo on ${top.name}`,
			kpi: 'negativeShare',
			due: '2019-05-01',
			status: 'done',
			doneAt: '2019-05-01',
			cost: 10_000
		});
		const one = await caller.actions.get({ id: created.id });
		const placebos = [];
		for (const interval of METHODS)
			for (const doneAt of DATES)
				for (const r of reasons) {
					const e = await measureEffect(
						db.client,
						{ ...one, stage: r.stage, touchpoint: r.name, doneAt, id: 'a-placebo' },
						[],
						{ interval }
					);
					placebos.push({
						interval,
						reason: r.name,
						doneAt,
						status: e.status,
						low: e.low,
						high: e.high,
						effect: e.effect
					});
				}
		console.log(
			JSON.stringify({
				reasons: reasons.length,
				top: { name: top.name, n: top.interactions },
				one: one.effect,
				placebos
			})
		);
	} finally {
		await closeDb();
	}
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}`);

async function main() {
	if (process.argv.includes('--measure')) return measure();
	const file = join(datasetsDir(), 'complaints-en/cfpb_sample_2015_2020.csv');
	if (!existsSync(file)) {
		console.log(`(the CFPB sample is missing under ${datasetsDir()}; skipped)`);
		return;
	}
	const work = mkdtempSync(join(tmpdir(), 'touchmap-actions-'));
	const dataDir = join(work, 'data');
	mkdirSync(dataDir);
	const env = { ...process.env, TOUCHMAP_DATA_DIR: dataDir, TOUCHMAP_DEMO: '0' };
	try {
		run(env, [
			'ingest/cli.ts',
			'--mapping',
			join(ROOT, 'ingest/mappings/examples/cfpb-complaints.json'),
			'--file',
			file
		]);
		run(env, ['scripts/reasons-discover.ts']);
		const out = run(env, ['scripts/eval-actions.ts', '--', '--measure'], true).trim().split('\n');
		const r = JSON.parse(out.at(-1)!) as {
			reasons: number;
			top: { name: string; n: number };
			one: ActionEffect;
			placebos: {
				interval: IntervalMethod;
				doneAt: string;
				status: string;
				low: number | null;
				high: number | null;
			}[];
		};
		const e = r.one;
		console.log(`CFPB complaints 2015-2020: ${r.reasons} contact reasons`);
		console.log(
			`action on "${r.top.name}" (${r.top.n} contacts), done 2019-05-01, negative share: ${e.status}` +
				(e.effect === null
					? ` (${e.reasons.join(', ')})`
					: ` ${pct(e.effect)} pts, 95% [${pct(e.low)}, ${pct(e.high)}]; it ${pct(e.before)}% -> ${pct(e.after)}%, ` +
						`${e.comparableUnits} comparable reasons ${pct(e.comparisonBefore)}% -> ${pct(e.comparisonAfter)}%; ` +
						`${e.weeksBefore} + ${e.weeksAfter} weeks, ${e.contactsBefore} + ${e.contactsAfter} contacts`)
		);
		const line = (of: typeof r.placebos) => {
			const measured = of.filter((p) => p.status === 'measured');
			const covers = measured.filter((p) => p.low! <= 0 && p.high! >= 0).length;
			const widths = measured.map((p) => (p.high! - p.low!) * 100).sort((a, b) => a - b);
			return (
				`${of.length}; measured ${measured.length}, not enough data ${of.length - measured.length}; ` +
				`95% interval holds 0 in ${covers} of ${measured.length} (${((covers / Math.max(1, measured.length)) * 100).toFixed(0)}%); ` +
				`median width ${(widths[Math.floor(widths.length / 2)] ?? 0).toFixed(1)} pts`
			);
		};
		for (const [name, dates] of [
			['chosen on', CHOICE],
			['held out', HELD_OUT]
		] as const) {
			console.log(`placebos ${name} (every reason x ${dates.join(', ')}):`);
			for (const m of METHODS)
				console.log(`  ${m.padEnd(8)} ${line(r.placebos.filter((p) => p.interval === m && dates.includes(p.doneAt)))}`);
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

await main().catch((err) => {
	console.error(`eval:actions: ${err?.stack ?? err}`);
	process.exit(1);
});
