import { describe, expect, it } from 'vitest';
import { buildTrendSpec } from '../../src/lib/charts/trend/spec';
import { buildChannelMixSpec } from '../../src/lib/charts/channel-mix/spec';
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
		expect(buildTrendSpec([], { width: 10 }).width).toBe(280);
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
		expect(spec.height).toBe(30 + 3 * 28);
	});
});
