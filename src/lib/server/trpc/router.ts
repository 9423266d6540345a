/**
 * Why this exists: the API's root router. One sub-router per dashboard area; `AppRouter` is the
 * type the browser client is generated from.
 */
import { createCallerFactory, router } from './init';
import { actionsRouter } from './routers/actions';
import { alertsRouter } from './routers/alerts';
import { authRouter } from './routers/auth';
import { customersRouter } from './routers/customers';
import { driversRouter } from './routers/drivers';
import { journeyRouter, painPointsRouter } from './routers/journey';
import { kpiRouter } from './routers/kpi';
import { privacyRouter } from './routers/privacy';
import { settingsRouter } from './routers/settings';
import { reasonsRouter } from './routers/reasons';
import { roiRouter } from './routers/roi';
import { sourcesRouter } from './routers/sources';
import { textRouter } from './routers/text';
import { trendsRouter } from './routers/trends';

export const appRouter = router({
	alerts: alertsRouter,
	auth: authRouter,
	customers: customersRouter,
	drivers: driversRouter,
	kpi: kpiRouter,
	privacy: privacyRouter,
	journey: journeyRouter,
	painPoints: painPointsRouter,
	reasons: reasonsRouter,
	roi: roiRouter,
	settings: settingsRouter,
	text: textRouter,
	sources: sourcesRouter,
	trends: trendsRouter,
	actions: actionsRouter
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP (tests, server-side jobs). */
export const createCaller = createCallerFactory(appRouter);
