/**
 * Why this exists: every Plot chart is drawn in the app's type and muted ink, inside margins its
 * spec chose; spreading this frame keeps the charts alike without repeating the five options.
 */
export interface Margin {
	top: number;
	right: number;
	bottom: number;
	left: number;
}

export function plotFrame(m: Margin, fontSize = 12) {
	return {
		marginTop: m.top,
		marginRight: m.right,
		marginBottom: m.bottom,
		marginLeft: m.left,
		style: { fontFamily: 'var(--font)', fontSize: `${fontSize}px`, color: 'var(--muted)' }
	};
}
