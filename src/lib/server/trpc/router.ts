/**
 * Why this exists: the API's root router. One sub-router per dashboard area; `AppRouter` is the
 * type the browser client is generated from.
 */
import { createCallerFactory, router } from './init';
import { kpiRouter } from './routers/kpi';
import { settingsRouter } from './routers/settings';
import { sourcesRouter } from './routers/sources';

export const appRouter = router({
	kpi: kpiRouter,
	settings: settingsRouter,
	sources: sourcesRouter
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP (tests, server-side jobs). */
export const createCaller = createCallerFactory(appRouter);
