/**
 * Why this exists: a few parts of a query cannot be bound as values — a table or sub-query chosen
 * from an allow-list, an interval function, an ON CLUSTER clause. Those parts are written in SQL as
 * `{{name}}`, visibly different from a value bound by ClickHouse (`{name:Type}` with query_params),
 * and filled here. Every placeholder must be given and every given part must be used, so a typo
 * fails at the first call instead of reaching ClickHouse. Values never come from user input: only
 * from fixed maps keyed by a zod enum, or from code.
 */

const PLACEHOLDER = /\{\{([a-zA-Z_][a-zA-Z0-9_]*)\}\}/g;

export class SqlTemplateError extends Error {}

/** Fills every `{{name}}` in `sql` with `parts[name]`; throws on a missing or an unused part. */
export function sqlTemplate(sql: string, parts: Record<string, string>): string {
	const used = new Set<string>();
	const out = sql.replace(PLACEHOLDER, (_, name: string) => {
		const part = parts[name];
		if (part === undefined) throw new SqlTemplateError(`SQL placeholder {{${name}}} has no value`);
		used.add(name);
		return part;
	});
	const unused = Object.keys(parts).filter((k) => !used.has(k));
	if (unused.length)
		throw new SqlTemplateError(`SQL has no placeholder for ${unused.map((k) => `{{${k}}}`).join(', ')}`);
	return out;
}
