/**
 * Why this exists: every journey query resolves reason-touchpoints through the reason dictionary
 * (names, stages, merges, hidden flags as last edited). It is small and read by every journey
 * query, so it is kept per (data version, dictionary version) for a second at a time, like the
 * data version itself.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { perSecond } from '../../kept';
import { canonicalId, readDictionary, reasonBinding, type DictionaryEntry, type ReasonBinding } from '$ingest';

const dictionaries = perSecond((client) => readDictionary({ client }));

/** The current dictionary (newest version of every id). */
export function reasonDictionary(request: ClickHouseClient): Promise<DictionaryEntry[]> {
	return dictionaries.get(request);
}

/** After an edit: the next read sees it. */
export function forgetReasonDictionary(client: ClickHouseClient): void {
	dictionaries.forget(client);
}

/** Stored ids that answer for the chosen reasons (each reason and the ids merged into it). */
export function reasonFilterIds(dictionary: DictionaryEntry[], chosen: readonly string[] | undefined): string[] {
	if (!chosen?.length) return [];
	const byId = new Map(dictionary.map((d) => [d.id, d]));
	const want = new Set(chosen.map((id) => canonicalId(byId, id)));
	const ids = dictionary.filter((d) => want.has(canonicalId(byId, d.id))).map((d) => d.id);
	// An id unknown to the dictionary still filters (to nothing), rather than being dropped.
	return ids.length ? ids : [...chosen];
}

/** What a journey query binds for reasons: the resolution arrays and the filter's ids. */
export async function reasonParams(
	client: ClickHouseClient,
	chosen?: readonly string[]
): Promise<ReasonBinding & { reasons: string[] }> {
	const dictionary = await reasonDictionary(client);
	return { ...reasonBinding(dictionary), reasons: reasonFilterIds(dictionary, chosen) };
}
