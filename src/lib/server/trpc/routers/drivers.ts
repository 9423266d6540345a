/**
 * Why this exists: the key-drivers area of the API — what moves CSAT, NPS and negative sentiment
 * among contacts (the journey map's panel), and churn among customers (the customer pages).
 */
import { ChurnDriversInputSchema, ContactDriversInputSchema } from '$schemas/drivers';
import { getChurnDrivers, getContactDrivers } from '../../queries/drivers/drivers';
import { cachedQuery, router } from '../init';

export const driversRouter = router({
	contacts: cachedQuery
		.input(ContactDriversInputSchema)
		.query(({ ctx, input }) => getContactDrivers(ctx.db.client, input)),
	churn: cachedQuery.input(ChurnDriversInputSchema).query(({ ctx }) => getChurnDrivers(ctx.db.client))
});
