/**
 * Why this exists: `npm run enrich -- --since DATE` — re-score stored interactions after a model
 * change, or apply edited journey rules and intents (ingest/enrichment/text/rescore.ts): no duplicated rows, roll-ups rebuilt for the months touched.
 */
import { parseArgs } from 'node:util';
import { runCommand } from '../db/run-command';
import { openDb } from '../db/open';
import { rescore } from '../ingest/enrichment/text/rescore';

const HELP = `Usage: npm run enrich -- --since DATE [--json]

Re-computes language, sentiment, intent and scenario for stored interactions from DATE (YYYY-MM-DD,
UTC) on, with the current models under models/, the custom intents, contact reasons and journey
rules in force (stage, touchpoint). Only values Touchmap filled itself are replaced
(attributes.text_enriched); a source's own stage, sentiment or intent is never touched. Each month with
changes is rewritten through the normal insert path, so KPI roll-ups stay consistent and no row is
duplicated.

Options:
  --since DATE   first day to re-score (required)
  --json         print {"months":N,"scanned":N,"changed":N,"seconds":S} as the last line
  -h, --help     this text

With the embedded database, stop a running \`npm start\` first: one process owns the directory.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			since: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	if (
		!values.since ||
		!/^\d{4}-\d{2}-\d{2}$/.test(values.since) ||
		Number.isNaN(Date.parse(`${values.since}T00:00:00Z`))
	) {
		console.error('enrich: --since YYYY-MM-DD is required (see --help)');
		return 2;
	}
	const db = await openDb();
	const s = await rescore(db, { since: new Date(`${values.since}T00:00:00Z`), log: (l) => console.error(l) });
	console.log(
		`enrich: ${s.changed} of ${s.scanned} texts re-scored in ${s.months} months in ${s.seconds.toFixed(1)} s`
	);
	if (values.json) console.log(JSON.stringify({ ...s, seconds: Number(s.seconds.toFixed(3)) }));
	return 0;
}

runCommand('enrich', main, (err) => /^enrich: /.test((err as Error)?.message));
