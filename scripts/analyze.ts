/**
 * Why this exists: `npm run --silent analyze -- --file texts.ndjson` — batch scoring of anyone's
 * texts with the same models as ingest, no database needed. Reads lines {"id":…,"text":…} and writes
 * one JSON line per input to stdout; a bad line gets a clear message on stderr and the rest go on.
 * Texts are analysed in batches on the worker pool (every core); at the end, stderr gets the count
 * of texts per detected language, and how many had no sentiment model for their language.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { analyzeBatch, closeTextPool, type AnalyzeRequest } from '../ingest/enrichment/text/pool';

const HELP = `Usage: npm run --silent analyze -- --file texts.ndjson   (or --file - for stdin)

Reads one JSON object per line, {"id": …, "text": "…"} (optional "language": "en" | "zh" to skip
detection; optional "complaint": true when the text comes from a complaint), and prints one line
per input, in input order:
  {"id":…,"language":"en","sentiment":-0.8,"label":"negative","scenario":"after_sales","intent":"delivery"}
sentiment is −1..1, P(positive) − P(negative) (null when the language has no model: only English
and Chinese are scored); label is the three-class classifier's answer; intent and scenario are ""
when unknown. At the end, stderr gets the number of texts per language ("analyze: 1,204 texts —
en 1,100, es 80 (no sentiment), …"). TOUCHMAP_TEXT_WORKERS sets the threads that analyse (default:
one per core).
Lines that are not JSON objects with a string "text" are reported on stderr ("analyze: line N: …")
and skipped; the exit code is then 1.`;

/** Texts per batch handed to the worker pool. */
const BATCH = 4096;

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
	const input = values.file === '-' ? process.stdin : createReadStream(values.file, 'utf8');
	let line = 0;
	let bad = 0;
	let batch: { id: unknown; req: AnalyzeRequest }[] = [];
	const perLanguage = new Map<string, { n: number; scored: number }>();
	const flush = async () => {
		const results = await analyzeBatch(batch.map((b) => b.req));
		const out = results.map((a, i) => {
			const c = perLanguage.get(a.language) ?? { n: 0, scored: 0 };
			c.n++;
			if (a.sentiment !== null) c.scored++;
			perLanguage.set(a.language, c);
			return JSON.stringify({
				id: batch[i]!.id ?? null,
				language: a.language,
				sentiment: a.sentiment,
				label: a.label,
				scenario: a.scenario,
				intent: a.intent
			});
		});
		batch = [];
		if (out.length && !process.stdout.write(out.join('\n') + '\n'))
			await new Promise<void>((r) => process.stdout.once('drain', () => r()));
	};
	for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
		line++;
		if (!raw.trim()) continue;
		let rec: { id?: unknown; text?: unknown; language?: unknown; complaint?: unknown };
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
		const language = rec.language === 'en' || rec.language === 'zh' ? rec.language : undefined;
		batch.push({ id: rec.id, req: { text: rec.text, language, wants: { complaint: rec.complaint === true } } });
		if (batch.length >= BATCH) await flush();
	}
	if (batch.length) await flush();
	await closeTextPool();
	const total = [...perLanguage.values()].reduce((a, c) => a + c.n, 0);
	const langs = [...perLanguage.entries()]
		.sort((a, b) => b[1].n - a[1].n)
		.map(
			([l, c]) =>
				`${l || '(none)'} ${c.n.toLocaleString('en')}${c.scored < c.n ? ` (${c.scored ? `${(c.n - c.scored).toLocaleString('en')} ` : ''}no sentiment)` : ''}`
		);
	console.error(`analyze: ${total.toLocaleString('en')} texts — ${langs.join(', ') || 'none'}`);
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
