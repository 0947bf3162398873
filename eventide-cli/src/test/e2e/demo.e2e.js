// End-to-end test of `eventide demo` in headless Chromium, driven by Playwright (playwright-core,
// Debian's chromium; no browser download). Run by DemoBrowserIT: node demo.e2e.js <baseUrl> <shotsDir>
'use strict';
const { chromium } = require('playwright-core');
const crypto = require('crypto');

const [base, shots] = process.argv.slice(2);
const step = (name) => console.log('step: ' + name);

function check(cond, message) {
  if (!cond) throw new Error('check failed: ' + message);
}

async function chat(a, b) {
  step('two pages chat');
  await a.fill('#name', 'alice'); await a.click('#join');
  await b.fill('#name', 'bob'); await b.click('#join');
  await a.waitForFunction(() => document.getElementById('users').textContent === '2');
  await a.fill('#text', 'hello from alice'); await a.click('#send');
  await b.waitForFunction(() => window.demo.messages.some(m => m.name === 'alice' && m.text === 'hello from alice'));
  await b.fill('#text', 'hi alice'); await b.press('#text', 'Enter');
  await a.waitForFunction(() => window.demo.messages.some(m => m.name === 'bob' && m.text === 'hi alice'));
  await b.screenshot({ path: shots + '/chat.png' });
}

async function dashboardUnderLoad(page) {
  step('dashboard changes while load runs');
  await page.waitForFunction(() => window.demo.samples >= 2);
  const before = await page.evaluate(() => ({ samples: window.demo.samples, heap: document.getElementById('heap').textContent }));
  let stop = false;
  const worker = async () => { while (!stop) { const r = await fetch(base + '/demo/hello'); await r.text(); } };
  const load = [worker(), worker(), worker(), worker()];
  await page.waitForFunction(() => window.demo.maxRps > 50, null, { timeout: 30000 });
  stop = true;
  await Promise.all(load);
  const after = await page.evaluate(() => ({ samples: window.demo.samples, maxRps: window.demo.maxRps }));
  check(after.samples > before.samples, 'dashboard kept updating');
  console.log('dashboard: max requests/s seen ' + Math.round(after.maxRps));
}

async function worstLagAfter(page, t0, samples) {
  await page.waitForFunction(([t, n]) => window.demo.lagLog.filter(e => e.t > t).length >= n, [t0, samples]);
  return page.evaluate((t) => Math.max(...window.demo.lagLog.filter(e => e.t > t).map(e => e.lag)), t0);
}

async function blockVersusOffload(page) {
  step('offload keeps lag flat');
  let t0 = await page.evaluate(() => Date.now());
  await page.click('#offload');
  await page.waitForFunction(() => document.getElementById('cpu-result').textContent.includes('on the worker'));
  const offloadLag = await worstLagAfter(page, t0, 8);
  step('block raises lag and the watchdog reports it');
  t0 = await page.evaluate(() => Date.now());
  await page.click('#block');
  await page.waitForFunction(() => document.getElementById('cpu-result').textContent.includes('on the loop'));
  // The lag sample that saw the stall arrives within a few publishes after the job ends.
  await page.waitForFunction((t) => window.demo.lagLog.some(e => e.t > t && e.lag >= 400), t0, { timeout: 15000 })
    .catch(async () => {
      const trace = await page.evaluate((t) => JSON.stringify(window.demo.lagLog.filter(e => e.t > t - 1000)), t0);
      throw new Error('no lag sample >= 400 ms after the 800 ms job on the loop: ' + trace);
    });
  const blockLag = await page.evaluate((t) => Math.max(...window.demo.lagLog.filter(e => e.t > t).map(e => e.lag)), t0);
  await page.waitForFunction(() => document.getElementById('watchdog').textContent.includes('/demo/block'), null, { timeout: 15000 })
    .catch(async () => { throw new Error('watchdog panel says: ' + await page.textContent('#watchdog')); });
  console.log(`lag: offload ${offloadLag.toFixed(1)} ms, block ${blockLag.toFixed(1)} ms`);
  check(offloadLag < 400, 'the same job on a worker keeps lag under 400 ms, saw ' + offloadLag);
  await page.screenshot({ path: shots + '/block-vs-offload.png', fullPage: true });
}

async function upload(page) {
  step('upload 60 MiB with server-side progress');
  const data = crypto.randomBytes(60 * 1024 * 1024);
  const sha = crypto.createHash('sha256').update(data).digest('hex');
  // Playwright passes buffers over 50 MB by path only.
  const file = require('path').join(require('os').tmpdir(), `eventide-e2e-${process.pid}.bin`);
  require('fs').writeFileSync(file, data);
  await page.setInputFiles('#file', file);
  await page.click('#start');
  await page.waitForFunction(() => window.demo.lastUpload && window.demo.lastUpload.done, null, { timeout: 180000 });
  const { log, last } = await page.evaluate(() => ({ log: window.demo.progressLog, last: window.demo.lastUpload }));
  const mid = log.findIndex(p => p >= 50 && p < 100);
  check(mid >= 0, 'progress passed 50% before completing: ' + JSON.stringify(log.slice(0, 20)));
  check(log[log.length - 1] === 100, 'progress reached 100%');
  check(last.sha256 === sha, `checksum ${last.sha256} equals ${sha}`);
  check(last.received === data.length, `server stored every byte: ${JSON.stringify(last)} vs ${data.length}`);
  await page.waitForFunction((h) => document.getElementById('files').textContent.includes(h), sha);
  console.log(`upload: ${log.length} progress events, first past 50%: ${log[mid]}%`);
  require('fs').unlinkSync(file);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(60000);
    const a = await ctx.newPage();
    const b = await ctx.newPage();
    await a.goto(base); await b.goto(base);
    await chat(a, b);
    await dashboardUnderLoad(a);
    await blockVersusOffload(a);
    await upload(a);
    await a.screenshot({ path: shots + '/demo.png', fullPage: true });
    console.log('e2e: all passed');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
