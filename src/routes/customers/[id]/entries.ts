/**
 * Why this exists: the customer 360 shows contacts and orders as one history, newest first, both
 * as the timeline's rows and as the journey chart's events.
 */
import type { JourneyEvent } from '$lib/charts/journey-timeline/spec';
import type { PageData } from './$types';

type Customer = NonNullable<PageData['customer']>;
type Contact = Customer['timeline'][number];
type Order = Customer['orders'][number];

export type Entry =
	{ kind: 'contact' | 'complaint'; ts: string; t: Contact; o: null } | { kind: 'order'; ts: string; t: null; o: Order };

export function entriesOf(c: Customer): Entry[] {
	const contacts: Entry[] = c.timeline.map((t) => ({
		kind: t.complaint ? 'complaint' : 'contact',
		ts: t.ts,
		t,
		o: null
	}));
	const orders: Entry[] = c.orders.map((o) => ({ kind: 'order', ts: o.ts, t: null, o }));
	return [...contacts, ...orders].sort((a, b) => b.ts.localeCompare(a.ts));
}

/** A chart event; `say` puts a stage, touchpoint or intent into the reader's language. */
export function eventOf(e: Entry, say: (kind: 'stage' | 'touchpoint' | 'intent', v: string) => string): JourneyEvent {
	return e.t
		? {
				ts: e.ts,
				channel: e.t.channel,
				kind: e.kind,
				sentiment: e.t.sentiment,
				label: (
					[
						['stage', e.t.stage],
						['touchpoint', e.t.touchpoint],
						['intent', e.t.intent]
					] as const
				)
					.filter(([, v]) => v)
					.map(([k, v]) => say(k, v))
					.join(' · ')
			}
		: {
				ts: e.ts,
				channel: 'order',
				kind: 'order',
				sentiment: null,
				label: `${e.o.orderId} ${e.o.amount} ${e.o.currency}`
			};
}
