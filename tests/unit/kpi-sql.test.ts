import { describe, expect, it } from 'vitest';
import { BUCKET, bucketStarts, fillBuckets, trendSql } from '../../src/lib/server/queries/kpi/trend';
import { KpiFilterSchema } from '../../schemas/kpi';
import { readEnv } from '../../db/env';
import { splitStatements } from '../../db/migrate';

describe('trend buckets', () => {
	it.each([
		['day', '2025-03-30', '2025-04-02', ['2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02']],
		['week', '2025-03-30', '2025-04-14', ['2025-03-24', '2025-03-31', '2025-04-07', '2025-04-14']],
		['month', '2024-12-15', '2025-02-01', ['2024-12-01', '2025-01-01', '2025-02-01']]
	] as const)('%s buckets from %s to %s', (interval, from, to, want) => {
		expect(bucketStarts(from, to, interval)).toEqual(want);
	});

	it('fills missing buckets with zero volume and null rates', () => {
		const row = {
			bucket: '2025-01-06',
			interactions: 5,
			customers: 2,
			csat: 8,
			fcr: 0.5,
			avgHandleSeconds: 300,
			complaints: 1,
			sentiment: 0.1
		};
		const filled = fillBuckets([row], ['2024-12-30', '2025-01-06']);
		expect(filled).toEqual([
			{
				bucket: '2024-12-30',
				interactions: 0,
				customers: 0,
				csat: null,
				fcr: null,
				avgHandleSeconds: null,
				complaints: 0,
				sentiment: null
			},
			row
		]);
	});

	it.each([
		['2025-01-01', '2025-03-31', '2025-01-01', '2025-04-01'],
		['2025-01-15', '2025-03-31', '2025-02-01', '2025-04-01'],
		['2025-01-15', '2025-03-30', '2025-02-01', '2025-03-01'],
		['2025-01-15', '2025-02-10', '2025-02-01', '2025-02-01'],
		['2024-12-01', '2024-12-31', '2024-12-01', '2025-01-01']
	])('whole months of %s..%s are [%s, %s)', async (from, to, full_from, full_to) => {
		const { wholeMonths } = await import('../../src/lib/server/queries/kpi/filter');
		expect(wholeMonths(from, to)).toEqual({ full_from, full_to });
	});

	it('builds SQL only from the fixed bucket map and bound parameters', () => {
		expect(trendSql('week')).toContain(BUCKET.week);
		expect(trendSql('week')).toContain('{from:Date}');
		expect(trendSql('week')).not.toMatch(/\{(bucket|source)\}/);
		expect(trendSql('month')).toContain('kpi_monthly');
	});
});

describe('KpiFilterSchema', () => {
	it.each([
		[{ from: '2025-01-01', to: '2025-01-31' }, true],
		[{ from: '2025-02-01', to: '2025-01-31' }, false],
		[{ from: '2025-01-01', to: '2025-01-31', channels: ['phone', 'weibo'] }, true],
		[{ from: '2025-01-01', to: '2025-01-31', channels: ["phone' OR 1=1"] }, false],
		[{ from: '1990-01-01', to: '2025-01-31' }, false]
	])('%j valid: %s', (input, ok) => {
		expect(KpiFilterSchema.safeParse(input).success).toBe(ok);
	});
});

describe('environment', () => {
	it('applies defaults', () => {
		expect(readEnv({})).toMatchObject({
			TOUCHMAP_DATA_DIR: './data',
			TOUCHMAP_DEMO: true,
			CLICKHOUSE_DATABASE: 'touchmap'
		});
	});
	it('names the variable in a bad value', () => {
		expect(() => readEnv({ CLICKHOUSE_URL: 'not a url' })).toThrow(/CLICKHOUSE_URL/);
		expect(() => readEnv({ TOUCHMAP_DEMO: 'maybe' })).toThrow(/TOUCHMAP_DEMO/);
		expect(() => readEnv({ CLICKHOUSE_DATABASE: 'x; DROP' })).toThrow(/CLICKHOUSE_DATABASE/);
	});
});

describe('migration splitting', () => {
	it('splits on ; at line ends and drops comments', () => {
		expect(splitStatements("-- a; comment\nCREATE TABLE a (x String DEFAULT ';');\n\nSELECT 1;")).toEqual([
			"CREATE TABLE a (x String DEFAULT ';')",
			'SELECT 1'
		]);
	});
});
