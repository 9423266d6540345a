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
	/** Room for its label, in px, right of the node up to the next step's nodes (or the edge). */
	labelRoom: number;
	/** Its stage's colour from SANKEY_PALETTE. */
	color: string;
}

/**
 * Neutral categorical colours for stages: none is a severity colour (red, yellow, blue) or a
 * status colour (good green, warning amber), so a stage never reads as "severe".
 */
export const SANKEY_PALETTE = ['#0f7c8c', '#7b4dd6', '#4b5563', '#a23b72', '#5f6b1f', '#8a6d5a', '#5b5f97', '#2e6f5e'];

/** A stage's colour: stages in name order take the palette in turn, so none share one up to eight. */
export function stageColors(labels: string[]): Map<string, string> {
	const stages = [...new Set(labels.map(stageOf))].sort();
	return new Map(stages.map((st, i) => [st, SANKEY_PALETTE[i % SANKEY_PALETTE.length]!]));
}
const stageOf = (label: string) => label.split(' / ')[0]!;

/** Text cut to fit `room` px at `fontPx` (CJK characters a full em, others about 0.58 em), with "…". */
export function fitLabel(text: string, room: number, fontPx = 11.5): string {
	const w = (ch: string) => (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? fontPx : fontPx * 0.58);
	let used = 0;
	const chars = [...text];
	for (let i = 0; i < chars.length; i++) {
		used += w(chars[i]!);
		if (used > room) return i <= 1 ? '' : `${chars.slice(0, i - 1).join('')}…`;
	}
	return text;
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
	const columns = [...new Set(graph.nodes.map((n) => n.x0 ?? 0))].sort((a, b) => a - b);
	const colors = stageColors(graph.nodes.map((n) => n.label));
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
			y1: n.y1 ?? 0,
			labelRoom: (columns.find((x) => x > (n.x0 ?? 0)) ?? width) - (n.x1 ?? 0) - 8,
			color: colors.get(stageOf(n.label))!
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
