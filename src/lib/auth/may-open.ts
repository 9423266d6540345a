/**
 * Why this exists: the UI shows a role only the links it can use (nav items, journey cards, "Pain
 * points →"), so nobody is led to a "no access" page. The server enforces access on its own.
 */
import { canView, type Role } from './access';

/** What the root layout knows about who is looking. */
export interface Viewer {
	authEnforced: boolean;
	user: { role: Role } | null;
}

/** May the viewer open `path`? Everyone may with sign-in off; nobody unknown may otherwise. */
export function mayOpen(viewer: Partial<Viewer>, path: string): boolean {
	if (viewer.authEnforced === false) return true;
	const role = viewer.user?.role;
	return role !== undefined && canView(role, path);
}
