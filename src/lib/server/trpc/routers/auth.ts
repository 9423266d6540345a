/**
 * Why this exists: signing in and out over the API, who am I, and the admin's user management and
 * audit log. Access per procedure is decided in $lib/auth/access (admin-only: users, audit, changes).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ROLES } from '$lib/auth/access';
import { MIN_PASSWORD_LENGTH } from '../../auth/password';
import { signIn } from '../../auth/sign-in';
import { AUDIT_ACTIONS, listAudit } from '../../queries/auth/audit';
import { revokeSession, revokeUserSessions } from '../../queries/auth/sessions';
import { findUserByEmail, listUsers, saveUser, toPublic } from '../../queries/auth/users';
import { auditedMutation, authorisedProcedure, publicProcedure, router } from '../init';

const Email = z.email().max(254);
const Password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200);

export const authRouter = router({
	me: publicProcedure.query(({ ctx }) => ({
		user: ctx.auth?.user ? { email: ctx.auth.user.email, name: ctx.auth.user.name, role: ctx.auth.user.role } : null,
		enforced: ctx.auth?.enforced ?? false
	})),

	signIn: publicProcedure
		.input(z.object({ email: Email, password: z.string().min(1).max(200) }).strict())
		.mutation(async ({ ctx, input }) => {
			const result = await signIn(ctx.db.client, input, ctx.auth?.ip ?? '');
			if (!result.ok) {
				throw new TRPCError(
					result.reason === 'throttled'
						? { code: 'TOO_MANY_REQUESTS', message: `Too many failed sign-ins; try again in ${result.retryAfter} s.` }
						: { code: 'UNAUTHORIZED', message: 'Wrong email or password.' }
				);
			}
			ctx.auth?.setSession?.(result.token, result.expires);
			return { email: result.user.email, name: result.user.name, role: result.user.role };
		}),

	// Not in the audit log from here: the /logout route records sign-outs.
	signOut: authorisedProcedure.mutation(async ({ ctx }) => {
		const user = ctx.auth?.user;
		if (user && ctx.auth?.token) await revokeSession(ctx.db.client, ctx.auth.token, user.user_id);
		ctx.auth?.setSession?.(null);
		return { ok: true };
	}),

	users: authorisedProcedure.query(async ({ ctx }) => (await listUsers(ctx.db.client)).map(toPublic)),

	createUser: auditedMutation
		.input(
			z
				.object({ email: Email, name: z.string().trim().min(1).max(120), role: z.enum(ROLES), password: Password })
				.strict()
		)
		.mutation(async ({ ctx, input }) => {
			if (await findUserByEmail(ctx.db.client, input.email))
				throw new TRPCError({ code: 'CONFLICT', message: `A user with the email ${input.email} exists.` });
			return toPublic(await saveUser(ctx.db.client, { ...input, disabled: false }));
		}),

	updateUser: auditedMutation
		.input(
			z
				.object({
					email: Email,
					name: z.string().trim().min(1).max(120).optional(),
					role: z.enum(ROLES).optional(),
					disabled: z.boolean().optional(),
					password: Password.optional()
				})
				.strict()
		)
		.mutation(async ({ ctx, input }) => {
			const user = await findUserByEmail(ctx.db.client, input.email);
			if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `No user with the email ${input.email}.` });
			if (user.user_id === ctx.auth?.user?.user_id && (input.disabled || (input.role && input.role !== 'admin')))
				throw new TRPCError({
					code: 'BAD_REQUEST',
					message: 'You cannot disable yourself or drop your own admin role.'
				});
			const saved = await saveUser(ctx.db.client, {
				...user,
				name: input.name ?? user.name,
				role: input.role ?? user.role,
				disabled: input.disabled ?? user.disabled,
				...(input.password ? { password: input.password } : {})
			});
			// A changed role, password or disabled account takes effect now, not at session expiry.
			if (input.role || input.password || input.disabled !== undefined)
				await revokeUserSessions(ctx.db.client, user.user_id);
			return toPublic(saved);
		}),

	audit: authorisedProcedure
		.input(
			z
				.object({
					action: z.enum(AUDIT_ACTIONS).optional(),
					limit: z.number().int().min(1).max(500).default(100),
					offset: z.number().int().min(0).max(1_000_000).default(0)
				})
				.strict()
				.default({ limit: 100, offset: 0 })
		)
		.query(({ ctx, input }) => listAudit(ctx.db.client, input))
});
