import { describe, expect, it } from 'vitest';
import { foldLease, type LeaseRow } from '../../ingest/service/lease';

const row = (owner: string, action: LeaseRow['action'], at: number, ttl_ms = 100): LeaseRow => ({
	owner,
	action,
	at,
	ttl_ms
});

describe('foldLease', () => {
	it('gives the lease to the earliest claim and ignores rival claims while it is held', () => {
		const log = [row('b', 'claim', 1_005), row('a', 'claim', 1_000)];
		expect(foldLease(log, 1_050)).toEqual({ holder: 'a', expires: 1_100 });
		// Same answer whatever order the rows come in.
		expect(foldLease([...log].reverse(), 1_050)).toEqual({ holder: 'a', expires: 1_100 });
	});

	it('breaks a tie on time by owner, so every worker agrees', () => {
		expect(foldLease([row('b', 'claim', 1_000), row('a', 'claim', 1_000)], 1_010).holder).toBe('a');
	});

	it('extends on renewal and frees on release', () => {
		const log = [row('a', 'claim', 1_000), row('a', 'renew', 1_080), row('b', 'claim', 1_150)];
		expect(foldLease(log, 1_170)).toEqual({ holder: 'a', expires: 1_180 });
		expect(foldLease([...log, row('a', 'release', 1_175)], 1_176).holder).toBeNull();
		expect(foldLease([...log, row('a', 'release', 1_175), row('b', 'claim', 1_177)], 1_178).holder).toBe('b');
	});

	it('expires a lease that is not renewed; a later claim takes it and the old renewal is ignored', () => {
		const log = [row('a', 'claim', 1_000), row('b', 'claim', 1_150), row('a', 'renew', 1_160)];
		expect(foldLease(log, 1_170)).toEqual({ holder: 'b', expires: 1_250 });
		expect(foldLease([row('a', 'claim', 1_000)], 1_101).holder).toBeNull();
	});

	it('ignores a release by a worker that does not hold the lease', () => {
		expect(foldLease([row('a', 'claim', 1_000), row('b', 'release', 1_010)], 1_020).holder).toBe('a');
	});
});
