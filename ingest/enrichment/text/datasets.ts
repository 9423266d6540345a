/**
 * Why this exists: one place that reads the labelled public data sets (../shared/datasets, see its
 * README) and splits them into train and held-out parts, so the training script and the evaluation
 * can never disagree about which rows are held out. Splits are fixed by row position (no
 * randomness): SST-2 test is held out whole; every 5th UCI sentence, every 10th Chinese review and
 * every 5th Bitext utterance are held out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface Labelled {
	text: string;
	label: number;
}
export interface IntentExample {
	text: string;
	intent: string;
}

/** TOUCHMAP_DATASETS_DIR, else ../shared/datasets (from a worktree under wt/: ../../shared/datasets). */
export function datasetsDir(): string {
	if (process.env.TOUCHMAP_DATASETS_DIR) return resolve(process.env.TOUCHMAP_DATASETS_DIR);
	const near = resolve(process.cwd(), '..', 'shared', 'datasets');
	const far = resolve(process.cwd(), '..', '..', 'shared', 'datasets');
	return existsSync(near) || !existsSync(far) ? near : far;
}

export function haveDatasets(): boolean {
	return existsSync(join(datasetsDir(), 'en-sentiment', 'sst2', 'train.tsv'));
}

function tsv(path: string, labelFirst: boolean): Labelled[] {
	const out: Labelled[] = [];
	const lines = readFileSync(path, 'utf8').split(/\r?\n/);
	for (const line of lines) {
		const tab = labelFirst ? line.indexOf('\t') : line.lastIndexOf('\t');
		if (tab < 0) continue;
		const [a, b] = [line.slice(0, tab), line.slice(tab + 1)];
		const label = Number((labelFirst ? a : b).trim());
		const text = (labelFirst ? b : a).trim();
		if ((label === 0 || label === 1) && text) out.push({ text, label });
	}
	return out;
}

function csv(path: string, textCol: string, labelCol: string): Labelled[] {
	const rows = parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
		columns: true,
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: true
	}) as Record<string, string>[];
	const out: Labelled[] = [];
	for (const r of rows) {
		const text = (r[textCol] ?? '').replace(/\uFEFF/g, '').trim();
		const label = Number(r[labelCol]);
		if (text && (label === 0 || label === 1)) out.push({ text, label });
	}
	return out;
}

const split = <T>(rows: T[], every: number) => ({
	train: rows.filter((_, i) => i % every !== 0),
	heldOut: rows.filter((_, i) => i % every === 0)
});

export function sst2() {
	const d = join(datasetsDir(), 'en-sentiment', 'sst2');
	return {
		train: tsv(join(d, 'train.tsv'), true),
		dev: tsv(join(d, 'dev.tsv'), true),
		test: tsv(join(d, 'test.tsv'), true)
	};
}

export function uci() {
	const d = join(datasetsDir(), 'en-sentiment', 'uci-labelled-sentences');
	const all = ['amazon_cells_labelled.txt', 'imdb_labelled.txt', 'yelp_labelled.txt'].flatMap((f) =>
		tsv(join(d, f), false)
	);
	return split(all, 5);
}

export const ZH_SETS = ['waimai_10k', 'online_shopping_10_cats', 'weibo_senti_100k_subset'] as const;

export function zhSentiment(name: (typeof ZH_SETS)[number]) {
	return split(csv(join(datasetsDir(), 'zh-sentiment', `${name}.csv`), 'review', 'label'), 10);
}

export function bitext() {
	const path = join(datasetsDir(), 'intents', 'Bitext_Sample_Customer_Support_Training_Dataset.csv');
	const rows = parse(readFileSync(path, 'utf8'), { columns: true, relax_quotes: true }) as Record<string, string>[];
	const all: (IntentExample & { source: string })[] = rows
		.filter((r) => r.instruction && r.intent)
		.map((r) => ({ text: r.instruction!.trim(), intent: r.intent!.trim(), source: r.intent!.trim() }));
	return split(all, 5);
}
