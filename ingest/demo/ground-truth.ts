/**
 * Why this exists: what the demo planted and what was measured in the rows actually written, so
 * tests (and people) can check what the product finds: each touchpoint's observed signals, and the
 * high-value, quiet and repeat-complaint customers by the product's own default rules.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, DEMO_END, DEMO_START, isoDate } from './random';
import { TOPICS } from './topics';

/** Per-touchpoint tallies of what was written, so the ground truth states observed signals. */
export interface Tally {
	contacts: number;
	complaints: number;
	negative: number;
	/** Calls and tickets only (social posts have no outcome). */
	handled: number;
	unresolved: number;
	repeats: number;
	csatSum: number;
	csatN: number;
}
export const newTally = (): Tally => ({
	contacts: 0,
	complaints: 0,
	negative: 0,
	handled: 0,
	unresolved: 0,
	repeats: 0,
	csatSum: 0,
	csatN: 0
});
function summarise(t: Tally) {
	const r3 = (x: number) => Math.round(x * 1000) / 1000;
	return {
		contacts: t.contacts,
		complaintRate: r3(t.complaints / Math.max(1, t.contacts)),
		negativeShare: r3(t.negative / Math.max(1, t.contacts)),
		unresolvedShare: r3(t.unresolved / Math.max(1, t.handled)),
		repeatShare: r3(t.repeats / Math.max(1, t.contacts)),
		csatMean: t.csatN ? r3(t.csatSum / t.csatN) : null,
		csatResponses: t.csatN
	};
}

/** Rules the ground truth states its measured customer lists by (the product's defaults). */
export const HV_OPENED_BEFORE = Date.UTC(2023, 9, 31); // account age ≥ 3 years at DEMO_END
export const RECENT_FROM = Date.UTC(2026, 7, 1); // the last three full months: Aug–Oct 2026
const QUIET_FROM = DEMO_END + 1000 - 90 * DAY;

/** What the generator planted and measured, customer by customer. */
export interface Truth {
	plantedHighValue: number;
	plantedQuiet: number;
	highValue: string[];
	quiet: string[];
	complainers: { id: string; topic: string; touchpoint: string }[];
	repeatComplainers: string[];
	churned: number;
}

export const newTruth = (): Truth => ({
	plantedHighValue: 0,
	plantedQuiet: 0,
	highValue: [],
	quiet: [],
	complainers: [],
	repeatComplainers: [],
	churned: 0
});

/** What one customer's contacts add up to. */
export interface ContactSummary {
	/** Contacts from RECENT_FROM on. */
	recent: number;
	/** Time of the last contact (-Infinity: none). */
	last: number;
	/** Times of the customer's complaints, by topic. */
	complaintsAt: Map<string, number[]>;
}

/** Measured against the default rules, so the lists hold exactly who the product should find. */
export function measure(
	truth: Truth,
	id: string,
	opened: number,
	{ recent, last, complaintsAt }: ContactSummary
): void {
	if (opened <= HV_OPENED_BEFORE && recent >= 15) truth.highValue.push(id);
	if (opened < QUIET_FROM && last < QUIET_FROM) truth.quiet.push(id);
	for (const times of complaintsAt.values()) {
		if (times.length < 3) continue;
		times.sort((x, y) => x - y);
		if (times.some((t, j) => j >= 2 && t - times[j - 2]! <= 30 * DAY)) {
			truth.repeatComplainers.push(id);
			break;
		}
	}
}

/** Writes DIR/ground-truth.json. */
export function writeGroundTruth(
	dir: string,
	opts: { seed: number; customers: number },
	counts: Record<string, number>,
	interactions: number,
	tallies: Map<string, Tally>,
	truth: Truth
): void {
	const baseline = newTally();
	for (const t of TOPICS.filter((x) => !x.severity)) {
		const s = tallies.get(t.key)!;
		for (const k of Object.keys(baseline) as (keyof Tally)[]) baseline[k] += s[k];
	}
	writeFileSync(
		join(dir, 'ground-truth.json'),
		JSON.stringify(
			{
				generator: 'touchmap demo v2',
				seed: opts.seed,
				customers: opts.customers,
				from: isoDate(DEMO_START),
				to: isoDate(DEMO_END),
				files: counts,
				interactions,
				painPoints: TOPICS.filter((t) => t.severity).map((t) => ({
					stage: t.stage,
					touchpoint: t.touchpoint,
					severity: t.severity,
					description: t.description,
					since: t.since ?? null,
					queue: t.queue,
					category: t.category,
					signals: {
						complaintRate: t.complaintRate,
						csat: t.csat,
						resolveRate: t.resolveRate,
						negativeShare: t.negativeShare,
						repeatRate: t.repeatRate
					},
					observed: summarise(tallies.get(t.key)!)
				})),
				baseline: {
					description: 'The healthy touchpoints taken together',
					touchpoints: TOPICS.filter((t) => !t.severity).map((t) => `${t.stage}/${t.touchpoint}`),
					signals: { complaintRate: 0.04, csat: 4.3, resolveRate: 0.8, negativeShare: 0.12, repeatRate: 0.03 },
					observed: summarise(baseline)
				},
				touchpoints: Object.fromEntries(
					TOPICS.map((t) => [`${t.stage}/${t.touchpoint}`, summarise(tallies.get(t.key)!)])
				),
				highValue: {
					rule: 'account opened on or before 2023-10-31 (age ≥ 3 years) and ≥ 15 interactions in Aug–Oct 2026 (≥ 5 a month)',
					planted: truth.plantedHighValue,
					count: truth.highValue.length,
					ids: truth.highValue
				},
				churners: {
					churnedInCrm: truth.churned,
					quiet: {
						rule: 'account opened before the window and no interaction in the last 90 days (from 2026-08-03)',
						planted: truth.plantedQuiet,
						count: truth.quiet.length,
						ids: truth.quiet
					},
					repeatedComplaints: {
						rule: 'planted: 3–5 complaints about the same touchpoint within weeks, then quiet',
						count: truth.complainers.length,
						customers: truth.complainers,
						measured: {
							rule: '≥ 3 complaints about the same touchpoint within 30 days (includes the planted ones)',
							count: truth.repeatComplainers.length,
							ids: truth.repeatComplainers
						}
					}
				}
			},
			null,
			1
		)
	);
}
