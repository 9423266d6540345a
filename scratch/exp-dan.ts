import { readFileSync } from 'node:fs';
import { loadModels, prepare, fold } from '../ingest/text/analyze';
import { sst2, uci } from '../ingest/text/datasets';
import { logits } from '../ingest/text/linear';
import { danLogit, trainDan } from '../ingest/text/embedding';

const V = Number(process.env.V ?? 100000);
const words = (JSON.parse(readFileSync('/tmp/i7emb/words.json', 'utf8')) as string[]).slice(0, V);
const vecs = new Float32Array(readFileSync('/tmp/i7emb/vec.bin').buffer).slice(0, V * 100);
const s = sst2();
const sub = Number(process.env.SUB ?? 1);
const train = [...s.train.filter((_, i) => i % sub === 0), ...uci().train].map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label }));
const dev = s.dev.map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label, f: prepare(r.text, 'en').features }));
const test = s.test.map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label, f: prepare(r.text, 'en').features }));
const ng = loadModels().sentiment.en!;
const zng = (xs: typeof dev) => xs.map((x) => logits(ng, fold(x.f, ng.bits))[0]!);
const devNg = zng(dev);
const testNg = zng(test);
const acc = (z: number[], xs: { label: number }[]) => z.filter((v, i) => Number(v >= 0) === xs[i]!.label).length / xs.length;
console.log('ngram dev', acc(devNg, dev).toFixed(4), 'test', acc(testNg, test).toFixed(4));
const hidden = (process.env.H ?? '128,64').split(',').map(Number);
const t0 = Date.now();
trainDan({ name: 'x', trainedOn: [], vectors: 'glove' }, words, vecs, 100, train, {
	hidden,
	epochs: Number(process.env.E ?? 5),
	rate: Number(process.env.LR ?? 1e-3),
	embRate: Number(process.env.ELR ?? 0.05),
	wordDropout: Number(process.env.DROP ?? 0.25),
	onEpoch: (e, m) => {
		const dz = dev.map((x) => danLogit(m, x.tokens));
		const tz = test.map((x) => danLogit(m, x.tokens));
		let line = `epoch ${e} ${((Date.now() - t0) / 1000).toFixed(0)}s dan dev ${acc(dz, dev).toFixed(4)}`;
		for (const b of [0.5, 1, 2]) line += ` ens${b} dev ${acc(dz.map((z, i) => b * z + devNg[i]!), dev).toFixed(4)}`;
		if (process.env.TEST) line += ` | test dan ${acc(tz, test).toFixed(4)} ens1 ${acc(tz.map((z, i) => z + testNg[i]!), test).toFixed(4)}`;
		console.log(line);
	}
});
