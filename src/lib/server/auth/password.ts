/**
 * Why this exists: password hashing with scrypt from Node's own crypto (OpenSSL's maintained
 * implementation; no native add-on to build). Stored as `scrypt$N$r$p$salt$hash` so parameters can
 * be raised later without breaking existing hashes; compared in constant time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, len: number, opts: ScryptOptions) =>
	new Promise<Buffer>((ok, fail) => scryptCb(password, salt, len, opts, (err, key) => (err ? fail(err) : ok(key))));

// OWASP's scrypt floor is N=2^17, r=8, p=1 (128 MiB of memory); maxmem must allow it.
const PARAMS = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 256 * 1024 * 1024 });
	return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [kind, n, r, p, salt, hash] = stored.split('$');
	if (kind !== 'scrypt' || !salt || !hash) return false;
	const expected = Buffer.from(hash, 'base64');
	const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: 256 * 1024 * 1024
	});
	return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A readable random password for the first admin (printed once). */
export function randomPassword(): string {
	return randomBytes(15).toString('base64url');
}
