/**
 * Why this exists: a fresh install must be usable and closed at once. On the first start (no users
 * yet) an admin account is created: with TOUCHMAP_ADMIN_PASSWORD when set, else with a random
 * password printed once to the console. Nothing happens when users exist.
 */
import type { Db } from '$db/client';
import { env } from '$db/env';
import { countUsers, saveUser } from '../queries/auth/users';
import { randomPassword } from './password';

export async function ensureFirstAdmin(db: Db, log: (line: string) => void = console.log): Promise<void> {
	const e = env();
	if ((await countUsers(db.client)) > 0) return;
	const password = e.TOUCHMAP_ADMIN_PASSWORD ?? randomPassword();
	await saveUser(db.client, {
		email: e.TOUCHMAP_ADMIN_EMAIL,
		name: 'Administrator',
		role: 'admin',
		disabled: false,
		password
	});
	if (e.TOUCHMAP_ADMIN_PASSWORD)
		log(`created the admin account ${e.TOUCHMAP_ADMIN_EMAIL} (password from TOUCHMAP_ADMIN_PASSWORD)`);
	else
		log(
			`created the admin account ${e.TOUCHMAP_ADMIN_EMAIL} with password ${password}\n` +
				'touchmap: this password is shown only once — sign in and add users under Admin → Users'
		);
}
