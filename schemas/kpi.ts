/**
 * Why this exists: the inputs and outputs of the KPI endpoints, shared by the tRPC router (input
 * validation), the query modules (row checks) and the pages (types).
 */
import { z } from 'zod';
import { ChannelSchema } from './entities';
import { dateRange, day, num, numOrNull } from './fields';

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

export const KpiSummarySchema = z.object({
	interactions: num,
	customers: num,
	csat: numOrNull.meta({ description: 'Mean CSAT normalised to 0–10.' }),
	fcr: numOrNull.meta({ description: 'First-contact resolution rate 0–1.' }),
	avgHandleSeconds: numOrNull,
	avgFirstResponseSeconds: numOrNull,
	complaints: num,
	sentiment: numOrNull.meta({ description: 'Mean sentiment −1..1.' })
});
export type KpiSummary = z.infer<typeof KpiSummarySchema>;

export const KpiTrendRowSchema = z.object({
	bucket: z.iso.date(),
	interactions: num,
	customers: num,
	csat: numOrNull,
	fcr: numOrNull,
	avgHandleSeconds: numOrNull,
	complaints: num,
	sentiment: numOrNull
});
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
