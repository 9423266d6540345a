/**
 * Why this exists: `npm run --silent analyze -- --file texts.ndjson` — batch scoring of anyone's
 * texts with the same models as ingest, no database needed. Reads lines {"id":…,"text":…} and writes
 * one JSON line per input to stdout; a bad line gets a clear message on stderr and the rest go on.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { analyzeText, loadModels } from '../ingest/enrichment/text/analyze';

const HELP = `Usage: npm run --silent analyze -- --file texts.ndjson   (or --file - for stdin)

Reads one JSON object per line, {"id": …, "text": "…"} (optional "language": "en" | "zh" to skip
detection), and prints one line per input:
  {"id":…,"language":"en","sentiment":-0.8,"label":"negative","scenario":"after_sales","intent":"delivery"}
sentiment is −1..1 (null when the language has no model); intent and scenario are "" when unknown.
Lines that are not JSON objects with a string "text" are reported on stderr ("analyze: line N: …")
and skipped; the exit code is then 1.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: { file: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }
	});
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	if (!values.file) {
		console.error('analyze: --file is required (see --help)');
		return 2;
	}
	if (values.file !== '-' && !existsSync(values.file)) {
		console.error(`analyze: no such file: ${values.file}`);
		return 2;
	}
	const models = loadModels();
	const input = values.file === '-' ? process.stdin : createReadStream(values.file, 'utf8');
	let line = 0;
	let bad = 0;
	let out: string[] = [];
	for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
		line++;
		if (!raw.trim()) continue;
		let rec: { id?: unknown; text?: unknown; language?: unknown };
		try {
			rec = JSON.parse(raw);
		} catch (err) {
			bad++;
			console.error(`analyze: line ${line}: not valid JSON (${(err as Error).message})`);
			continue;
		}
		if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
			bad++;
			console.error(`analyze: line ${line}: expected a JSON object like {"id":1,"text":"…"}`);
			continue;
		}
		if (typeof rec.text !== 'string') {
			bad++;
			console.error(`analyze: line ${line}: "text" is missing or not a string`);
			continue;
		}
		const a = analyzeText(rec.text, models, rec.language === 'en' || rec.language === 'zh' ? rec.language : undefined);
		out.push(
			JSON.stringify({
				id: rec.id ?? null,
				language: a.language,
				sentiment: a.sentiment,
				label: a.label,
				scenario: a.scenario,
				intent: a.intent
			})
		);
		if (out.length >= 1000) {
			process.stdout.write(out.join('\n') + '\n');
			out = [];
		}
	}
	if (out.length) process.stdout.write(out.join('\n') + '\n');
	return bad ? 1 : 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(err) => {
		console.error(`analyze: ${(err as Error)?.stack ?? err}`);
		process.exitCode = 1;
	}
);
