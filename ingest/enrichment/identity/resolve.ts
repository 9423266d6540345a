/**
 * Why this exists: identity resolution. Customers loaded from a CRM register their identifiers
 * (email, phone, social handles kept in attributes) in `identity_links`; interactions arriving
 * without a customer id (calls from a number, social posts by a handle) are matched to a customer
 * through those links. Every decision — matched, merged, or left as an anonymous profile — is
 * written to `identity_merges` with the identifier and rule that made it, so it can be explained.
 */
import type { Customer, Interaction } from '../../../schemas/entities';
import type { Db } from '../../../db/client';
import type { Enricher } from '../types';
import { normEmail, normHandle, normPhone, SOCIAL } from './normalize';

/** Attribute names that carry handles, by network. */
const HANDLE_KEYS: Record<string, string[]> = {
	x: ['x', 'twitter', 'x_handle', 'twitter_handle'],
	reddit: ['reddit', 'reddit_user'],
	weibo: ['weibo', 'weibo_handle']
};

export function customerIdentifiers(
	c: Pick<Customer, 'email' | 'phone' | 'attributes'>
): { id: string; rule: string }[] {
	const out: { id: string; rule: string }[] = [];
	const e = normEmail(c.email);
	if (e) out.push({ id: e, rule: 'email' });
	const p = normPhone(c.phone);
	if (p) out.push({ id: p, rule: 'phone' });
	for (const [net, keys] of Object.entries(HANDLE_KEYS))
		for (const k of keys) {
			const h = normHandle(net, c.attributes?.[k]);
			if (h) out.push({ id: h, rule: 'handle' });
		}
	return out;
}

/** The identifiers an interaction carries in its attributes (email, phone, handle). */
export function interactionIdentifiers(r: Pick<Interaction, 'channel' | 'attributes'>): { id: string; rule: string }[] {
	const a = r.attributes ?? {};
	const out: { id: string; rule: string }[] = [];
	const e = normEmail(a.email);
	if (e) out.push({ id: e, rule: 'email' });
	const p = normPhone(a.phone);
	if (p) out.push({ id: p, rule: 'phone' });
	const h = normHandle(r.channel, a.handle);
	if (h) out.push({ id: h, rule: 'handle' });
	return out;
}

export async function lookupIdentifiers(db: Db, ids: string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	const unique = [...new Set(ids)];
	// In chunks: with a ClickHouse server, query parameters travel in the URL (1 MiB limit).
	for (let i = 0; i < unique.length; i += 5000) {
		const rs = await db.client.query({
			query: `SELECT identifier, argMax(customer_id, updated_at) AS customer_id FROM identity_links
				WHERE identifier IN {ids:Array(String)} GROUP BY identifier`,
			query_params: { ids: unique.slice(i, i + 5000) },
			format: 'JSONEachRow'
		});
		for (const r of await rs.json<{ identifier: string; customer_id: string }>()) out.set(r.identifier, r.customer_id);
	}
	return out;
}

/**
 * Registers loaded customers' identifiers. An identifier already linked to another customer is a
 * match across sources: the first customer stays canonical and the merge is recorded.
 */
export async function linkCustomers(db: Db, customers: Customer[]): Promise<void> {
	const all = customers.map((c) => ({ c, ids: customerIdentifiers(c) }));
	const known = await lookupIdentifiers(
		db,
		all.flatMap((x) => x.ids.map((i) => i.id))
	);
	const links: { identifier: string; customer_id: string; source: string; rule: string }[] = [];
	const merges: { source: string; source_id: string; customer_id: string; matched_on: string; rule: string }[] = [];
	for (const { c, ids } of all) {
		let canonical: string | undefined;
		let on: { id: string; rule: string } | undefined;
		for (const i of ids) {
			const other = known.get(i.id);
			if (other && other !== c.customer_id) {
				canonical = other;
				on = i;
				break;
			}
		}
		if (canonical && on) {
			merges.push({
				source: c.source,
				source_id: c.customer_id,
				customer_id: canonical,
				matched_on: on.id,
				rule: on.rule
			});
			links.push({ identifier: `customer:${c.customer_id}`, customer_id: canonical, source: c.source, rule: on.rule });
		}
		const owner = canonical ?? c.customer_id;
		for (const i of ids)
			if (!known.has(i.id)) {
				known.set(i.id, owner);
				links.push({ identifier: i.id, customer_id: owner, source: c.source, rule: i.rule });
			}
	}
	if (links.length) await db.client.insert({ table: 'identity_links', values: links, format: 'JSONEachRow' });
	if (merges.length) await db.client.insert({ table: 'identity_merges', values: merges, format: 'JSONEachRow' });
}

/**
 * Fills `customer_id` of interactions that came without one, from their email / phone / handle.
 * Social authors with no known handle stay anonymous, under a stable profile id in attributes.
 */
export const identityEnricher: Enricher = {
	name: 'identity',
	async enrich(records, { db }) {
		const todo = records
			.filter((r) => r.customer_id === '')
			.map((r) => ({ r, ids: interactionIdentifiers(r) }))
			.filter((x) => x.ids.length);
		if (!todo.length) return;
		const known = await lookupIdentifiers(
			db,
			todo.flatMap((x) => x.ids.map((i) => i.id))
		);
		const merges: { source: string; source_id: string; customer_id: string; matched_on: string; rule: string }[] = [];
		for (const { r, ids } of todo) {
			const hit = ids.find((i) => known.has(i.id));
			if (hit) {
				r.customer_id = known.get(hit.id)!;
				merges.push({
					source: r.source,
					source_id: r.source_id,
					customer_id: r.customer_id,
					matched_on: hit.id,
					rule: hit.rule
				});
			} else if (SOCIAL.has(r.channel)) {
				const handle = ids.find((i) => i.rule === 'handle');
				if (handle) {
					r.attributes = { ...r.attributes, profile: `anon:${handle.id}` };
					merges.push({
						source: r.source,
						source_id: r.source_id,
						customer_id: '',
						matched_on: handle.id,
						rule: 'anonymous'
					});
				}
			}
		}
		if (merges.length) await db.client.insert({ table: 'identity_merges', values: merges, format: 'JSONEachRow' });
	}
};

export interface IdentityExplanation {
	source: string;
	source_id: string;
	customer_id: string;
	matched_on: string;
	rule: string;
	at: string;
}

/** Why a record (or a CRM customer) belongs to the customer it does. */
export async function explain(db: Db, source: string, sourceId: string): Promise<IdentityExplanation[]> {
	const rs = await db.client.query({
		query: `SELECT source, source_id, customer_id, matched_on, rule, toString(at) AS at FROM identity_merges
			WHERE source = {source:String} AND source_id = {id:String} ORDER BY at DESC LIMIT 10`,
		query_params: { source, id: sourceId },
		format: 'JSONEachRow'
	});
	return rs.json<IdentityExplanation>();
}
