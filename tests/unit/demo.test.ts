import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../ingest/demo/generate';
import { DEMO_SOURCES } from '../../ingest/demo/manifest';
import { loadMapping } from '../../ingest/pipeline';
import { mapRecord } from '../../ingest/mapping';
import { readFile } from '../../ingest/readers';

const dirs: string[] = [];
const out = () => {
	const d = mkdtempSync(join(tmpdir(), 'touchmap-demo-'));
	dirs.push(d);
	return d;
};
const digest = (dir: string) =>
	DEMO_SOURCES.map((s) =>
		createHash('sha256')
			.update(readFileSync(join(dir, s.file)))
			.digest('hex')
	).join(',');

let a: string;
let truth: {
	interactions: number;
	painPoints: { stage: string; touchpoint: string; severity: string }[];
	highValue: { count: number; ids: string[] };
	churners: { quiet: { count: number }; repeatedComplaints: { count: number } };
	files: Record<string, number>;
};
beforeAll(async () => {
	a = out();
	await generateDemo({ customers: 300, seed: 7, outDir: a });
	truth = JSON.parse(readFileSync(join(a, 'ground-truth.json'), 'utf8'));
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('demo generator', () => {
	it('is deterministic: same seed, same bytes; another seed, other bytes', async () => {
		const b = out();
		const c = out();
		await generateDemo({ customers: 300, seed: 7, outDir: b });
		await generateDemo({ customers: 300, seed: 8, outDir: c });
		expect(digest(b)).toBe(digest(a));
		expect(digest(c)).not.toBe(digest(a));
	});

	it('writes about 50 interactions per customer, scaling with --customers', async () => {
		expect(truth.interactions / 300).toBeGreaterThan(35);
		expect(truth.interactions / 300).toBeLessThan(70);
		const big = out();
		const r = await generateDemo({ customers: 900, seed: 7, outDir: big });
		expect(r.interactions / truth.interactions).toBeGreaterThan(2.5);
		expect(r.interactions / truth.interactions).toBeLessThan(3.5);
	});

	it('plants at least five pain points of known severity, red, yellow and blue', () => {
		expect(truth.painPoints.length).toBeGreaterThanOrEqual(5);
		expect(new Set(truth.painPoints.map((p) => p.severity))).toEqual(new Set(['red', 'yellow', 'blue']));
		expect(truth.painPoints.map((p) => p.touchpoint)).toEqual(
			expect.arrayContaining(['delivery status', 'refund request', 'billing inquiry', 'app login', 'product question'])
		);
	});

	it('has a high-value group and churners of both kinds', () => {
		expect(truth.highValue.count).toBeGreaterThan(5);
		expect(truth.churners.quiet.count).toBeGreaterThan(5);
		expect(truth.churners.repeatedComplaints.count).toBeGreaterThan(3);
	});

	it('maps every record with the demo mappings, and most customers use 3+ channels', async () => {
		const channels = new Map<string, Set<string>>();
		let chinese = 0;
		for (const s of DEMO_SOURCES) {
			const mapping = loadMapping(s.mapping);
			let n = 0;
			for await (const item of readFile(join(a, s.file), mapping.format, mapping.delimiter)) {
				expect('record' in item).toBe(true);
				if (!('record' in item)) continue;
				const r = mapRecord(mapping, item.record);
				if (!r.ok) throw new Error(`${s.file}:${item.line}: ${r.reason}`);
				n++;
				const v = r.value as { customer_id?: string; channel?: string; language?: string; text?: string };
				if (v.channel && v.customer_id) {
					if (!channels.has(v.customer_id)) channels.set(v.customer_id, new Set());
					channels.get(v.customer_id)!.add(v.channel);
				}
				if (v.language === 'zh' && /[\u4e00-\u9fff]/.test(v.text ?? '')) chinese++;
			}
			expect(n).toBe(truth.files[s.file]);
		}
		const multi = [...channels.values()].filter((s) => s.size >= 3).length;
		expect(multi / channels.size).toBeGreaterThan(0.6);
		expect(chinese).toBeGreaterThan(1000);
	});

	it('puts high-value customers at ≥ 5 interactions a month recently', async () => {
		const hv = new Set(truth.highValue.ids);
		const recent = new Map<string, number>();
		for await (const item of readFile(join(a, 'callcenter/calls.csv'), 'csv')) {
			if (
				'record' in item &&
				hv.has(String(item.record.account_number)) &&
				String(item.record.start_time) >= '2026-08-01'
			) {
				recent.set(String(item.record.account_number), (recent.get(String(item.record.account_number)) ?? 0) + 1);
			}
		}
		// Calls are ~40% of contacts: 3 months × 5 a month × 0.4 = 6 calls at the least on average.
		const mean = [...recent.values()].reduce((x, y) => x + y, 0) / hv.size;
		expect(mean).toBeGreaterThan(6);
	});

	it('lists exactly the files of the manifest', () => {
		expect(readdirSync(a).sort()).toEqual(['callcenter', 'crm', 'ground-truth.json', 'social']);
	});
});
