/**
 * Why this exists: the customer-path Sankey's layout — node rectangles and link ribbons from
 * d3-sankey — as plain data, pure so it is unit-tested; the component only draws it.
 */
import { sankey, sankeyLinkHorizontal, type SankeyGraph } from 'd3-sankey';

export interface PathNode {
	id: string;
	step: number;
	label: string;
	customers: number;
	dropOff: number;
}
export interface PathLink {
	source: string;
	target: string;
	value: number;
}

export interface SankeyNodeBox extends PathNode {
	x0: number;
	x1: number;
	y0: number;
	y1: number;
}
export interface SankeyRibbon extends PathLink {
	path: string;
	width: number;
}

/** Keeps the `maxPerStep` largest nodes per step (the rest would be unreadable slivers). */
export function buildSankeySpec(
	nodes: PathNode[],
	links: PathLink[],
	opts: { width: number; height: number; maxPerStep?: number }
): { nodes: SankeyNodeBox[]; links: SankeyRibbon[]; width: number; height: number } {
	const width = Math.max(360, Math.round(opts.width));
	const height = Math.max(240, Math.round(opts.height));
	const max = opts.maxPerStep ?? 8;
	const keep = new Set<string>();
	const steps = [...new Set(nodes.map((n) => n.step))];
	for (const s of steps)
		nodes
			.filter((n) => n.step === s)
			.sort((a, b) => b.customers - a.customers)
			.slice(0, max)
			.forEach((n) => keep.add(n.id));
	const kept = nodes.filter((n) => keep.has(n.id));
	const keptLinks = links.filter((l) => keep.has(l.source) && keep.has(l.target) && l.value > 0);
	if (!kept.length) return { nodes: [], links: [], width, height };
	const graph: SankeyGraph<PathNode, PathLink> = sankey<PathNode, PathLink>()
		.nodeId((n) => n.id)
		.nodeWidth(14)
		.nodePadding(10)
		.nodeSort((a, b) => b.customers - a.customers)
		.extent([
			[1, 1],
			[width - 150, height - 6]
		])({ nodes: kept.map((n) => ({ ...n })), links: keptLinks.map((l) => ({ ...l })) });
	const path = sankeyLinkHorizontal();
	return {
		width,
		height,
		nodes: graph.nodes.map((n) => ({
			id: n.id,
			step: n.step,
			label: n.label,
			customers: n.customers,
			dropOff: n.dropOff,
			x0: n.x0 ?? 0,
			x1: n.x1 ?? 0,
			y0: n.y0 ?? 0,
			y1: n.y1 ?? 0
		})),
		links: graph.links.map((l) => ({
			source: typeof l.source === 'object' ? (l.source as PathNode).id : String(l.source),
			target: typeof l.target === 'object' ? (l.target as PathNode).id : String(l.target),
			value: l.value,
			width: Math.max(1, l.width ?? 1),
			path: path(l as never) ?? ''
		}))
	};
}
