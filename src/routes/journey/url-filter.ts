/**
 * Why this exists: the journey, paths and pain-point pages share one filter, kept in the URL (so a
 * reload, the back button and a shared link show the same view). This reads it from and writes it
 * to a query string; unknown values are dropped, and the server validates again.
 */
import { CHANNELS, SCENARIOS, type Channel, type Scenario } from '$schemas/entities';
import { VALUE_SEGMENTS, type JourneyFilter } from '$schemas/journey';
import { addDays } from '$lib/format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface UrlFilter {
	from: string;
	to: string;
	segment: JourneyFilter['segment'];
	channels: Channel[];
	regions: string[];
	scenarios: Scenario[];
	intents: string[];
}

const list = (v: string | null) =>
	(v ?? '')
		.split(',')
		.map((x) => x.trim())
		.filter((x) => x && x.length <= 128)
		.slice(0, 50);

/** The filter in `url`, with the last 90 days of data (ending at `maxDay`) as the default range. */
export function readFilter(url: URL, maxDay: string): UrlFilter {
	const p = url.searchParams;
	const to = DAY.test(p.get('to') ?? '') ? p.get('to')! : maxDay;
	const from = DAY.test(p.get('from') ?? '') ? p.get('from')! : DAY.test(to) ? addDays(to, -89) : '';
	const seg = p.get('segment');
	return {
		from,
		to,
		segment: (VALUE_SEGMENTS as readonly string[]).includes(seg ?? '') ? (seg as UrlFilter['segment']) : 'all',
		channels: list(p.get('channels')).filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c)),
		regions: list(p.get('regions')),
		scenarios: list(p.get('scenarios')).filter((c): c is Scenario => (SCENARIOS as readonly string[]).includes(c)),
		intents: list(p.get('intents'))
	};
}

/** The API input for a URL filter (empty lists omitted). */
export function apiFilter(f: UrlFilter) {
	return {
		from: f.from,
		to: f.to,
		segment: f.segment,
		channels: f.channels.length ? f.channels : undefined,
		regions: f.regions.length ? f.regions : undefined,
		scenarios: f.scenarios.length ? f.scenarios : undefined,
		intents: f.intents.length ? f.intents : undefined
	};
}

/** `from=…&to=…&segment=…` for a filter, plus any extra parameters. */
export function filterQuery(f: UrlFilter, extra: Record<string, string | number | undefined> = {}): string {
	const pairs: [string, string][] = [
		['from', f.from],
		['to', f.to],
		['segment', f.segment === 'all' ? '' : f.segment],
		['channels', f.channels.join(',')],
		['regions', f.regions.join(',')],
		['scenarios', f.scenarios.join(',')],
		['intents', f.intents.join(',')],
		...Object.entries(extra).map(([k, v]) => [k, v === undefined ? '' : String(v)] as [string, string])
	];
	return pairs
		.filter(([, v]) => v)
		.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
		.join('&');
}
