/**
 * Why this exists: small, seeded source records for tests, with the same shape a call-center
 * export has, so KPI tests can compute the expected answers independently in plain JS.
 */
import seedrandom from 'seedrandom';

export interface FakeCall {
	call_id: string;
	account: string;
	started: string; // ISO with offset
	channel: 'phone' | 'chat' | 'email';
	wait_sec: number;
	talk_sec: number;
	resolved: boolean | null;
	complaint: boolean;
	survey: number | null; // 1–5
	sentiment: number | null;
	segment: string;
}

export function fakeCalls(n: number, seed = 1): FakeCall[] {
	const rnd = seedrandom(String(seed));
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
	const start = Date.UTC(2025, 0, 1);
	return Array.from({ length: n }, (_, i) => ({
		call_id: `call-${i}`,
		account: `acct-${Math.floor(rnd() * 40)}`,
		started: new Date(start + Math.floor(rnd() * 90 * 86_400_000)).toISOString(),
		channel: pick(['phone', 'chat', 'email'] as const),
		wait_sec: Math.round(rnd() * 300),
		talk_sec: Math.round(60 + rnd() * 1200),
		resolved: rnd() < 0.1 ? null : rnd() < 0.6,
		complaint: rnd() < 0.2,
		survey: rnd() < 0.5 ? 1 + Math.floor(rnd() * 5) : null,
		sentiment: rnd() < 0.7 ? Math.round((rnd() * 2 - 1) * 100) / 100 : null,
		segment: pick(['consumer', 'business'])
	}));
}

export const FAKE_CALL_MAPPING = {
	name: 'fake-calls',
	entity: 'interaction',
	format: 'ndjson',
	constants: { csat_scale_min: 1, csat_scale_max: 5 },
	fields: {
		source_id: 'call_id',
		customer_id: 'account',
		ts: 'started',
		channel: 'channel',
		wait_s: 'wait_sec',
		handle_s: 'talk_sec',
		fcr: 'resolved',
		is_complaint: 'complaint',
		csat: 'survey',
		sentiment: 'sentiment',
		segment: 'segment'
	}
} as const;
