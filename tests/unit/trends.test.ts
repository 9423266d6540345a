import { describe, expect, it } from 'vitest';
import { buildForecastSpec } from '../../src/lib/charts/forecast/spec';
import { toCsv } from '../../src/lib/export';
import { blackFriday, festivalHolidays } from '../../src/lib/server/queries/trends/festivals';
import { emptyRow, fillSeries, seriesSql, BUCKET, DIM } from '../../src/lib/server/queries/trends/series';
import { findAnomalies } from '../../src/lib/server/queries/trends/forecast';
import { futureBuckets } from '../../src/lib/server/queries/trends/model';
import { targetFor } from '../../src/lib/trends/kpi-format';
import { BREAKDOWNS, TrendSeriesInputSchema } from '../../schemas/trends';
import { INTERVALS } from '../../schemas/kpi';

const row = (bucket: string, group: string, volume: number, fcr: number | null) => ({
	...emptyRow(bucket, group),
	volume,
	fcr
});

describe('series SQL fragments', () => {
	it('has a bucket expression for every interval and a roll-up dim for every breakdown', () => {
		for (const i of INTERVALS) expect(seriesSql(i)).toContain(BUCKET[i]);
		for (const b of BREAKDOWNS) expect(DIM[b]).toMatch(/^[a-z]+$/);
		expect(seriesSql('week')).not.toContain('{bucket}');
	});

	it('validates input: known time zones only, bounded ranges', () => {
		expect(
			TrendSeriesInputSchema.safeParse({ from: '2025-01-01', to: '2025-02-01', tz: 'Asia/Shanghai' }).success
		).toBe(true);
		expect(TrendSeriesInputSchema.safeParse({ from: '2025-01-01', to: '2025-02-01', tz: "UTC'); DROP" }).success).toBe(
			false
		);
		expect(TrendSeriesInputSchema.safeParse({ from: '2025-02-01', to: '2025-01-01' }).success).toBe(false);
		expect(TrendSeriesInputSchema.safeParse({ from: '2000-01-01', to: '2025-01-01' }).success).toBe(false);
	});
});

describe('fillSeries', () => {
	it('gives every group every bucket, in order, with empty rows for gaps', () => {
		const out = fillSeries([row('2025-01-13', 'b', 3, 0.5)], ['a', 'b'], ['2025-01-06', '2025-01-13']);
		expect(out.map((r) => `${r.group}:${r.bucket}:${r.volume}`)).toEqual([
			'a:2025-01-06:0',
			'a:2025-01-13:0',
			'b:2025-01-06:0',
			'b:2025-01-13:3'
		]);
		expect(out[0]?.fcr).toBeNull();
	});
});

describe('festivals', () => {
	it('finds Black Friday as the day after the fourth Thursday of November', () => {
		expect(new Date(blackFriday(2025) * 1000).toISOString().slice(0, 10)).toBe('2025-11-28');
		expect(new Date(blackFriday(2024) * 1000).toISOString().slice(0, 10)).toBe('2024-11-29');
		expect(new Date(blackFriday(2026) * 1000).toISOString().slice(0, 10)).toBe('2026-11-27');
	});

	it('widens windows so a weekly point (Monday) touching a festival is marked', () => {
		const h = festivalHolidays([2025], 7).get('11.11')!;
		// 11.11 2025 window 9–14 Nov; the week of Monday 3 Nov touches 9 Nov (a Sunday).
		const monday3 = Date.UTC(2025, 10, 3) / 1000;
		expect(h.occurrences.some((o) => o.start <= monday3 && monday3 < o.end)).toBe(true);
		const daily = festivalHolidays([2025], 1).get('11.11')!;
		expect(daily.occurrences.some((o) => o.start <= monday3 && monday3 < o.end)).toBe(false);
	});
});

describe('futureBuckets', () => {
	it('continues weekly and daily buckets', () => {
		expect(futureBuckets('2025-12-29', 2, 7)).toEqual(['2026-01-05', '2026-01-12']);
		expect(futureBuckets('2025-02-28', 2, 1)).toEqual(['2025-03-01', '2025-03-02']);
	});
});

describe('findAnomalies', () => {
	it('flags points outside the 95% band with signed size in half-widths', () => {
		const a = findAnomalies('volume', {
			history: [
				{ bucket: '2025-01-06', value: 100, expected: 100, lo95: 80, hi95: 120 },
				{ bucket: '2025-01-13', value: 130, expected: 100, lo95: 80, hi95: 120 },
				{ bucket: '2025-01-20', value: 70, expected: 100, lo95: 80, hi95: 120 },
				{ bucket: '2025-01-27', value: null, expected: 100, lo95: 80, hi95: 120 }
			]
		});
		expect(a.map((x) => [x.bucket, x.direction, x.size])).toEqual([
			['2025-01-13', 'above', 0.5],
			['2025-01-20', 'below', -0.5]
		]);
	});
});

describe('buildForecastSpec', () => {
	const rows = [row('2025-01-06', '', 10, 0.5), row('2025-01-13', '', 0, null), row('2025-01-20', '', 12, 0.6)];
	const forecast = [{ bucket: '2025-01-27', mean: 0.55, lo80: 0.5, hi80: 0.6, lo95: 0.45, hi95: 0.65 }];

	it('splits lines at empty buckets and spans history and forecast', () => {
		const s = buildForecastSpec(rows, { kpi: 'fcr', width: 600, forecast, target: 0.75 });
		expect(s.runs.map((r) => r.points.length)).toEqual([1, 1]);
		expect(s.band).toHaveLength(1);
		expect(s.xDomain?.map((d) => d.toISOString().slice(0, 10))).toEqual(['2025-01-06', '2025-01-27']);
		// The domain includes the target and the bands.
		expect(s.yDomain[0]).toBeLessThan(0.45);
		expect(s.yDomain[1]).toBeGreaterThan(0.75);
	});

	it('keeps only this KPI’s anomalies', () => {
		const anomaly = {
			bucket: '2025-01-20',
			value: 12,
			expected: 5,
			lo95: 4,
			hi95: 6,
			size: 6,
			direction: 'above' as const
		};
		const s = buildForecastSpec(rows, {
			kpi: 'volume',
			width: 600,
			anomalies: [
				{ ...anomaly, kpi: 'volume' },
				{ ...anomaly, kpi: 'fcr' }
			]
		});
		expect(s.anomalies).toHaveLength(1);
		expect(s.yDomain[0]).toBe(0); // counts start at zero
	});
});

describe('export and targets', () => {
	it('writes RFC 4180 CSV', () => {
		expect(
			toCsv([
				['a', 'b,c'],
				[1, 'say "hi"'],
				[null, '服务']
			])
		).toBe('a,"b,c"\r\n1,"say ""hi"""\r\n,服务\r\n');
	});

	it('maps KPIs to stored targets', () => {
		const t = { fcr: 0.75, csat: 8.5, ahtSeconds: 720, firstResponseSeconds: 60 };
		expect(targetFor('aht', t)).toBe(720);
		expect(targetFor('satisfied', t)).toBe(0.95);
		expect(targetFor('volume', t)).toBeNull();
	});
});
