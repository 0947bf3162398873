// The lab's report.html at phone and desktop width in headless Chromium, driven by Playwright
// (playwright-core, Debian's chromium; no browser download). Run by ReportLayoutIT:
//   node report-layout.e2e.js <file:// url of report.html> <shotsDir>
// Passes when the page never scrolls sideways and nothing outside a horizontally scrolling table
// box (.wide) is wider than the viewport; a full-page screenshot per width.
'use strict';
const { chromium } = require('playwright-core');

const [url, shots] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  let failed = false;
  try {
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      // Generous: on a loaded 2-core machine Chromium can take far longer than Playwright's 30 s
      // default to render and capture a long page; the Java side bounds the whole run anyway.
      page.setDefaultTimeout(150_000);
      await page.goto(url);
      const r = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')].filter(el => {
          if (el.closest('.wide')) return false; // inside a box that scrolls on its own
          const b = el.getBoundingClientRect();
          return b.width > 0 && (b.right > vw + 0.5 || b.left < -0.5);
        }).map(el => el.tagName.toLowerCase());
        return { vw, scroll: document.documentElement.scrollWidth, wide, boxes: document.querySelectorAll('.wide').length };
      });
      await page.screenshot({ path: `${shots}/lab-report-${width}.png`, fullPage: true });
      const ok = r.vw === width && r.scroll <= r.vw && r.wide.length === 0 && r.boxes > 0;
      console.log(`${ok ? 'ok' : 'FAILED'}: ${width} px: viewport ${r.vw}, scrollWidth ${r.scroll}, ` +
        `${r.boxes} table boxes, wider than the viewport: [${r.wide.slice(0, 10).join(', ')}]`);
      failed ||= !ok;
    }
  } finally {
    await browser.close();
  }
  console.log(failed ? 'e2e: failed' : 'e2e: all passed');
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
