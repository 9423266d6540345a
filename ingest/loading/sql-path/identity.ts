/**
 * Why this exists: identity resolution for the SQL path. Only each distinct (channel, email, phone,
 * handle) of the stage's records without a customer goes through the JS resolver; its answers go to
 * a lookup table the inserts join, and the merges it made are logged as the JS path logs them.
 */
import type { Interaction } from '../../../schemas/entities';
import { SOCIAL } from '../../enrichment/identity/normalize';
import { interactionIdentifiers, lookupIdentifiers } from '../../enrichment/identity/resolve';
import { rowsOf, type SqlPathRun } from './context';

/** Identity key of a stage row (only rows without a customer id are resolved). */
export const ID_KEY = "cityHash64(s.channel, s.attributes['email'], s.attributes['phone'], s.attributes['handle'])";

/** Fills the run's identity lookup; returns how many keys it answered (0: the inserts skip the join). */
export async function resolveIdentities(run: SqlPathRun): Promise<number> {
	const { db } = run;
	const { stage, idk } = run.tables;
	await db.client.command({
		query: `CREATE TABLE ${idk} (k UInt64, customer_id String, profile String, matched_on String, rule String) ENGINE = Memory`
	});
	const ids = await rowsOf<{ k: string; channel: string; email: string; phone: string; handle: string }>(
		db,
		`SELECT toString(${ID_KEY}) AS k, any(s.channel) AS channel, any(s.attributes['email']) AS email,
			any(s.attributes['phone']) AS phone, any(s.attributes['handle']) AS handle
		FROM ${stage} AS s WHERE s.reason = '' AND s.customer_id = ''
			AND (s.attributes['email'] != '' OR s.attributes['phone'] != '' OR s.attributes['handle'] != '')
		GROUP BY k`
	);
	let identified = 0;
	if (ids.length) {
		const todo = ids.map((x) => ({
			x,
			ids: interactionIdentifiers({
				channel: x.channel as Interaction['channel'],
				attributes: Object.fromEntries(
					(['email', 'phone', 'handle'] as const).filter((f) => x[f] !== '').map((f) => [f, x[f]])
				)
			})
		}));
		const known = await lookupIdentifiers(
			db,
			todo.flatMap((t) => t.ids.map((i) => i.id))
		);
		const out: { k: string; customer_id: string; profile: string; matched_on: string; rule: string }[] = [];
		for (const { x, ids: list } of todo) {
			const hit = list.find((i) => known.has(i.id));
			if (hit) out.push({ k: x.k, customer_id: known.get(hit.id)!, profile: '', matched_on: hit.id, rule: hit.rule });
			else if (SOCIAL.has(x.channel)) {
				const handle = list.find((i) => i.rule === 'handle');
				if (handle)
					out.push({ k: x.k, customer_id: '', profile: `anon:${handle.id}`, matched_on: handle.id, rule: 'anonymous' });
			}
		}
		identified = out.length;
		if (out.length) await db.client.insert({ table: idk, values: out, format: 'JSONEachRow' });
		await db.client.command({
			query: `INSERT INTO identity_merges (source, source_id, customer_id, matched_on, rule)
				SELECT s.source, s.source_id, i.customer_id, i.matched_on, i.rule
				FROM ${stage} AS s INNER JOIN ${idk} AS i ON ${ID_KEY} = i.k
				WHERE s.reason = '' AND s.customer_id = ''`
		});
	}
	run.timer.step('identity');
	return identified;
}
