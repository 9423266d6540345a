/**
 * Why this exists: customers write their own names into tickets and chats ("Hi, this is Jane
 * Doe"), and masking emails and phone numbers does not hide those. Texts are served with the names
 * of the customers behind them masked, and topic lists drop words that are part of any known
 * customer's name — for every role, as all personal data is masked by default (revealing is a
 * separate, audited step).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import namesSql from './names.sql?raw';
import wordsSql from './name-words.sql?raw';

export const NAMES_SQL = namesSql;
export const NAME_WORDS_SQL = wordsSql;

/** Each given customer's names (none for anonymous rows). */
export async function customerNames(client: ClickHouseClient, ids: readonly string[]): Promise<Map<string, string[]>> {
	const wanted = [...new Set(ids.filter(Boolean))];
	const out = new Map<string, string[]>();
	if (!wanted.length) return out;
	const rs = await client.query({ query: namesSql, query_params: { ids: wanted }, format: 'JSONEachRow' });
	for (const r of z.array(z.object({ customer_id: z.string(), name: z.string() })).parse(await rs.json()))
		out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r.name]);
	return out;
}

/** multiSearchAny takes at most 255 needles. */
const WORDS_PER_QUERY = 250;

/** The words of a term list that are part of some known customer's name (lower case). */
export async function nameWords(client: ClickHouseClient, terms: readonly string[]): Promise<Set<string>> {
	const words = [...new Set(terms.flatMap((t) => t.toLowerCase().split(/\s+/)).filter(Boolean))];
	const chunks = Array.from({ length: Math.ceil(words.length / WORDS_PER_QUERY) }, (_, i) =>
		words.slice(i * WORDS_PER_QUERY, (i + 1) * WORDS_PER_QUERY)
	);
	const found = await Promise.all(
		chunks.map(async (chunk) => {
			const rs = await client.query({ query: wordsSql, query_params: { words: chunk }, format: 'JSONEachRow' });
			return z
				.array(z.object({ word: z.string() }))
				.parse(await rs.json())
				.map((r) => r.word);
		})
	);
	return new Set(found.flat());
}
