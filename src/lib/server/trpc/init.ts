/**
 * Why this exists: tRPC is initialised once here. Context carries the database; the error
 * formatter turns zod failures into one readable message (400) and never sends a stack trace.
 */
import { initTRPC } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Db } from '../db/client';

export interface Context {
	db: Db;
}

const t = initTRPC.context<Context>().create({
	// Plain JSON (no transformer) so the API can be called with curl.
	isDev: false,
	errorFormatter({ shape, error }) {
		const zod = error.cause instanceof ZodError ? error.cause : undefined;
		return {
			...shape,
			message: zod ? readable(zod) : shape.data.code === 'INTERNAL_SERVER_ERROR' ? 'Internal error' : shape.message,
			data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path }
		};
	}
});

/** "from: Invalid ISO date; channels.0: Invalid option: expected one of …" */
export function readable(err: ZodError): string {
	return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
export { z };
