/**
 * Why this exists: `npm run eval:churn` — how good the churn-risk model is, on customers it did not
 * see. Either a demo (default 3,000 customers) or the user's own export (`--mapping M --file F`),
 * loaded through the normal mapping and ingest path into a scratch embedded database. Features are
 * computed exactly as the refresh does (as of a cutoff before each churn); customers whose outcome
 * is known are split by a hash of their id, the held-out share (default 30%) is never trained or
 * tuned on, and the script prints AUC and precision at the top decile of the refresh's chosen learner
 * beside a plain logistic regression from the same run, plus the strongest single features.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		customers: { type: 'string', default: '3000' },
		seed: { type: 'string', default: '7' },
		mapping: { type: 'string' },
		file: { type: 'string' },
		holdout: { type: 'string', default: '0.3' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log(`Usage: npm run eval:churn -- [--customers N] [--seed S] [--holdout 0.3]
       npm run eval:churn -- --mapping M --file F [--holdout 0.3]

Without --mapping, loads the demo (N customers, seed S). With --mapping and --file, loads your own
export through that mapping (more --file/--mapping pairs are not needed: one CRM file is enough).`);
	process.exit(0);
}
if (Boolean(values.mapping) !== Boolean(values.file)) {
	console.error('eval:churn: --mapping and --file go together');
	process.exit(2);
}
const holdout = Number(values.holdout);
if (!(holdout > 0 && holdout < 1)) {
	console.error('eval:churn: --holdout must be between 0 and 1 (e.g. 0.3)');
	process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'touchmap-eval-churn-'));
process.env.TOUCHMAP_DATA_DIR = dir;
process.env.TOUCHMAP_DEMO = '0';
const { openDb } = await import('../db/open');
const { closeDb } = await import('../db/client');
const { loadDemo } = await import('../ingest/demo/load');
const { ingestFile } = await import('../ingest/loading/ingest-file');
const { loadMapping } = await import('../ingest/mapping/mapping-file');
const { evaluate, getChurnAsOf, loadFeatures, LEAD_DAYS } = await import('../src/lib/server/churn/refresh');
const { auc, precisionAtTopDecile, predict, vector, featureNames } = await import('../src/lib/server/churn/model');
try {
	const db = await openDb();
	const started = Date.now();
	let what: string;
	if (values.mapping && values.file) {
		const s = await ingestFile({ db, file: values.file, mapping: loadMapping(values.mapping) });
		what = `${values.file} through ${values.mapping}: ${s.accepted} records loaded, ${s.rejected} quarantined`;
	} else {
		await loadDemo(db, {
			customers: Number(values.customers),
			seed: Number(values.seed),
			sourceDir: join(dir, 'demo')
		});
		what = `demo ${values.customers} customers (seed ${values.seed})`;
	}
	const asOf = await getChurnAsOf(db.client);
	if (!asOf) throw new Error('no customers were loaded');
	const rows = await loadFeatures(db.client, asOf);
	const unknown = rows.filter((r) => !Number(r.known)).length;
	const fitStarted = Date.now();
	const ev = evaluate(rows, { holdout });
	console.log(`eval:churn — ${what}, in ${((fitStarted - started) / 1000).toFixed(1)} s`);
	console.log(
		`  as of ${asOf}; features as of ${LEAD_DAYS} days before each churn date (as of ${asOf} for the others); status and churn date are never features`
	);
	if (!ev) {
		console.log('  nothing to learn from: the data states no churned customers, or no retained ones');
		process.exitCode = 1;
	} else {
		const labels = ev.test.map((r) => Number(r.churned));
		const chosen = predict(ev.model, ev.test);
		const base = predict(ev.baseline, ev.test);
		const rate = labels.filter(Boolean).length / Math.max(1, labels.length);
		const f3 = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(3));
		console.log(
			`  ${unknown} customers without a stated outcome (scored, not used); train ${ev.train.length} (${ev.train.filter((r) => Number(r.churned)).length} churned), held out ${ev.test.length} (${labels.filter(Boolean).length} churned) = ${Math.round(holdout * 100)}%`
		);
		console.log(
			`  learner chosen on a validation quarter of the training customers: ${ev.learner} (validation AUC logistic ${f3(ev.validation.logistic)}, forest ${f3(ev.validation.forest)}); fitted in ${((Date.now() - fitStarted) / 1000).toFixed(1)} s`
		);
		console.log('');
		console.log(`  held out                         ${ev.learner.padEnd(10)}  logistic (baseline)`);
		console.log(`  AUC                              ${f3(auc(chosen, labels)).padEnd(10)}  ${f3(auc(base, labels))}`);
		console.log(
			`  precision at top decile          ${f3(precisionAtTopDecile(chosen, labels)).padEnd(10)}  ${f3(precisionAtTopDecile(base, labels))}   (base rate ${rate.toFixed(3)})`
		);
		const spec = ev.model.spec;
		const names = featureNames(spec);
		const z = ev.test.map((r) => vector(spec, r));
		const single = names
			.map((n, j) => ({
				n,
				a: auc(
					z.map((v) => v[j]!),
					labels
				)
			}))
			.sort((a, b) => Math.abs(b.a - 0.5) - Math.abs(a.a - 0.5))
			.slice(0, 8);
		console.log('  strongest single features (held-out AUC of the feature alone):');
		for (const s of single) console.log(`    ${s.n.padEnd(32)} ${s.a.toFixed(3)}`);
	}
} finally {
	await closeDb();
	rmSync(dir, { recursive: true, force: true });
}
