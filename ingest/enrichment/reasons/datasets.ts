/**
 * Why this exists: the labelled public sets (../shared/datasets) that reason discovery is measured
 * on, and the unlabelled texts the speed bench is built from, read one way for the evaluation, the
 * bench and the tests. A missing file gives null, so callers can skip with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { datasetsDir } from '../text/datasets';

export interface LabelledTexts {
	name: string;
	file: string;
	texts: string[];
	labels: string[];
}

function csvRows(path: string): Record<string, string>[] {
	return parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
		columns: true,
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: true
	}) as Record<string, string>[];
}

function labelledCsv(name: string, file: string, textCol: string, labelCol: string): LabelledTexts | null {
	const path = join(datasetsDir(), file);
	if (!existsSync(path)) return null;
	const rows = csvRows(path).filter((r) => (r[textCol] ?? '').trim() && (r[labelCol] ?? '').trim());
	return { name, file, texts: rows.map((r) => r[textCol]!), labels: rows.map((r) => r[labelCol]!.trim()) };
}

export function cfpbSample(): LabelledTexts | null {
	return labelledCsv(
		'CFPB 2015-2020',
		'complaints-en/cfpb_sample_2015_2020.csv',
		'Consumer complaint narrative',
		'Issue'
	);
}

export function cfpbPersonalLoans(): LabelledTexts | null {
	return labelledCsv(
		'CFPB loans 2023',
		'complaints-en/cfpb_personal_loans_2023.csv',
		'Consumer complaint narrative',
		'Issue'
	);
}

export function bitextIntents(): LabelledTexts | null {
	return labelledCsv('Bitext', 'intents/Bitext_Sample_Customer_Support_Training_Dataset.csv', 'instruction', 'intent');
}

/** UnionPay 95516 FAQ: `entry { … }` blocks; text = question, label = subject. */
export function unionPay(): LabelledTexts | null {
	const file = 'intents-zh/unionpay_95516_faq.txt';
	const path = join(datasetsDir(), file);
	if (!existsSync(path)) return null;
	const texts: string[] = [];
	const labels: string[] = [];
	for (const m of readFileSync(path, 'utf8').matchAll(/entry \{([\s\S]*?)\n\}/g)) {
		const q = /^\s*question\s*:(.*)$/m
			.exec(m[1]!)?.[1]
			?.replace(/\uFEFF/g, '')
			.trim();
		const s = /^\s*subject\s*:(.*)$/m.exec(m[1]!)?.[1]?.trim();
		if (q && s) {
			texts.push(q);
			labels.push(s);
		}
	}
	return { name: 'UnionPay', file, texts, labels };
}

export function labelledSets(): { name: string; file: string; set: LabelledTexts | null }[] {
	return [
		{ name: 'CFPB 2015-2020', file: 'complaints-en/cfpb_sample_2015_2020.csv', set: cfpbSample() },
		{ name: 'CFPB loans 2023', file: 'complaints-en/cfpb_personal_loans_2023.csv', set: cfpbPersonalLoans() },
		{ name: 'UnionPay', file: 'intents-zh/unionpay_95516_faq.txt', set: unionPay() },
		{ name: 'Bitext', file: 'intents/Bitext_Sample_Customer_Support_Training_Dataset.csv', set: bitextIntents() }
	];
}

/** Customer-side tweets of "Customer Support on Twitter" (inbound only). */
export function twcsCustomerTweets(): string[] {
	const path = join(datasetsDir(), 'social', 'twcs_first5000.csv');
	if (!existsSync(path)) return [];
	return csvRows(path)
		.filter((r) => r.inbound === 'True' && r.text)
		.map((r) => r.text!);
}

/** TweetEval tweets (validation and test). */
export function tweetEvalTexts(): string[] {
	const dir = join(datasetsDir(), 'en-sentiment', 'tweeteval');
	return ['val_text.txt', 'test_text.txt']
		.map((f) => join(dir, f))
		.filter((p) => existsSync(p))
		.flatMap((p) => readFileSync(p, 'utf8').split(/\r?\n/))
		.filter((t) => t.trim());
}
