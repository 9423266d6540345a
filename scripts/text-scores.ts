/**
 * Why this exists: accuracy and per-class F1, the figures `npm run eval:text` reports and the
 * three-class training tunes its class offsets on — one definition for both.
 */
export interface Scores {
	n: number;
	accuracy: number;
	macroF1: number;
	/** F1 of each class, in the order of `classes`. */
	perClass: Record<string, number>;
}

/** Accuracy and macro-F1 over `classes` (default: those that occur in `gold`). */
export function score<T extends string | number>(gold: T[], pred: T[], classes: T[] = [...new Set(gold)]): Scores {
	let ok = 0;
	gold.forEach((g, i) => (ok += g === pred[i] ? 1 : 0));
	const perClass: Record<string, number> = {};
	for (const c of classes) {
		let tp = 0;
		let fp = 0;
		let fn = 0;
		gold.forEach((g, i) => {
			if (pred[i] === c && g === c) tp++;
			else if (pred[i] === c) fp++;
			else if (g === c) fn++;
		});
		perClass[String(c)] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
	}
	const f1s = Object.values(perClass);
	return { n: gold.length, accuracy: ok / gold.length, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length, perClass };
}
