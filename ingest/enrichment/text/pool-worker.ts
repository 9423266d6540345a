/**
 * Why this exists: one worker of the text pool (pool.ts): loads the models once, then analyses
 * the chunks of texts it is sent, with the same analyzeText as every other caller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeText, loadModels } from './analyze';
import type { AnalyzeRequest } from './pool';

const port = parentPort!;
try {
	process.env.TOUCHMAP_MODELS_DIR = (workerData as { modelsDir: string }).modelsDir;
	const models = loadModels();
	// The Chinese segmenter's dictionary loads on first use: now, before the first chunk.
	analyzeText('预热 warm up', models);
	port.on('message', ({ id, reqs }: { id: number; reqs: AnalyzeRequest[] }) => {
		try {
			port.postMessage({ id, results: reqs.map((r) => analyzeText(r.text, models, r.language, r.wants)) });
		} catch (err) {
			port.postMessage({ id, error: (err as Error).stack ?? String(err) });
		}
	});
	port.postMessage({ ready: true });
} catch (err) {
	port.postMessage({ error: (err as Error).stack ?? String(err) });
}
