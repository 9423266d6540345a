/**
 * Why this exists: `npm run alerts` — run the alert rules once against the database from the
 * command line (a cron job on a deployment with a ClickHouse server, or a check of what the rules
 * would say on newly loaded data) and send what is due.
 */
import { parseArgs } from 'node:util';
import { openDb } from '../db/open';
import { runCommand } from '../db/run-command';

const HELP = `Usage: npm run alerts [-- --defaults] [--dry-run] [--json]

Evaluates every enabled alert rule against the stored data, queues what they raise (deduplicated,
quiet hours applied) and sends what is due, then prints what fired.

Options:
  --defaults   first store one rule of each kind with default settings, when no rule is stored
  --dry-run    only say what would fire: queue and send nothing, remember nothing
  --json       print the summary as JSON on the last line
  -h, --help   this text

With the embedded database, stop a running \`npm start\` first (its own job runs the rules): one
process owns the directory.`;

const DEFAULT_RULES = [
	{ id: 'kpi-anomaly', name: 'KPI anomalies', kind: 'kpi_anomaly' },
	{ id: 'red-pain-points', name: 'New or worsening red pain points', kind: 'red_pain_point' },
	{ id: 'reason-surge', name: 'Surging contact reasons', kind: 'reason_surge' },
	{ id: 'high-value-churn', name: 'Churn risk among high-value customers', kind: 'high_value_churn' }
] as const;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			defaults: { type: 'boolean', default: false },
			'dry-run': { type: 'boolean', default: false },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	const db = await openDb();
	const { RuleSchema } = await import('../schemas/alerts');
	const store = await import('../src/lib/server/alerts/store');
	const run = await import('../src/lib/server/alerts/run');
	if (values.defaults && !(await store.listRules(db.client)).length)
		for (const r of DEFAULT_RULES) await store.saveRule(db.client, RuleSchema.parse(r));
	const started = Date.now();
	const s = await run.evaluate(db.client, { dryRun: values['dry-run'] });
	const sent = values['dry-run'] ? null : await run.deliverDue(db.client);
	for (const f of s.fired) console.log(`${f.ruleId}: ${f.title}\n  ${f.text}`);
	for (const e of s.errors) console.error(`${e.ruleId}: failed: ${e.message}`);
	console.log(
		`${s.rules} rules, ${s.alerts} alerts (${s.deduplicated} already sent), ${s.queued} deliveries ${values['dry-run'] ? 'would be queued' : 'queued'}` +
			(sent ? `; ${sent.sent} sent, ${sent.retrying} to retry, ${sent.failed} failed` : '') +
			` in ${((Date.now() - started) / 1000).toFixed(1)} s`
	);
	if (values.json) console.log(JSON.stringify({ ...s, sent }));
	return s.errors.length ? 1 : 0;
}

// TRICKY: awaited at the top level — vite-node closes its module server once the entry module has
// run, and the modules this command loads on the way would then fail to load.
await new Promise<void>((resolve) => runCommand('alerts', () => main().finally(resolve)));
