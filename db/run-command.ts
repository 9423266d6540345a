/**
 * Why this exists: every command-line entry point ends the same way — close the database, exit with
 * the command's code, and print an expected error as one line but an unexpected one with its stack.
 */
import { closeDb, DatabaseLockedError } from './client';
import { ConfigError } from './env';

/** Runs `main` and exits; `expected(err)` marks further error types whose message is enough. */
export function runCommand(
	name: string,
	main: () => Promise<number>,
	expected: (err: unknown) => boolean = () => false
): void {
	main()
		.then(async (code) => {
			await closeDb();
			process.exit(code);
		})
		.catch(async (err) => {
			const known = err instanceof DatabaseLockedError || err instanceof ConfigError || expected(err);
			const message: string = known ? String(err.message) : String(err?.stack ?? err);
			console.error(message.startsWith(`${name}: `) ? message : `${name}: ${message}`);
			await closeDb().catch(() => undefined);
			process.exit(1);
		});
}
