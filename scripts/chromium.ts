/**
 * Why this exists: the browser tests and the render bench drive the same Debian Chromium the same
 * way (browsers cannot be downloaded here, so playwright-core gets its path and the flags that keep
 * it quiet and offline).
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
}
