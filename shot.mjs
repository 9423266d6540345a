import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage({ viewport: { width: 1360, height: 1000 } });
for (const [u, f] of process.argv.slice(2).map((a) => a.split('|'))) {
  await p.goto('http://127.0.0.1:3105' + u); await p.waitForTimeout(2500);
  await p.screenshot({ path: f, fullPage: true });
}
await b.close();
