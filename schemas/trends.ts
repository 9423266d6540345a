/**
 * Why this exists: inputs and outputs of the trends area (KPI series, forecasts, anomalies), shared
 * by the tRPC router (input validation), the query modules (row checks) and the /trends page (types).
 * KPI ids, breakdowns and intervals are enums, so SQL fragments can be picked from fixed maps.
 */
import { z } from 'zod';
import { dateRange, day as dayField, num, numOrNull } from './fields';
import { IntervalSchema } from './kpi';
import { emptyKpis, KPIS, kpiShape, named, type Unit } from './metrics';

export const TREND_KPIS = [
	'volume',
	'csat',
	'satisfied',
	'fcr',
	'aht',
	'firstResponse',
	'wait',
	'abandonment',
	'complaints',
	'sentiment',
	'nps'
] as const;
export const TrendKpiSchema = z.enum(TREND_KPIS).meta({ description: 'A KPI with a time series.' });
export type TrendKpi = z.infer<typeof TrendKpiSchema>;

/** Whether more is better, and how a value is shown (from the KPI definitions). */
export const KPI_META = Object.fromEntries(
	TREND_KPIS.map((k) => [k, { higher: KPIS[k].higher, unit: KPIS[k].unit }])
) as Record<TrendKpi, { higher: boolean; unit: Unit }>;

export const BREAKDOWNS = ['none', 'channel', 'team', 'segment', 'stage'] as const;
export const BreakdownSchema = z.enum(BREAKDOWNS);
export type Breakdown = z.infer<typeof BreakdownSchema>;

const day = dayField('Calendar date YYYY-MM-DD in the chosen time zone (inclusive).');

/** IANA zone names the runtime knows (Intl), plus UTC. */
const ZONES = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC']);
export const TimeZoneSchema = z
	.string()
	.max(64)
	.refine((z) => ZONES.has(z), { message: 'unknown time zone' })
	.meta({ description: 'IANA time zone, e.g. Asia/Shanghai.' });

export const TrendSeriesInputSchema = dateRange(
	z.object({
		from: day,
		to: day,
		interval: IntervalSchema.default('week'),
		breakdown: BreakdownSchema.default('none'),
		/** Only this value of the breakdown (e.g. channel "phone"); empty for all values. */
		value: z.string().trim().max(64).default(''),
		tz: TimeZoneSchema.optional()
	}),
	10
);
export type TrendSeriesInput = z.input<typeof TrendSeriesInputSchema>;

/** One bucket of a series: every trend KPI (totals are numbers, ratios null when nothing was measured). */
export const TrendRowSchema = z.object({
	bucket: z.iso.date(),
	group: z.string().meta({ description: 'Breakdown value; "" for the overall series.' }),
	...kpiShape(named(TREND_KPIS))
});
export type TrendRow = z.infer<typeof TrendRowSchema>;

/** A bucket without contacts. */
export const emptyTrendRow = (bucket: string, group: string): TrendRow => ({
	bucket,
	group,
	...emptyKpis(named(TREND_KPIS))
});

export const TrendSeriesSchema = z.object({
	tz: z.string(),
	interval: IntervalSchema,
	breakdown: BreakdownSchema,
	groups: z.array(z.string()),
	rows: z.array(TrendRowSchema)
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

/** Forecast horizons the trends page offers, in weeks (its weekly forecasts for them are fitted ahead). */
export const FORECAST_HORIZONS = [4, 8, 12, 13, 18, 26] as const;

export const ForecastInputSchema = z.object({
	kpi: TrendKpiSchema,
	/** Forecast horizon in weeks. */
	horizon: z.number().int().min(4).max(26).default(12),
	interval: z.enum(['day', 'week']).default('week'),
	/** Last day of history to use (defaults to the last day with data). */
	to: day.optional(),
	tz: TimeZoneSchema.optional()
});
export type ForecastInput = z.input<typeof ForecastInputSchema>;

export const ForecastPointSchema = z.object({
	bucket: z.iso.date(),
	mean: num,
	lo80: num,
	hi80: num,
	lo95: num,
	hi95: num
});
export type ForecastPoint = z.infer<typeof ForecastPointSchema>;

export const HistoryPointSchema = z.object({
	bucket: z.iso.date(),
	value: numOrNull,
	/** In-sample expected value and 95% band (for anomaly flags). */
	expected: numOrNull,
	lo95: numOrNull,
	hi95: numOrNull
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

export const BacktestSchema = z.object({
	folds: num,
	mase: numOrNull.meta({ description: 'Mean absolute scaled error against seasonal-naive (< 1 beats it).' }),
	coverage80: numOrNull,
	coverage95: numOrNull,
	relMae: numOrNull.optional().meta({ description: 'MAE over the MAE of seasonal-naive on the same held-out points.' }),
	model: z.string()
});
export type Backtest = z.infer<typeof BacktestSchema>;

/** Whether the forecast can be trusted: only one a backtest could check is drawn. */
export const FORECAST_STATUS = ['ok', 'notEnoughHistory', 'noData'] as const;
export const ForecastStatusSchema = z.enum(FORECAST_STATUS);
export type ForecastStatus = z.infer<typeof ForecastStatusSchema>;

export const ForecastSchema = z.object({
	kpi: TrendKpiSchema,
	interval: z.enum(['day', 'week']),
	model: z.string(),
	status: ForecastStatusSchema.meta({
		description:
			'ok: forecast drawn and backtested; notEnoughHistory: too little history for a backtest, so no forecast is drawn; noData: nothing measured.'
	}),
	/** Why the simple model answered instead of Prophet, null when Prophet did. */
	fallback: z.enum(['short', 'constant', 'library']).nullable(),
	/** Seasonal terms fitted (each needs two full periods of history). */
	seasonality: z.object({ yearly: z.boolean(), weekly: z.boolean() }),
	/** Buckets of history with a value. */
	points: num,
	history: z.array(HistoryPointSchema),
	forecast: z.array(ForecastPointSchema),
	backtest: BacktestSchema
});
export type Forecast = z.infer<typeof ForecastSchema>;

export const AnomalySchema = z.object({
	bucket: z.iso.date(),
	kpi: TrendKpiSchema,
	value: num,
	expected: num,
	lo95: num,
	hi95: num,
	/** Signed distance outside the band, in band half-widths (e.g. +0.8 = 80% of the half-width above). */
	size: num,
	direction: z.enum(['above', 'below'])
});
export type Anomaly = z.infer<typeof AnomalySchema>;

export const AnomaliesInputSchema = z.object({
	kpis: z.array(TrendKpiSchema).max(TREND_KPIS.length).optional(),
	interval: z.enum(['day', 'week']).default('week'),
	to: day.optional(),
	tz: TimeZoneSchema.optional()
});
export type AnomaliesInput = z.input<typeof AnomaliesInputSchema>;
