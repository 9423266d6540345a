import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage({ viewport: { width: 1360, height: 1000 } });
await p.goto('http://127.0.0.1:3105/trends?kpi=fcr&horizon=12'); await p.waitForTimeout(2500);
console.log(await p.evaluate(() => [...document.querySelectorAll('[data-testid=forecast-chart] svg g[aria-label]')].map(g => g.getAttribute('aria-label') + ' ' + g.outerHTML.slice(0, 300))));
await b.close();
