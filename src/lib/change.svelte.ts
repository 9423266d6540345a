/**
 * Why this exists: every page that changes something (users, alerts, actions, subscriptions) runs
 * the change, says it was saved or why not, and reloads its data — one rule for all of them.
 */
import { invalidateAll } from '$app/navigation';

export class Change {
	message = $state('');
	problem = $state('');
	busy = $state(false);

	/** Runs `what`; on success shows `done` and reloads the page's data, else shows the error. */
	run = async (what: () => Promise<unknown>, done: string): Promise<void> => {
		this.message = '';
		this.problem = '';
		this.busy = true;
		try {
			await what();
			this.message = done;
			await invalidateAll();
		} catch (err) {
			this.problem = (err as Error).message;
		} finally {
			this.busy = false;
		}
	};
}
