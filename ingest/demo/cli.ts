/**
 * Why this exists: `npm run demo` — write the demo source files without loading them, e.g. to
 * inspect them, to try `npm run ingest` by hand, or to build a benchmark data set.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { generateDemo } from './generate';

const { values } = parseArgs({
	options: {
		customers: { type: 'string', default: '20000' },
		seed: { type: 'string', default: '42' },
		out: { type: 'string', default: 'demo-data' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (values.help) {
	console.log(`Usage: npm run demo -- [--customers N] [--seed S] [--out DIR]

Writes deterministic demo source files (about 50 interactions per customer over two years):
  DIR/crm/customers.csv, DIR/crm/orders.csv, DIR/crm/tickets.ndjson   a CRM export
  DIR/callcenter/calls.csv                                           a call-center log
  DIR/social/posts.ndjson                                            Weibo/WeChat/X/Reddit posts
  DIR/ground-truth.json        planted pain points, high-value and churning customers
Load them with the mappings in ingest/mappings/demo/ (npm start does this on an empty database).`);
	process.exit(0);
}
const customers = Number(values.customers);
const seed = Number(values.seed);
if (!Number.isInteger(customers) || customers < 10 || !Number.isInteger(seed)) {
	console.error('demo: --customers must be a whole number ≥ 10 and --seed a whole number');
	process.exit(2);
}
const bar = process.stderr.isTTY
	? new cliProgress.SingleBar({ stream: process.stderr }, cliProgress.Presets.shades_classic)
	: undefined;
bar?.start(customers, 0);
const result = await generateDemo({ customers, seed, outDir: values.out, onProgress: (done) => bar?.update(done) });
bar?.stop();
console.log(
	`demo: ${customers} customers, ${result.interactions} interactions in ${result.seconds.toFixed(1)} s → ${values.out} ` +
		`(${Object.entries(result.files)
			.map(([f, n]) => `${f} ${n}`)
			.join(', ')})`
);
