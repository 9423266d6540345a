/**
 * Why this exists: Salesforce REST query API (GET /services/data/vXX.X/query?q=SOQL). An answer
 * holds `records`, `done` and, while more remain, `nextRecordsUrl`. Runs are incremental on
 * SystemModstamp: the query asks for rows modified since the newest one already stored (>=: a tie
 * is re-read and deduplicated, never missed). One source per object (Account, Contact, Case,
 * Opportunity), each with its own mapping.
 */
import { z } from 'zod';
import { apiConnector, followPages, getRecords, resolveUrl } from './types';

const Options = z.strictObject({
	instanceUrl: z.url(),
	apiVersion: z
		.string()
		.regex(/^v\d+\.\d$/)
		.default('v59.0'),
	object: z.enum(['Account', 'Contact', 'Case', 'Opportunity', 'Lead', 'Task']),
	fields: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/)).min(1)
});

interface Answer {
	records: Record<string, unknown>[];
	done: boolean;
	nextRecordsUrl?: string;
}
interface Cursor {
	since: string;
	next: string;
	newest: string;
}

export function soql(object: string, fields: string[], since: string): string {
	const cols = [...new Set(['Id', 'SystemModstamp', ...fields])].join(', ');
	return `SELECT ${cols} FROM ${object} WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp ASC`;
}

export const salesforce = apiConnector('salesforce', Options, (c: Partial<Cursor>, { options, http }) => {
	const since = c.since ?? '1970-01-01T00:00:00Z';
	let newest = c.newest ?? since;
	const first = `services/data/${options.apiVersion}/query?q=${encodeURIComponent(soql(options.object, options.fields, since))}`;
	return followPages(c.next, async (at) => {
		const url = resolveUrl(options.instanceUrl, at || first);
		const page = await getRecords<Answer>(url, http, 'records');
		for (const r of page.records) {
			const m = typeof r.SystemModstamp === 'string' ? r.SystemModstamp.replace(/\.\d+\+0000$/, 'Z') : '';
			if (m && Date.parse(m) > Date.parse(newest))
				newest = new Date(Date.parse(m)).toISOString().replace(/\.\d+Z$/, 'Z');
		}
		const next = page.done ? undefined : page.nextRecordsUrl;
		const cur: Partial<Cursor> = next ? { since, next, newest } : { since: newest };
		return { url, records: page.records, next, cursor: cur };
	});
});
