/**
 * Why this exists: a random forest for churn risk, where effects are not linear (on the bank CRM,
 * risk rises with age and falls again, and two products are safer than one or three — a logistic
 * regression cannot say either). The trees are mljs `ml-cart` regression trees on 0/1 labels, so
 * a forest's mean is a smooth risk, not a vote count.
 *
 * TRICKY: ml-cart tries a split wherever the label changes along a feature's sorted values, and
 * each try scans the node's rows: thousands of tries per node on raw values. Features are cut into
 * quantile bins and each tree's rows are sorted by label, so a bin's ties give at most two tries
 * (ml-random-forest's own bagging shuffles the rows, which is why the bagging is done here).
 */
import { DecisionTreeRegression } from 'ml-cart';
import seedrandom from 'seedrandom';

export interface ForestOptions {
	trees?: number;
	maxDepth?: number;
	minLeaf?: number;
	/** Share of the features each tree sees. */
	featureShare?: number;
	bins?: number;
	seed?: string;
}

export interface Forest {
	/** Per feature, the upper edges of its bins (from the training rows). */
	cuts: number[][];
	trees: { features: number[]; tree: DecisionTreeRegression; inBag: Uint8Array }[];
}

function binOf(cuts: number[], v: number): number {
	let lo = 0;
	let hi = cuts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (v >= cuts[mid]!) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

const binned = (f: Forest, x: number[]) => x.map((v, j) => binOf(f.cuts[j]!, v));

export function trainForest(X: number[][], y: number[], opts: ForestOptions = {}): Forest {
	const { trees = 40, maxDepth = 8, minLeaf = 20, featureShare = 0.7, bins = 32, seed = 'touchmap' } = opts;
	const rnd = seedrandom(seed);
	const n = X.length;
	const p = X[0]?.length ?? 0;
	const cuts = Array.from({ length: p }, (_, j) => {
		const xs = X.map((x) => x[j]!).sort((a, b) => a - b);
		const c: number[] = [];
		for (let b = 1; b < bins; b++) {
			const v = xs[Math.floor((b * n) / bins)]!;
			if (!c.length || v > c.at(-1)!) c.push(v);
		}
		return c;
	});
	const forest: Forest = { cuts, trees: [] };
	const B = X.map((x) => binned(forest, x));
	const k = Math.max(1, Math.round(featureShare * p));
	for (let t = 0; t < trees; t++) {
		const rows = Array.from({ length: n }, () => Math.floor(rnd() * n)).sort((a, b) => y[a]! - y[b]! || a - b);
		const inBag = new Uint8Array(n);
		for (const i of rows) inBag[i] = 1;
		const all = Array.from({ length: p }, (_, j) => j);
		for (let i = all.length - 1; i > 0; i--) {
			const j = Math.floor(rnd() * (i + 1));
			[all[i], all[j]] = [all[j]!, all[i]!];
		}
		const features = all.slice(0, k).sort((a, b) => a - b);
		const tree = new DecisionTreeRegression({ maxDepth, minNumSamples: minLeaf });
		tree.train(
			rows.map((i) => features.map((j) => B[i]![j]!)),
			rows.map((i) => y[i]!)
		);
		forest.trees.push({ features, tree, inBag });
	}
	return forest;
}

/**
 * Mean of the trees' leaf means: the share of churners among training customers like each row. A
 * row the forest was trained on (`trainRow[i]`, its index in the training set) is scored out of bag
 * — only by the trees that never saw it — or its own label would echo back: a quiet customer
 * still marked active would read as safe because the trees memorised them.
 */
export function predictForest(f: Forest, X: number[][], trainRow: (number | undefined)[] = []): number[] {
	const sum = new Array<number>(X.length).fill(0);
	const count = new Array<number>(X.length).fill(0);
	if (!X.length) return sum;
	const B = X.map((x) => binned(f, x));
	for (const { features, tree, inBag } of f.trees) {
		const pred = tree.predict(B.map((b) => features.map((j) => b[j]!)));
		for (let i = 0; i < sum.length; i++) {
			const t = trainRow[i];
			if (t !== undefined && inBag[t]) continue;
			sum[i]! += pred[i]!;
			count[i]!++;
		}
	}
	return sum.map((s, i) => (count[i] ? s / count[i]! : 0));
}
