/**
 * Why this exists: `npm run eval:churn` — how good the churn-risk model is, on data it did not see.
 * Generates a demo (default 3,000 customers) into a temporary database through the real ingest
 * path, computes the features exactly as the refresh does (as of a cutoff before each churn),
 * splits customers 70/30 by a hash of their id, trains on the 70% and prints AUC and precision
 * at the top decile on the held-out 30%, plus each feature's own AUC for reading the model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		customers: { type: 'string', default: '3000' },
		seed: { type: 'string', default: '7' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log('Usage: npm run eval:churn -- [--customers N] [--seed S]');
	process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'touchmap-eval-churn-'));
process.env.TOUCHMAP_DATA_DIR = dir;
process.env.TOUCHMAP_DEMO = '0';
const { openDb } = await import('../db/open');
const { closeDb } = await import('../db/client');
const { loadDemo } = await import('../ingest/demo/load');
const { getAsOf } = await import('../src/lib/server/queries/customers/rules');
const { hashId, loadFeatures, LEAD_DAYS } = await import('../src/lib/server/churn/refresh');
const { auc, buildSpec, precisionAtTopDecile, score, train, vector, featureNames } =
	await import('../src/lib/server/churn/model');
try {
	const db = await openDb();
	const started = Date.now();
	await loadDemo(db, { customers: Number(values.customers), seed: Number(values.seed), sourceDir: join(dir, 'demo') });
	const rows = await loadFeatures(db.client, (await getAsOf(db.client))!);
	const testSet = rows.filter((r) => hashId(r.customer_id, 1) < 0.3);
	const trainSet = rows.filter((r) => hashId(r.customer_id, 1) >= 0.3);
	const model = train(trainSet);
	const labels = testSet.map((r) => Number(r.churned));
	const scores = testSet.map((r) => score(model, r).score);
	console.log(
		`eval:churn — demo ${values.customers} customers (seed ${values.seed}), loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`
	);
	console.log(
		`  features as of ${LEAD_DAYS} days before each churn date (end of data for the others); status and churn date are never features`
	);
	console.log(
		`  train ${trainSet.length} customers (${trainSet.filter((r) => Number(r.churned)).length} churned), held out ${testSet.length} (${labels.filter(Boolean).length} churned)`
	);
	console.log(`  AUC (held out):                    ${auc(scores, labels).toFixed(3)}`);
	console.log(
		`  precision at top decile (held out): ${precisionAtTopDecile(scores, labels).toFixed(3)}  (base rate ${(labels.filter(Boolean).length / labels.length).toFixed(3)})`
	);
	const spec = buildSpec(trainSet);
	const names = featureNames(spec);
	const z = testSet.map((r) => vector(spec, r));
	const single = names
		.map((n, j) => ({
			n,
			w: model.weights[j + 1]!,
			a: auc(
				z.map((v) => v[j]!),
				labels
			)
		}))
		.sort((a, b) => Math.abs(b.a - 0.5) - Math.abs(a.a - 0.5))
		.slice(0, 8);
	console.log('  strongest features (single-feature AUC, model weight):');
	for (const s of single)
		console.log(`    ${s.n.padEnd(32)} ${s.a.toFixed(3)}  ${s.w >= 0 ? '+' : ''}${s.w.toFixed(2)}`);
} finally {
	await closeDb();
	rmSync(dir, { recursive: true, force: true });
}
