/**
 * Why this exists: the KPI area of the API (overview tiles, trend, channel mix, data range).
 */
import { KpiFilterSchema, KpiTrendInputSchema } from '$schemas/kpi';
import { getChannelMix } from '../../queries/kpi/channel-mix';
import { getDataRange } from '../../queries/kpi/range';
import { getKpiSummary } from '../../queries/kpi/summary';
import { getKpiTrend } from '../../queries/kpi/trend';
import { cachedQuery, router } from '../init';

export const kpiRouter = router({
	summary: cachedQuery.input(KpiFilterSchema).query(({ ctx, input }) => getKpiSummary(ctx.db.client, input)),
	trend: cachedQuery.input(KpiTrendInputSchema).query(({ ctx, input }) => getKpiTrend(ctx.db.client, input)),
	channelMix: cachedQuery.input(KpiFilterSchema).query(({ ctx, input }) => getChannelMix(ctx.db.client, input)),
	range: cachedQuery.query(({ ctx }) => getDataRange(ctx.db.client))
});
