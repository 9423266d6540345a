/**
 * Why this exists: one contact as a customer's journey decided it — who, when, about what, how it
 * went and in which words — handed to the channel it went through (calls.ts, tickets.ts,
 * posts.ts), which writes it in that system's own shape.
 */
import type { DemoCustomer } from './customers';
import type { Tone } from './texts';
import type { Topic } from './topics';

export interface Contact {
	c: DemoCustomer;
	t: number;
	topic: Topic;
	complaint: boolean;
	negative: boolean;
	resolved: boolean;
	/** A follow-up about the same thing. */
	repeat: boolean;
	body: string;
	tone: Tone;
	/** The survey score the customer would give, 1–5 (asked for only sometimes). */
	survey: number;
}

/** What a handled contact adds to its touchpoint's tally. */
export interface Handled {
	unresolved: boolean;
	/** The survey was answered. */
	answered: boolean;
}
