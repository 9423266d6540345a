/**
 * Why this exists: discovered reasons are judged against labelled sets — normalised mutual
 * information (arithmetic normalisation, as scikit-learn's default), purity, and whether each of
 * the largest labels is the majority label of some reason — computed one way for the method and
 * for its baseline.
 */

function counts<T>(xs: readonly T[]): Map<T, number> {
	const m = new Map<T, number>();
	for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
	return m;
}

function entropy(c: Map<unknown, number>, n: number): number {
	let h = 0;
	for (const v of c.values()) if (v > 0) h -= (v / n) * Math.log(v / n);
	return h;
}

/** Contingency of clusters × labels. */
function table(clusters: readonly (string | number)[], labels: readonly string[]) {
	const t = new Map<string | number, Map<string, number>>();
	clusters.forEach((c, i) => {
		let row = t.get(c);
		if (!row) t.set(c, (row = new Map()));
		row.set(labels[i]!, (row.get(labels[i]!) ?? 0) + 1);
	});
	return t;
}

export function nmi(clusters: readonly (string | number)[], labels: readonly string[]): number {
	const n = labels.length;
	if (n === 0) return 0;
	const hc = entropy(counts(clusters), n);
	const hl = entropy(counts(labels), n);
	const lc = counts(labels);
	const cc = counts(clusters);
	let mi = 0;
	for (const [c, row] of table(clusters, labels)) {
		for (const [l, v] of row) mi += (v / n) * Math.log((n * v) / (cc.get(c)! * lc.get(l)!));
	}
	const denom = (hc + hl) / 2;
	return denom > 0 ? Math.max(0, mi / denom) : 1;
}

export function purity(clusters: readonly (string | number)[], labels: readonly string[]): number {
	let sum = 0;
	for (const row of table(clusters, labels).values()) sum += Math.max(...row.values());
	return labels.length ? sum / labels.length : 0;
}

/** The `top` most frequent labels, and for each whether some cluster has it as its majority label. */
export function largestLabelsFound(
	clusters: readonly (string | number)[],
	labels: readonly string[],
	top = 5,
	ignore: ReadonlySet<string | number> = new Set()
): { label: string; found: boolean }[] {
	const majorities = new Set<string>();
	for (const [c, row] of table(clusters, labels)) {
		if (ignore.has(c)) continue;
		let best = '';
		let n = -1;
		for (const [l, v] of row) if (v > n || (v === n && l < best)) [best, n] = [l, v];
		majorities.add(best);
	}
	return [...counts(labels)]
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
		.slice(0, top)
		.map(([label]) => ({ label, found: majorities.has(label) }));
}
