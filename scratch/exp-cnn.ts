import { readFileSync } from 'node:fs';
import { loadModels, prepare, fold } from '../ingest/text/analyze';
import { sst2, uci } from '../ingest/text/datasets';
import { logits } from '../ingest/text/linear';
import { cnnLogit, trainCnn } from '../ingest/text/cnn';

const TOP = Number(process.env.TOP ?? 30000);
const allWords = JSON.parse(readFileSync('/tmp/i7emb/words.json', 'utf8')) as string[];
const allVecs = new Float32Array(readFileSync('/tmp/i7emb/vec.bin').buffer);
const s = sst2();
const sub = Number(process.env.SUB ?? 1);
const train = [...s.train.filter((_, i) => i % sub === 0), ...uci().train].map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label }));
const seen = new Set(train.flatMap((t) => t.tokens.map((w) => (w[0] === '!' ? w.slice(1) : w))));
const keep: number[] = [];
allWords.forEach((w, i) => { if (i < TOP || seen.has(w)) keep.push(i); });
const words = keep.map((i) => allWords[i]!);
const vecs = new Float32Array(keep.length * 100);
keep.forEach((id, i) => vecs.set(allVecs.subarray(id * 100, id * 100 + 100), i * 100));
console.log('vocab', words.length);
const dev = s.dev.map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label, f: prepare(r.text, 'en').features }));
const test = s.test.map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label, f: prepare(r.text, 'en').features }));
const ng = loadModels().sentiment.en!;
const zng = (xs: typeof dev) => xs.map((x) => logits(ng, fold(x.f, ng.bits))[0]!);
const devNg = zng(dev);
const testNg = zng(test);
const acc = (z: number[], xs: { label: number }[]) => z.filter((v, i) => Number(v >= 0) === xs[i]!.label).length / xs.length;
console.log('ngram dev', acc(devNg, dev).toFixed(4), 'test', acc(testNg, test).toFixed(4));
const t0 = Date.now();
trainCnn({ name: 'x', trainedOn: [], vectors: 'glove' }, words, vecs, 100, train, {
	widths: (process.env.W ?? '2,3').split(',').map(Number),
	filters: Number(process.env.F ?? 64),
	epochs: Number(process.env.E ?? 4),
	rate: Number(process.env.LR ?? 1e-3),
	embRate: Number(process.env.ELR ?? 0.05),
	dropout: Number(process.env.DROP ?? 0.5),
	onEpoch: (e, m) => {
		const dz = dev.map((x) => cnnLogit(m, x.tokens));
		const tz = test.map((x) => cnnLogit(m, x.tokens));
		let line = `epoch ${e} ${((Date.now() - t0) / 1000).toFixed(0)}s cnn dev ${acc(dz, dev).toFixed(4)}`;
		for (const b of [0.5, 1, 2]) line += ` ens${b} dev ${acc(dz.map((z, i) => b * z + devNg[i]!), dev).toFixed(4)}`;
		if (process.env.TEST) line += ` | test cnn ${acc(tz, test).toFixed(4)} ens1 ${acc(tz.map((z, i) => z + testNg[i]!), test).toFixed(4)}`;
		console.log(line);
		if (process.env.DUMP) require('node:fs').writeFileSync(`/tmp/i7emb/cnn-${process.env.DUMP}-e${e}.json`, JSON.stringify({ dev: dz, test: tz }));
	}
});
