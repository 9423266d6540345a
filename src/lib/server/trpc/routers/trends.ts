/**
 * Why this exists: the trends area of the API — KPI series, forecasts with backtest scores, and
 * anomaly flags. The time zone defaults to the stored display setting.
 */
import {
	AnomaliesInputSchema,
	AnomalySchema,
	ForecastInputSchema,
	ForecastSchema,
	TrendSeriesInputSchema
} from '$schemas/trends';
import { z } from 'zod';
import { readDisplay } from '../../queries/settings/read';
import { getAnomalies, getForecast } from '../../queries/trends/forecast';
import { getTrendRange, getTrendSeries } from '../../queries/trends/series';
import { warmForecasts } from '../../queries/trends/warm';
import { cachedQuery, router } from '../init';

export const trendsRouter = router({
	// No .output() here: getTrendSeries already checks every row with zod; a second pass over a
	// two-year daily breakdown would only cost time.
	series: cachedQuery
		.input(TrendSeriesInputSchema)
		.query(async ({ ctx, input }) =>
			getTrendSeries(ctx.db.client, input, input.tz ?? (await readDisplay(ctx.db.client)).timeZone)
		),
	range: cachedQuery.query(async ({ ctx }) => {
		const { min, max } = await getTrendRange(ctx.db.client, (await readDisplay(ctx.db.client)).timeZone);
		return { min, max };
	}),
	forecast: cachedQuery
		.input(ForecastInputSchema)
		.output(ForecastSchema)
		.query(async ({ ctx, input }) => {
			// New data (or time zone) since the last warm: the page's forecasts for it are fitted ahead.
			void warmForecasts(ctx.db.client);
			return getForecast(ctx.db.client, input, input.tz ?? (await readDisplay(ctx.db.client)).timeZone);
		}),
	anomalies: cachedQuery
		.input(AnomaliesInputSchema)
		.output(z.array(AnomalySchema))
		.query(async ({ ctx, input }) =>
			getAnomalies(ctx.db.client, input, input.tz ?? (await readDisplay(ctx.db.client)).timeZone)
		)
});
