/**
 * Why this exists: the API's root router. One sub-router per dashboard area; `AppRouter` is the
 * type the browser client is generated from.
 */
import { createCallerFactory, router } from './init';
import { journeyRouter, painPointsRouter } from './routers/journey';
import { kpiRouter } from './routers/kpi';
import { settingsRouter } from './routers/settings';

export const appRouter = router({
	kpi: kpiRouter,
	settings: settingsRouter,
	journey: journeyRouter,
	painPoints: painPointsRouter
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP (tests, server-side jobs). */
export const createCaller = createCallerFactory(appRouter);
