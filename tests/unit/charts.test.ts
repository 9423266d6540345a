import { describe, expect, it } from 'vitest';
import { buildTrendSpec, labelTicks } from '../../src/lib/charts/trend/spec';
import { labelTimeTicks, timeTickFormat } from '../../src/lib/charts/time-axis';
import { buildChannelMixSpec, MIX_BAND, MIX_MARGIN } from '../../src/lib/charts/channel-mix/spec';
import { fmtDuration, fmtMinutes } from '../../src/lib/format';
import type { KpiTrendRow } from '../../schemas/kpi';

const row = (bucket: string, interactions: number, csat: number | null): KpiTrendRow => ({
	bucket,
	interactions,
	customers: 1,
	csat,
	fcr: null,
	avgHandleSeconds: null,
	complaints: 0,
	sentiment: null
});

describe('buildTrendSpec', () => {
	const rows = [
		row('2025-01-06', 10, 7),
		row('2025-01-13', 0, null),
		row('2025-01-20', 30, 8),
		row('2025-01-27', 25, 6)
	];
	const spec = buildTrendSpec(rows, { width: 500.4, csatTarget: 8.5 });

	it('keeps one bar per bucket, at the bucket start in UTC', () => {
		expect(spec.volume.map((p) => [p.date.toISOString().slice(0, 10), p.value])).toEqual([
			['2025-01-06', 10],
			['2025-01-13', 0],
			['2025-01-20', 30],
			['2025-01-27', 25]
		]);
		expect(spec.volumeMax).toBe(30);
		expect(spec.width).toBe(500);
	});

	it('breaks the CSAT line at weeks without surveys instead of bridging them', () => {
		expect(spec.csatRuns.map((run) => run.map((p) => p.value))).toEqual([[7], [8, 6]]);
		expect(spec.csatTarget).toBe(8.5);
	});

	it('never goes narrower than a readable minimum', () => {
		const empty = buildTrendSpec([], { width: 10 });
		expect(empty.width).toBe(280);
		expect(empty.ticks).toEqual([]);
		expect(empty.domain).toBeNull();
	});

	it('spans the x axis from the first bucket start to the end of the last bucket', () => {
		expect(spec.domain?.map((d) => d.toISOString().slice(0, 10))).toEqual(['2025-01-06', '2025-02-03']);
	});

	it('puts a tick on every bucket when there is room, thins them when there is not', () => {
		expect(spec.ticks.map((t) => t.label)).toEqual(['Jan 6', '13', '20', '27']);
		const year = Array.from({ length: 52 }, (_, i) =>
			row(new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10), i, null)
		);
		const narrow = buildTrendSpec(year, { width: 500, locale: 'en' });
		// 424px inside the margins / 72px per label -> every 9th week.
		expect(narrow.ticks.map((t) => t.date.toISOString().slice(0, 10)).slice(0, 3)).toEqual([
			'2025-01-06',
			'2025-03-10',
			'2025-05-12'
		]);
		expect(narrow.ticks.map((t) => t.label).slice(0, 3)).toEqual(['Jan 6', 'Mar 10', 'May 12']);
	});
});

describe('labelTicks', () => {
	const d = (s: string) => new Date(`${s}T00:00:00Z`);
	const weeks = ['2026-08-24', '2026-08-31', '2026-09-07', '2026-09-14'].map(d);

	it("names the month on the first tick and when it changes, in the reader's language", () => {
		expect(labelTicks(weeks, 'en')).toEqual(['Aug 24', '31', 'Sep 7', '14']);
		expect(labelTicks(weeks, 'zh-CN')).toEqual(['8月24日', '31日', '9月7日', '14日']);
	});

	it('adds the year when the ticks cross one', () => {
		const across = ['2025-12-22', '2025-12-29', '2026-01-05'].map(d);
		expect(labelTicks(across, 'en')).toEqual(['Dec 22, 2025', '29', 'Jan 5, 2026']);
		expect(labelTicks(across, 'zh-CN')).toEqual(['2025年12月22日', '29日', '2026年1月5日']);
	});
});

describe("time axes in the reader's language", () => {
	const d = (s: string) => new Date(`${s}T00:00:00Z`);

	it('labels month ticks in Chinese with the year where it changes', () => {
		const months = ['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01'].map(d);
		expect(labelTimeTicks(months, 'zh-CN')).toEqual(['2025年11月', '12月', '2026年1月', '2月']);
		expect(labelTimeTicks(months, 'en')).toEqual(['Nov 2025', 'Dec', 'Jan 2026', 'Feb']);
	});

	it('labels year ticks as years and day ticks as days', () => {
		expect(labelTimeTicks([d('2025-01-01'), d('2026-01-01')], 'zh-CN')).toEqual(['2025年', '2026年']);
		expect(labelTimeTicks([d('2026-03-05'), d('2026-03-12')], 'zh-CN')).toEqual(['3月5日', '12日']);
	});

	it('gives Plot a tickFormat that sees all the ticks', () => {
		const ticks = ['2026-01-01', '2026-04-01', '2026-07-01'].map(d);
		const f = timeTickFormat('zh-CN');
		expect(ticks.map((t, i) => f(t, i, ticks))).toEqual(['2026年1月', '4月', '7月']);
	});
});

describe('duration labels on the KPI tiles', () => {
	it('reads handle time in minutes and response time in the unit that fits', () => {
		expect(fmtMinutes(720, 'en', 0)).toBe('12 min');
		expect(fmtMinutes(540, 'zh-CN')).toBe('9.0分钟');
		expect(fmtDuration(60, 'en')).toBe('60 sec');
		expect(fmtDuration(600, 'en')).toBe('10.0 min');
		expect(fmtDuration(10_636, 'en')).toBe('3.0 hr');
		expect(fmtDuration(10_636, 'zh-CN')).toBe('3.0小时');
	});
});

describe('buildChannelMixSpec', () => {
	it('sorts by volume, labels channels and finds the largest share', () => {
		const spec = buildChannelMixSpec(
			[
				{ channel: 'email', interactions: 20, share: 0.2 },
				{ channel: 'phone', interactions: 50, share: 0.5 },
				{ channel: 'weibo', interactions: 30, share: 0.3 }
			],
			{ label: (c) => c.toUpperCase(), width: 400 }
		);
		expect(spec.bars.map((b) => b.label)).toEqual(['PHONE', 'WEIBO', 'EMAIL']);
		expect(spec.maxShare).toBe(0.5);
		expect(spec.height).toBe(MIX_MARGIN.top + MIX_MARGIN.bottom + 3 * MIX_BAND);
		expect(spec.bars[0]).toEqual({ channel: 'phone', label: 'PHONE', interactions: 50, share: 0.5 });
	});
});
