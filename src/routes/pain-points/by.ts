/**
 * Whether the pain-point list ranks touchpoints or contact reasons: `by=reason` in the URL, else
 * touchpoints. Shared by the page and its CSV export so both list the same rows.
 */
import type { PainPointKind } from '$schemas/journey';

export function readBy(url: URL): PainPointKind {
	return url.searchParams.get('by') === 'reason' ? 'reason' : 'touchpoint';
}

/** The `by` query parameter for a kind (none for the default). */
export const byParam = (by: PainPointKind) => ({ by: by === 'reason' ? 'reason' : undefined });
