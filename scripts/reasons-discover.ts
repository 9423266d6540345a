/**
 * Why this exists: `npm run reasons:discover` — discover the contact reasons of the stored texts
 * (or re-discover them, keeping ids and a user's edits) and assign every stored interaction.
 */
import { parseArgs } from 'node:util';
import { openDb } from '../db/open';
import { runCommand } from '../db/run-command';
import { discoverStored } from '../ingest/enrichment/reasons/discover-stored';

const HELP = `Usage: npm run reasons:discover [-- --fresh] [--json]

Discovers contact reasons from a sample of the stored texts, stores them (the Reasons page shows
them) and assigns every stored interaction to one. With a model already stored, re-discovers:
reasons keep their ids, names, stages and hidden flags; new ones get new ids.

Options:
  --fresh      discover from scratch, forgetting the stored reasons and their edits
  --json       print the summary as JSON on the last line
  -h, --help   this text

With the embedded database, stop a running \`npm start\` first (or use the Reasons page's
"Discover again" button): one process owns the directory.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			fresh: { type: 'boolean', default: false },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	const db = await openDb();
	const s = await discoverStored(db, { fresh: values.fresh, log: (l) => console.error(l) });
	console.log(
		`reasons: ${s.reasons} reasons from ${s.texts} texts; ${s.assigned.changed} of ${s.assigned.scanned} interactions (re)assigned in ${s.seconds.toFixed(1)} s`
	);
	if (values.json) console.log(JSON.stringify(s));
	return 0;
}

runCommand('reasons', main, (err) => /^reasons: /.test((err as Error)?.message));
