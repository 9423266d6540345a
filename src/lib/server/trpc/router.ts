/**
 * Why this exists: the API's root router. One sub-router per dashboard area; `AppRouter` is the
 * type the browser client is generated from.
 */
import { createCallerFactory, router } from './init';
import { customersRouter } from './routers/customers';
import { kpiRouter } from './routers/kpi';
import { settingsRouter } from './routers/settings';

export const appRouter = router({
	customers: customersRouter,
	kpi: kpiRouter,
	settings: settingsRouter
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP (tests, server-side jobs). */
export const createCaller = createCallerFactory(appRouter);
