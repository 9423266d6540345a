/**
 * Why this exists: `npm run eval:text` — how good the text models are, measured only on held-out
 * data they were never trained on (ingest/enrichment/text/datasets.ts fixes the splits): accuracy and macro-F1
 * for English and Chinese sentiment, intent accuracy (Bitext held-out part, and the demo's own
 * texts labelled by the topic that produced them), and throughput of the full analysis per text.
 */
import { analyzeText, loadModels } from '../ingest/enrichment/text/analyze';
import { bitext, datasetsDir, haveDatasets, sst2, uci, zhSentiment, ZH_SETS } from '../ingest/enrichment/text/datasets';
import { BITEXT_TO_INTENT } from '../ingest/enrichment/text/intents-data';
import { TOPICS } from '../ingest/demo/topics';

interface Scores {
	n: number;
	accuracy: number;
	macroF1: number;
}

/** Accuracy and macro-F1 over the classes that occur in `gold`. */
export function score(gold: string[], pred: string[]): Scores {
	const classes = [...new Set(gold)];
	let ok = 0;
	gold.forEach((g, i) => (ok += g === pred[i] ? 1 : 0));
	const f1s = classes.map((c) => {
		let tp = 0;
		let fp = 0;
		let fn = 0;
		gold.forEach((g, i) => {
			if (pred[i] === c && g === c) tp++;
			else if (pred[i] === c) fp++;
			else if (g === c) fn++;
		});
		return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
	});
	return { n: gold.length, accuracy: ok / gold.length, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length };
}

function row(name: string, s: Scores, target?: number): string {
	const mark =
		target === undefined
			? ''
			: s.accuracy >= target
				? `  (target ≥ ${target}: met)`
				: `  (target ≥ ${target}: NOT met)`;
	return `${name.padEnd(46)} n=${String(s.n).padStart(5)}  accuracy ${s.accuracy.toFixed(3)}  macro-F1 ${s.macroF1.toFixed(3)}${mark}`;
}

function binary(rows: { text: string; label: number }[], language: string): Scores {
	const models = loadModels();
	const gold = rows.map((r) => (r.label ? 'positive' : 'negative'));
	// 2-class: the sign of the score (the neutral band is for 3-class output).
	const pred = rows.map((r) => ((analyzeText(r.text, models, language).sentiment ?? 0) >= 0 ? 'positive' : 'negative'));
	return score(gold, pred);
}

function main() {
	if (!haveDatasets()) {
		console.error(`eval:text: no data sets at ${datasetsDir()} (set TOUCHMAP_DATASETS_DIR)`);
		process.exit(2);
	}
	const l0 = performance.now();
	const models = loadModels();
	const loadMs = performance.now() - l0;
	console.log('Touchmap text analytics — held-out evaluation\n');
	const en = [
		'n-grams',
		models.sentimentCnn && `${+models.sentimentCnn.ensembleWeight.toFixed(3)} × CNN`,
		models.sentimentDan && `${+models.sentimentDan.ensembleWeight.toFixed(3)} × DAN`
	].filter(Boolean);
	const lstm = models.sentimentLstm;
	const [b, first, net] = (lstm?.combine ?? []).map((x) => +x.toFixed(3));
	const second = lstm ? `; where |that| < ${lstm.cascade}: ${b} + ${first} × that + ${net} × BiLSTM` : '';
	const unseen = models.sentimentNeighbours
		? `; ${models.sentimentNeighbours.map.size.toLocaleString('en')} unseen words read as their nearest training word`
		: '';
	console.log(
		`Models loaded in ${loadMs.toFixed(0)} ms (once per process); English sentiment = ${en.join(' + ')}${second}${unseen}\n`
	);
	console.log('English sentiment (2-class)');
	console.log(row('  SST-2 test (never trained on)', binary(sst2().test, 'en'), 0.88));
	console.log(row('  UCI sentences, held-out fifth', binary(uci().heldOut, 'en'), 0.88));
	console.log('  3-class: none of the labelled sets has a neutral class, so no 3-class figure.');
	console.log('Chinese sentiment (2-class, held-out tenth of each set)');
	const zhAll: { text: string; label: number }[] = [];
	for (const name of ZH_SETS) {
		const held = zhSentiment(name).heldOut;
		zhAll.push(...held);
		console.log(row(`  ${name}`, binary(held, 'zh')));
	}
	console.log(row('  all Chinese held-out', binary(zhAll, 'zh'), 0.9));

	console.log('Intent');
	const bt = bitext().heldOut;
	const btScores = score(
		bt.map((r) => BITEXT_TO_INTENT[r.intent] ?? ''),
		bt.map((r) => analyzeText(r.text, models, 'en').intent)
	);
	console.log(row('  Bitext held-out fifth (27 → 15 intents)', btScores, 0.9));
	// The demo's texts (not used in training), labelled with the intent of the topic they belong to.
	const demo = TOPICS.flatMap((t) =>
		(['en', 'zh'] as const).flatMap((lang) =>
			[...t[lang].pos, ...t[lang].neg].map((text) => ({
				text: text
					.replace(/\{product\}/g, lang === 'en' ? 'headphones' : '耳机')
					.replace(/\{accessory\}/g, lang === 'en' ? 'charging case' : '充电盒')
					.replace(/\{order\}/g, 'A1234')
					.replace(/\{days\}/g, '5')
					.replace(/\{amount\}/g, '¥299')
					.replace(/\{festival\}/g, lang === 'en' ? 'Black Friday' : '双十一'),
				intent: t.intent,
				lang
			}))
		)
	);
	for (const lang of ['en', 'zh'] as const) {
		const d = demo.filter((x) => x.lang === lang);
		console.log(
			row(
				`  demo texts, ${lang} (topic intent as label)`,
				score(
					d.map((x) => x.intent),
					d.map((x) => analyzeText(x.text, models).intent)
				)
			)
		);
	}

	console.log('Throughput (clean + detect + tokenise + sentiment + intent, one core)');
	const sample = [...sst2().test.slice(0, 1000), ...zhAll.slice(0, 1000), ...bt.slice(0, 500)].map((r) => r.text);
	// The loop re-scores the same texts: without the networks' memo (analyze.ts memoLogit), so every
	// text is computed as a new text is.
	const fresh = { ...models, memo: undefined };
	for (const t of sample) analyzeText(t, fresh); // warm-up
	// CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
	const t0 = process.hrtime.bigint();
	const c0 = process.cpuUsage();
	let n = 0;
	while (Number(process.hrtime.bigint() - t0) < 3e9)
		for (const t of sample) {
			analyzeText(t, fresh);
			n++;
		}
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(c0);
	const cpuSecs = (cpu.user + cpu.system) / 1e6;
	const chars = sample.reduce((a, t) => a + t.length, 0) / sample.length;
	const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
	console.log(
		`  ${fmt(n / cpuSecs)} texts per CPU-second, ${fmt(n / secs)} texts/s wall clock (mean ${chars.toFixed(0)} chars; target ≥ 5,000)`
	);
}

main();
