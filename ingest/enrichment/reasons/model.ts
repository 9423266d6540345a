/**
 * Why this exists: a reason model is stored as JSON (a ClickHouse settings row or table) and comes
 * back from there, or from an API edit, before ingest uses it. Loading checks it against
 * ReasonModelSchema so a damaged or foreign document fails loudly, with the path of what is wrong,
 * instead of assigning texts to nonsense.
 */
import { ReasonModelSchema, type ReasonModel } from '../../../schemas/reasons';

export class ReasonModelError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ReasonModelError';
	}
}

/** A validated model from its JSON text or already-parsed JSON. */
export function loadReasonModel(json: unknown): ReasonModel {
	let value = json;
	if (typeof json === 'string') {
		try {
			value = JSON.parse(json);
		} catch (err) {
			throw new ReasonModelError(`Reason model is not valid JSON: ${(err as Error).message}`);
		}
	}
	const parsed = ReasonModelSchema.safeParse(value);
	if (!parsed.success) {
		const first = parsed.error.issues[0];
		throw new ReasonModelError(
			`Reason model is invalid${first ? ` at ${first.path.join('.') || '(root)'}: ${first.message}` : ''}` +
				(parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more issues)` : '')
		);
	}
	return parsed.data;
}

/** The JSON text to store. */
export function saveReasonModel(model: ReasonModel): string {
	return JSON.stringify(model);
}
