/**
 * Why this exists: the inputs and outputs of the KPI endpoints, shared by the tRPC router (input
 * validation), the query modules (row checks) and the pages (types).
 */
import { z } from 'zod';
import { ChannelSchema } from './entities';
import { dateRange, day, num } from './fields';
import { kpiShape, type KpiColumns } from './metrics';

export const KpiFilterSchema = dateRange(
	z.object({
		from: day(),
		to: day(),
		channels: z.array(ChannelSchema).max(20).optional(),
		segment: z.string().trim().max(64).optional()
	}),
	20
).meta({ description: 'Date range and optional channel / segment filter.' });
export type KpiFilter = z.infer<typeof KpiFilterSchema>;

export const INTERVALS = ['day', 'week', 'month'] as const;
export const IntervalSchema = z.enum(INTERVALS);
export type Interval = z.infer<typeof IntervalSchema>;

export const KpiTrendInputSchema = KpiFilterSchema.and(z.object({ interval: IntervalSchema.default('week') }));
export type KpiTrendInput = z.infer<typeof KpiTrendInputSchema>;

/** The overview's KPI columns (kpi.summary; kpi.trend per bucket, without first response) and the KPI each holds. */
export const OVERVIEW_KPIS = {
	interactions: 'volume',
	csat: 'csat',
	fcr: 'fcr',
	avgHandleSeconds: 'aht',
	avgFirstResponseSeconds: 'firstResponse',
	complaints: 'complaints',
	sentiment: 'sentiment'
} as const satisfies KpiColumns;
const { avgFirstResponseSeconds: _firstResponse, ...trendKpis } = OVERVIEW_KPIS;
export const KPI_TREND_KPIS = trendKpis;

// Distinct customers follow the contacts, as the answers have always listed them.
const { interactions, ...overview } = kpiShape(OVERVIEW_KPIS);
export const KpiSummarySchema = z.object({ interactions, customers: num, ...overview });
export type KpiSummary = z.infer<typeof KpiSummarySchema>;

const { interactions: _interactions, ...trend } = kpiShape(KPI_TREND_KPIS);
export const KpiTrendRowSchema = z.object({ bucket: z.iso.date(), interactions, customers: num, ...trend });
export type KpiTrendRow = z.infer<typeof KpiTrendRowSchema>;

export const ChannelMixRowSchema = z.object({ channel: z.string(), interactions: num, share: num });
export type ChannelMixRow = z.infer<typeof ChannelMixRowSchema>;

export const TargetsSchema = z
	.object({
		fcr: z.number().min(0).max(1).default(0.75),
		csat: z.number().min(0).max(10).default(8.5),
		ahtSeconds: z.number().min(1).max(36_000).default(720),
		firstResponseSeconds: z.number().min(1).max(86_400).default(60)
	})
	.meta({ description: 'Service KPI targets (settings, not constants).' });
export type Targets = z.infer<typeof TargetsSchema>;
