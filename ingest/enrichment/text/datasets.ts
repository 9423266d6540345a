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
import seedrandom from 'seedrandom';

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

/** TweetEval's classes, in its label order (0 negative, 1 neutral, 2 positive). */
export const THREE_CLASSES = ['negative', 'neutral', 'positive'] as const;

/** Share of TweetEval test held out: never trained on, never used to choose anything. */
export const TWEETEVAL_HELD_OUT = 0.4;

function lines(path: string): string[] {
	return readFileSync(path, 'utf8').split(/\r?\n/);
}

/**
 * TweetEval sentiment (SemEval-2017 4A), three classes. Its test set (12,284 tweets) is split by a
 * seeded shuffle: 40% held out for reporting only; the other 60% and the 2,000-tweet validation set
 * are for training. Model choices are made on `select` — a fixed quarter of the 60% — and the
 * final models are then trained on all of `train` (`select` included).
 */
export function tweeteval() {
	const d = join(datasetsDir(), 'en-sentiment', 'tweeteval');
	const read = (part: string) => {
		const texts = lines(join(d, `${part}_text.txt`));
		const labels = lines(join(d, `${part}_labels.txt`));
		const out: Labelled[] = [];
		texts.forEach((t, i) => {
			const label = Number(labels[i]);
			if (t.trim() && labels[i]?.trim() && label >= 0 && label <= 2) out.push({ text: t.trim(), label });
		});
		return out;
	};
	const val = read('val');
	const test = read('test');
	const order = Array.from(test.keys());
	const random = seedrandom('touchmap/tweeteval-split');
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j]!, order[i]!];
	}
	const cut = Math.round(order.length * TWEETEVAL_HELD_OUT);
	const heldOut = order
		.slice(0, cut)
		.sort((a, b) => a - b)
		.map((i) => test[i]!);
	const rest = order
		.slice(cut)
		.sort((a, b) => a - b)
		.map((i) => test[i]!);
	const select = rest.filter((_, i) => i % 4 === 0);
	const fit = [...val, ...rest.filter((_, i) => i % 4 !== 0)];
	return { train: [...val, ...rest], fit, select, heldOut };
}

/**
 * Customer-service questions to a Chinese bank (UnionPay 95516 FAQ, intents-zh): plain requests
 * with no opinion, the neutral class of the Chinese three-class model. Every 10th is held out.
 */
export function unionpayQuestions() {
	const path = join(datasetsDir(), 'intents-zh', 'unionpay_95516_faq.txt');
	const out: string[] = [];
	const seen = new Set<string>();
	for (const m of readFileSync(path, 'utf8').matchAll(/question\s*[:：]\s*"?([^"\n]+)"?/g)) {
		const q = m[1]!.replace(/\uFEFF/g, '').trim();
		if (q && !seen.has(q)) {
			seen.add(q);
			out.push(q);
		}
	}
	return split(out, 10);
}

export const CFPB_FILES = ['cfpb_sample_2015_2020', 'cfpb_personal_loans_2023'] as const;

/**
 * CFPB consumer complaints (complaints-en): the narratives, and the distinct `Issue` and
 * `Sub-issue` titles ("Incorrect information on your report", "Fee problem"). Every text is a
 * complaint. No sentiment labels; used to check complaints are not read as praise.
 */
export function cfpb(name: (typeof CFPB_FILES)[number]) {
	const rows = parse(readFileSync(join(datasetsDir(), 'complaints-en', `${name}.csv`), 'utf8'), {
		columns: true,
		relax_quotes: true,
		relax_column_count: true
	}) as Record<string, string>[];
	const narratives: string[] = [];
	const titles = new Set<string>();
	for (const r of rows) {
		const n = (r['Consumer complaint narrative'] ?? '').trim();
		if (n) narratives.push(n);
		for (const k of ['Issue', 'Sub-issue']) {
			const t = (r[k] ?? '').trim();
			if (t && t !== 'None') titles.add(t);
		}
	}
	return { narratives, titles: [...titles] };
}

/** MARC reviews (multilingual/amazon-review-*_test.csv: index, text, stars; no header). */
export function marc(lang: 'es' | 'fr' | 'de'): { text: string; stars: number }[] {
	const rows = parse(readFileSync(join(datasetsDir(), 'multilingual', `amazon-review-${lang}_test.csv`), 'utf8'), {
		relax_quotes: true,
		relax_column_count: true
	}) as string[][];
	return rows.filter((r) => r[1]?.trim()).map((r) => ({ text: r[1]!.trim(), stars: Number(r[2]) }));
}

/** Olist review comments (Brazilian Portuguese), non-empty ones. */
export function olistComments(): string[] {
	const rows = parse(readFileSync(join(datasetsDir(), 'crm-ecommerce', 'olist_order_reviews_dataset.csv'), 'utf8'), {
		columns: true,
		relax_quotes: true
	}) as Record<string, string>[];
	return rows.map((r) => (r.review_comment_message ?? '').trim()).filter(Boolean);
}

/** Customers' own tweets from "Customer Support on Twitter" (inbound only; several languages). */
export function twcsInbound(): string[] {
	const rows = parse(readFileSync(join(datasetsDir(), 'social', 'twcs_first5000.csv'), 'utf8'), {
		columns: true,
		relax_quotes: true
	}) as Record<string, string>[];
	return rows.filter((r) => r.inbound === 'True' && r.text?.trim()).map((r) => r.text!.trim());
}
