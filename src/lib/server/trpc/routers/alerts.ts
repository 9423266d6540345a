/**
 * Why this exists: the alerts API — admins manage rules and destinations, see deliveries and
 * failures, retry one, run the rules now or queue the digest; every signed-in user manages their
 * own subscription (which rules, the digest, which channel, quiet hours). Inputs are zod-checked
 * (a bad e-mail, an unknown rule kind, quiet hours out of range → 400 with the reason). Secrets
 * (SMTP password, webhook signing secret) live in the environment: answers say only whether each
 * is set, and a webhook URL (whose path is a Slack or Teams secret) is shown as its host.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
	DeliveryListInputSchema,
	DeliverySchema,
	DestinationSchema,
	RuleSchema,
	SubscriptionInputSchema,
	type Destination
} from '$schemas/alerts';
import { alertsConfig } from '../../alerts/config';
import { pass } from '../../alerts/job';
import { webhookHost } from '../../alerts/deliver';
import { deliverDue, evaluate, queueDigest } from '../../alerts/run';
import {
	listDeliveries,
	listDestinations,
	listRules,
	listSubscriptions,
	removeConfig,
	saveDestination,
	saveRule,
	saveSubscription,
	writeDeliveries
} from '../../alerts/store';
import { audit } from '../../queries/auth/audit';
import { auditedMutation, authorisedProcedure, router, type Context } from '../init';

const IdInput = z.object({ id: z.string().min(1).max(64) }).strict();

/** What a listing may show of a destination: a webhook's host, never its URL path. */
function shown(d: Destination) {
	return d.type === 'webhook'
		? {
				id: d.id,
				name: d.name,
				type: d.type,
				target: webhookHost(d.url),
				format: d.format,
				quietHours: d.quietHours,
				enabled: d.enabled
			}
		: {
				id: d.id,
				name: d.name,
				type: d.type,
				target: d.address,
				format: null,
				quietHours: d.quietHours,
				enabled: d.enabled
			};
}

function me(ctx: Context) {
	const user = ctx.auth?.user;
	if (!user) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Sign in to manage your subscription.' });
	return user;
}

/** Work after an admin action runs in the background job's queue: the answer waits on no rule or destination. */
function later(ctx: Context, fn?: () => Promise<unknown>) {
	void pass(async () => {
		if (fn) await fn();
		await deliverDue(ctx.db.client);
	});
}

export const alertsRouter = router({
	rules: authorisedProcedure.query(({ ctx }) => listRules(ctx.db.client)),
	destinations: authorisedProcedure.query(async ({ ctx }) => (await listDestinations(ctx.db.client)).map(shown)),
	deliveries: authorisedProcedure
		.input(DeliveryListInputSchema)
		.query(async ({ ctx, input }) =>
			(await listDeliveries(ctx.db.client, input)).map(({ payload: _p, ...d }) => DeliverySchema.parse(d))
		),
	/** Whether delivery is configured (never the values). */
	config: authorisedProcedure.query(() => {
		const c = alertsConfig();
		return {
			smtp: Boolean(c.TOUCHMAP_SMTP_URL),
			webhookSecret: Boolean(c.TOUCHMAP_ALERTS_WEBHOOK_SECRET),
			from: c.TOUCHMAP_ALERTS_FROM,
			everyMinutes: c.TOUCHMAP_ALERTS_MINUTES
		};
	}),
	saveRule: auditedMutation.input(RuleSchema).mutation(async ({ ctx, input }) => {
		const known = new Set((await listDestinations(ctx.db.client)).map((d) => d.id));
		const missing = input.destinationIds.filter((id) => !known.has(id));
		if (missing.length)
			throw new TRPCError({ code: 'BAD_REQUEST', message: `destinationIds: no destination ${missing.join(', ')}` });
		await saveRule(ctx.db.client, input);
		return input;
	}),
	removeRule: auditedMutation.input(IdInput).mutation(async ({ ctx, input }) => {
		await removeConfig(ctx.db.client, 'rule', input.id);
		return { id: input.id };
	}),
	// Audited by hand: the input's URL is a secret, so the entry names only its host.
	saveDestination: authorisedProcedure.input(DestinationSchema).mutation(async ({ ctx, input }) => {
		await saveDestination(ctx.db.client, input);
		const user = ctx.auth?.enforced ? ctx.auth.user : null;
		if (user)
			await audit(ctx.db.client, {
				user_id: user.user_id,
				email: user.email,
				role: user.role,
				action: 'change',
				target: 'alerts.saveDestination',
				detail: JSON.stringify(shown(input)),
				ip: ctx.auth?.ip ?? ''
			});
		return shown(input);
	}),
	removeDestination: auditedMutation.input(IdInput).mutation(async ({ ctx, input }) => {
		await removeConfig(ctx.db.client, 'destination', input.id);
		return { id: input.id };
	}),
	/** Runs the rules (deduplication and quiet hours apply) and sends what is due, in the background. */
	evaluate: auditedMutation
		.input(
			z
				.object({ ruleIds: z.array(z.string().min(1).max(64)).max(100).optional() })
				.strict()
				.optional()
		)
		.mutation(({ ctx, input }) => {
			later(ctx, () => evaluate(ctx.db.client, { ruleIds: input?.ruleIds }));
			return { started: true };
		}),
	sendDigest: auditedMutation.input(z.strictObject({}).optional()).mutation(({ ctx }) => {
		later(ctx, () => queueDigest(ctx.db.client));
		return { started: true };
	}),
	/** Sends a failed delivery again (its attempts start over). */
	retry: auditedMutation.input(IdInput).mutation(async ({ ctx, input }) => {
		const row = (await listDeliveries(ctx.db.client, { limit: 500 })).find((d) => d.id === input.id);
		if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no delivery ${input.id}` });
		if (row.status !== 'failed' && row.status !== 'retrying')
			throw new TRPCError({ code: 'BAD_REQUEST', message: `delivery ${input.id} is ${row.status}, not failed` });
		const now = Date.now();
		await writeDeliveries(
			ctx.db.client,
			[{ ...row, status: 'pending', attempts: 0, nextAttemptAt: new Date(now).toISOString() }],
			now
		);
		later(ctx);
		return { id: input.id };
	}),
	/** The signed-in user's subscription, and what they can choose from. */
	mySubscription: authorisedProcedure.query(async ({ ctx }) => {
		const user = me(ctx);
		const [subs, rules, destinations] = await Promise.all([
			listSubscriptions(ctx.db.client),
			listRules(ctx.db.client),
			listDestinations(ctx.db.client)
		]);
		const mine = subs.find((s) => s.userId === user.user_id);
		return {
			email: user.email,
			subscription: mine
				? { rules: mine.rules, digest: mine.digest, channel: mine.channel, quietHours: mine.quietHours }
				: { rules: [] as string[], digest: false, channel: 'email', quietHours: null },
			rules: rules.filter((r) => r.enabled).map((r) => ({ id: r.id, name: r.name, kind: r.kind })),
			channels: destinations.filter((d) => d.enabled && d.type === 'webhook').map((d) => ({ id: d.id, name: d.name }))
		};
	}),
	subscribe: auditedMutation.input(SubscriptionInputSchema).mutation(async ({ ctx, input }) => {
		const user = me(ctx);
		const [rules, destinations] = await Promise.all([listRules(ctx.db.client), listDestinations(ctx.db.client)]);
		if (input.rules !== 'all') {
			const known = new Set(rules.map((r) => r.id));
			const missing = input.rules.filter((id) => !known.has(id));
			if (missing.length) throw new TRPCError({ code: 'BAD_REQUEST', message: `rules: no rule ${missing.join(', ')}` });
		}
		if (input.channel !== 'email' && !destinations.some((d) => d.id === input.channel && d.type === 'webhook'))
			throw new TRPCError({ code: 'BAD_REQUEST', message: `channel: no webhook destination ${input.channel}` });
		await saveSubscription(ctx.db.client, { ...input, userId: user.user_id, email: user.email });
		return input;
	})
});
