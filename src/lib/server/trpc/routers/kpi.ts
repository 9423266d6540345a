/**
 * Why this exists: the KPI area of the API (overview tiles, trend, channel mix, data range).
 */
import { KpiFilterSchema, KpiTrendInputSchema } from '$schemas/kpi';
import { getChannelMix } from '../../queries/kpi/channel-mix';
import { getDataRange } from '../../queries/kpi/range';
import { getKpiSummary } from '../../queries/kpi/summary';
import { getKpiTrend } from '../../queries/kpi/trend';
import { publicProcedure, router } from '../init';

export const kpiRouter = router({
	summary: publicProcedure.input(KpiFilterSchema).query(({ ctx, input }) => getKpiSummary(ctx.db.client, input)),
	trend: publicProcedure.input(KpiTrendInputSchema).query(({ ctx, input }) => getKpiTrend(ctx.db.client, input)),
	channelMix: publicProcedure.input(KpiFilterSchema).query(({ ctx, input }) => getChannelMix(ctx.db.client, input)),
	range: publicProcedure.query(({ ctx }) => getDataRange(ctx.db.client))
});
