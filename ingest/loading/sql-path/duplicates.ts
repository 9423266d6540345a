/**
 * Why this exists: the SQL path stores a record once, as the loader does — the first line of an id
 * repeated within the file, and nothing whose key is stored already. Each filter costs only when
 * there is something to filter: a file whose ids are all distinct skips the first-of-each-id filter
 * (a GROUP BY over every id), and a file whose key range holds no stored key skips the stored-key
 * filter (the range is one primary-key look-up on interaction_keys). A filter that is needed is
 * computed once into a Set table every month-range insert reads.
 */
import { count, rowsOf, type SqlPathRun } from './context';

export interface DuplicateFilters {
	/** Distinct ids among the valid rows (fewer than valid: the first-line filter exists). */
	distinct: number;
	/** Some key of the file's range is stored (the stored-key filter exists). */
	storedInRange: boolean;
	/** Stored keys of the file before the run. */
	before: number;
}

export async function duplicateFilters(run: SqlPathRun, valid: number): Promise<DuplicateFilters> {
	const { db } = run;
	const { stage, first: firstLines, stored: storedKeys } = run.tables;
	const keyFilter = `SELECT concat(source, ':', source_id) FROM ${stage} WHERE reason = ''`;
	// Distinct hashes of the ids first: as many as valid rows means every id is distinct (a hash
	// collision can only lower the count), and costs far less than counting the ids themselves;
	// the ids are counted only when the hashes repeat. Every row's source is the mapping's name, so
	// the key range is that name and the ids' range.
	const range = (
		await rowsOf<{ hashes: string; source: string; first: string; last: string }>(
			db,
			`SELECT uniqExact(cityHash64(source_id)) AS hashes, any(source) AS source, min(source_id) AS first,
				max(source_id) AS last FROM ${stage} WHERE reason = ''`
		)
	)[0]!;
	const [first, last] = [`${range.source}:${range.first}`, `${range.source}:${range.last}`];
	const distinct =
		Number(range.hashes) === valid
			? valid
			: await count(db, `SELECT uniqExact(source_id) AS n FROM ${stage} WHERE reason = ''`);
	if (distinct < valid)
		await db.client.command({
			query: `CREATE TABLE ${firstLines} ENGINE = Set AS SELECT min(ln) FROM ${stage} WHERE reason = '' GROUP BY source_id`
		});
	const storedInRange =
		distinct > 0 &&
		(await count(
			db,
			`SELECT count() AS n FROM interaction_keys WHERE interaction_id BETWEEN {first:String} AND {last:String}`,
			{ first, last }
		)) > 0;
	if (storedInRange)
		await db.client.command({
			query: `CREATE TABLE ${storedKeys} ENGINE = Set AS
				SELECT DISTINCT interaction_id FROM interaction_keys WHERE interaction_id IN (${keyFilter})`
		});
	const before = storedInRange
		? await count(
				db,
				`SELECT uniqExact(interaction_id) AS n FROM interaction_keys WHERE interaction_id IN ${storedKeys}`
			)
		: 0;
	run.timer.step('duplicate filters');
	return { distinct, storedInRange, before };
}
