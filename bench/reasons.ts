/**
 * Why this exists: `npx tsx bench/reasons.ts [--n 1000000]` — the cost of contact-reason discovery
 * at deployment scale. A million texts are built by repeating the real public ones (customer
 * tweets from twcs, CFPB complaint narratives, TweetEval tweets, Bitext requests, UnionPay
 * questions) with varied handles and ids; discovery fits on its sample and assigns every text, and
 * the whole call is timed. Assignment is then timed per source on the real texts, after loading the
 * stored model, as ingest calls it (language already detected by the text enricher) and for a text
 * of unknown language. CPU time is printed next to wall time because the machine may be shared.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assignReason, discoverWithAssignments, loadReasonModel, saveReasonModel } from '../ingest/enrichment/reasons';
import { seededRandom } from '../ingest/enrichment/reasons/cluster';
import {
	bitextIntents,
	cfpbPersonalLoans,
	cfpbSample,
	tweetEvalTexts,
	twcsCustomerTweets,
	unionPay
} from '../ingest/enrichment/reasons/datasets';
import { datasetsDir } from '../ingest/enrichment/text/datasets';
import { detectLanguage } from '../ingest/enrichment/text/language';

const cpuSeconds = (since: NodeJS.CpuUsage) => {
	const u = process.cpuUsage(since);
	return (u.user + u.system) / 1e6;
};

function main() {
	const { values } = parseArgs({ options: { n: { type: 'string', default: '1000000' } } });
	const n = Number(values.n);
	const sources: [string, string[]][] = [
		['twcs customer tweets', twcsCustomerTweets()],
		['CFPB narratives', [...(cfpbSample()?.texts ?? []), ...(cfpbPersonalLoans()?.texts ?? [])]],
		['TweetEval tweets', tweetEvalTexts()],
		['Bitext requests', bitextIntents()?.texts ?? []],
		['UnionPay questions (zh)', unionPay()?.texts ?? []]
	];
	const pool = sources.flatMap(([, t]) => t);
	if (pool.length === 0) {
		console.log(`bench/reasons: no data sets under ${datasetsDir()} — nothing to measure.`);
		return;
	}
	console.log(`pool: ${sources.map(([name, t]) => `${name} ${t.length}`).join(', ')}`);
	const random = seededRandom(42);
	const texts = Array.from({ length: n }, (_, i) => {
		const t = pool[Math.floor(random() * pool.length)]!;
		// Varied ids and handles, as repeated contacts carry; cleaning strips both.
		return i % 3 === 0 ? `@user${i} ${t}` : i % 3 === 1 ? `${t} #${i}` : t;
	});
	const chars = texts.reduce((s, t) => s + t.length, 0);
	console.log(`input: ${n.toLocaleString('en')} texts, ${(chars / 1e6).toFixed(0)} M characters\n`);

	const wall0 = performance.now();
	const cpu0 = process.cpuUsage();
	const { model, assignments } = discoverWithAssignments(texts);
	const wall = (performance.now() - wall0) / 1000;
	const cpu = cpuSeconds(cpu0);
	const json = saveReasonModel(model);
	const real = model.reasons.filter((r) => r.kind === 'reason');
	const covered = assignments.filter((a) => a.reasonId !== 'other' && a.reasonId !== 'no-text').length;
	console.log(`discovery of ${n.toLocaleString('en')} texts (fit on a sample, then assign all)`);
	console.log(`  wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s (one thread)`);
	console.log(`  reasons ${real.length}, coverage ${((covered / n) * 100).toFixed(1)}%`);
	console.log(`  model JSON ${(json.length / 1e6).toFixed(2)} MB, vocabulary ${model.vocabulary.length} terms`);
	console.log(`  peak memory (RSS) ${(process.memoryUsage().rss / 1e9).toFixed(2)} GB`);
	console.log(
		`  largest: ${real
			.slice(0, 5)
			.map((r) => `${r.name} (${r.size})`)
			.join(' | ')}\n`
	);

	const loaded = loadReasonModel(json);
	// At ingest the text enricher has already detected each text's language and the reason enricher
	// reads it from the record; the second column is a text whose language is not known yet.
	console.log('assignment after loading the stored model, one core, CPU µs per text (best of 3 passes):');
	console.log(`  ${'texts'.padEnd(26)} ${'at ingest'.padStart(9)} ${'no language'.padStart(12)}`);
	const perText = (list: string[], languages: (string | undefined)[]) => {
		let best = Infinity;
		for (let pass = 0; pass < 3; pass++) {
			const c0 = process.cpuUsage();
			for (let i = 0; i < list.length; i++) assignReason(loaded, list[i]!, languages[i]);
			best = Math.min(best, (cpuSeconds(c0) * 1e6) / list.length);
		}
		return best;
	};
	let atIngest = 0;
	let noLanguage = 0;
	let count = 0;
	for (const [name, list] of sources) {
		if (list.length === 0) continue;
		const known = perText(
			list,
			list.map((t) => detectLanguage(t))
		);
		const unknown = perText(list, []);
		atIngest += known * list.length;
		noLanguage += unknown * list.length;
		count += list.length;
		console.log(
			`  ${name.padEnd(26)} ${known.toFixed(1).padStart(6)} µs ${unknown.toFixed(1).padStart(9)} µs  (${list.length} texts)`
		);
	}
	console.log(
		`  ${'all real texts'.padEnd(26)} ${(atIngest / count).toFixed(1).padStart(6)} µs ${(noLanguage / count).toFixed(1).padStart(9)} µs  (${count} texts)`
	);
}

main();
