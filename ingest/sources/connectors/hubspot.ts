/**
 * Why this exists: HubSpot CRM v3 objects (GET /crm/v3/objects/{object}). Results are
 * `{ id, properties, createdAt, updatedAt }`, paged with `paging.next.after`. The list endpoint
 * has no "modified since" filter, so each run walks the whole object list from the start; the
 * loader stores only rows that changed (customers) or are new (tickets, calls).
 */
import { z } from 'zod';
import { apiConnector, followPages, getRecords, resolveUrl } from './types';

const Options = z.strictObject({
	baseUrl: z.url().default('https://api.hubapi.com'),
	object: z.enum(['contacts', 'companies', 'deals', 'tickets', 'calls', 'emails', 'notes']),
	properties: z.array(z.string().regex(/^[a-z0-9_]+$/)).default([]),
	limit: z.number().int().min(1).max(100).default(100)
});

interface Answer {
	results: Record<string, unknown>[];
	paging?: { next?: { after: string } };
}

export const hubspot = apiConnector('hubspot', Options, (c: Partial<{ after: string }>, { options, http }) =>
	followPages(c.after, async (after) => {
		const params = new URLSearchParams({ limit: String(options.limit), archived: 'false' });
		if (options.properties.length) params.set('properties', options.properties.join(','));
		if (after) params.set('after', after);
		const url = resolveUrl(options.baseUrl, `crm/v3/objects/${options.object}?${params}`);
		const page = await getRecords<Answer>(url, http, 'results');
		const next = page.paging?.next?.after;
		return { url, records: page.results, next, cursor: next ? { after: next } : {} };
	})
);
