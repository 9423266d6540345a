/**
 * Why this exists: admin-only privacy controls over the API — the audited reveal of one customer's
 * personal data, and per-source retention (stored as a setting, enforced by a ClickHouse TTL).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../../queries/auth/audit';
import { applyRetention, customerPii, RetentionSchema, retentionSources } from '../../queries/privacy/privacy';
import { readSetting, writeSetting } from '../../queries/settings/settings';
import { maskEmail, maskName, maskPhone } from '$lib/privacy/mask';
import { auditedMutation, authorisedProcedure, router } from '../init';

const CustomerId = z.string().min(1).max(128);

export const privacyRouter = router({
	/** What we hold about one customer, masked (the starting point of a reveal or a data request). */
	customer: authorisedProcedure.input(z.object({ customerId: CustomerId }).strict()).query(async ({ ctx, input }) => {
		const pii = await customerPii(ctx.db.client, input.customerId);
		if (!pii) throw new TRPCError({ code: 'NOT_FOUND', message: `No customer ${input.customerId}.` });
		return {
			customer_id: pii.customer_id,
			name: maskName(pii.name),
			email: maskEmail(pii.email),
			phone: maskPhone(pii.phone)
		};
	}),

	/** Audited below with its own entry (action pii_reveal and the reason given). */
	revealCustomer: authorisedProcedure
		.input(
			z
				.object({
					customerId: CustomerId,
					reason: z.string().trim().min(8, 'say why, in at least 8 characters').max(500)
				})
				.strict()
		)
		.mutation(async ({ ctx, input }) => {
			const pii = await customerPii(ctx.db.client, input.customerId);
			if (!pii) throw new TRPCError({ code: 'NOT_FOUND', message: `No customer ${input.customerId}.` });
			const user = ctx.auth?.user;
			await audit(ctx.db.client, {
				user_id: user?.user_id ?? 'system',
				email: user?.email ?? '',
				role: user?.role ?? '',
				action: 'pii_reveal',
				target: input.customerId,
				detail: input.reason,
				ip: ctx.auth?.ip ?? ''
			});
			return pii;
		}),

	retention: authorisedProcedure.query(async ({ ctx }) => ({
		retention: await readSetting(ctx.db.client, 'retention', RetentionSchema),
		sources: await retentionSources(ctx.db.client)
	})),

	updateRetention: auditedMutation
		.input(z.object({ retention: RetentionSchema }).strict())
		.mutation(async ({ ctx, input }) => {
			await applyRetention(ctx.db, input.retention);
			await writeSetting(ctx.db.client, 'retention', input.retention);
			return input.retention;
		})
});
