// End-to-end test of `eventide demo` in headless Chromium, driven by Playwright (playwright-core,
// Debian's chromium; no browser download). Run by DemoBrowserIT: node demo.e2e.js <baseUrl> <shotsDir>
// With E2E_TLS=1 (DemoTlsBrowserIT) the page is loaded over https:// with the demo's self-signed
// certificate, and the parts that cross TLS run: SSE dashboard, chat over wss://, an upload.
'use strict';
const { chromium } = require('playwright-core');
const crypto = require('crypto');

const [base, shots] = process.argv.slice(2);
const step = (name) => console.log('step: ' + name);

function check(cond, message) {
  if (!cond) throw new Error('check failed: ' + message);
}

async function guidance(page) {
  step('guidance instead of silence: Send before Join, Upload without a file');
  await page.click('#send');
  check((await page.textContent('#chat-hint')).includes('Join a room first'), 'Send before Join explains itself');
  await page.click('#start');
  check((await page.textContent('#upload-hint')).includes('Choose a file first'), 'Upload without a file explains itself');
  check(await page.evaluate(() => !!document.querySelector('link[rel=icon]')), 'the page has a favicon');
  check(await page.evaluate(() => document.getElementById('lag-legend').children.length >= 1), 'the lag chart has a legend');
}

// Nothing wider than the viewport, at phone and desktop widths; a screenshot of each.
async function layout(page, width) {
  step(`layout at ${width} px`);
  await page.setViewportSize({ width, height: 900 });
  await page.waitForFunction(() => new Promise(r => requestAnimationFrame(() => r(true))));
  const report = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(el => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5);
    }).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} [${Math.round(el.getBoundingClientRect().left)}, ` +
      `${Math.round(el.getBoundingClientRect().right)}]`);
    const box = id => document.getElementById(id).getBoundingClientRect();
    return { vw, scroll: document.documentElement.scrollWidth, wide,
      stacked: box('dashboard').bottom <= box('chat').top && box('chat').bottom <= box('upload').top };
  });
  if (width < 600) check(report.stacked, `the columns stack at ${width} px (dashboard, then chat, then upload)`);
  check(report.scroll <= report.vw, `no horizontal scrolling at ${width} px: scrollWidth ${report.scroll} > ${report.vw}`);
  check(report.wide.length === 0, `no element wider than the ${width} px viewport: ${report.wide.slice(0, 10).join(', ')}`);
  await page.screenshot({ path: `${shots}/demo-${width}.png`, fullPage: true });
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
  await page.waitForFunction(() => document.getElementById('wd-text').textContent.includes('stayed flat'))
    .catch(async () => { throw new Error('after an offload the panel says: ' + await page.textContent('#watchdog')); });
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
  // The panel says how long the loop was really held (measured afterwards), and shows the stack.
  await page.waitForFunction(() => /held \S+ for (\d+) ms/.test(document.getElementById('wd-text').textContent)
      && +document.getElementById('wd-text').textContent.match(/held \S+ for (\d+) ms/)[1] >= 400, null, { timeout: 15000 })
    .catch(async () => { throw new Error('watchdog panel does not say how long the loop was held: ' + await page.textContent('#watchdog')); });
  const panel = await page.textContent('#watchdog');
  check(panel.includes('io.eventide.demo.Demo'), 'the panel shows the handler\'s stack: ' + panel);
  console.log('watchdog panel: ' + (await page.textContent('#wd-text')));
  await page.click('#offload');
  await page.waitForFunction(() => document.getElementById('wd-text').textContent.includes('the same job on the loop held it'))
    .catch(async () => { throw new Error('after block + offload the panel says: ' + await page.textContent('#watchdog')); });
  console.log('after offload: ' + (await page.textContent('#wd-text')));
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
  check(await page.evaluate(() => document.getElementById('start').disabled), 'Upload is disabled while uploading');
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
  await page.waitForFunction(() => !document.getElementById('start').disabled);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const tls = process.env.E2E_TLS === '1';
    // The demo's certificate is self-signed: accept it, as a person clicking through the warning would.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: tls });
    ctx.setDefaultTimeout(60000);
    const a = await ctx.newPage();
    const b = await ctx.newPage();
    await a.goto(base); await b.goto(base);
    if (tls) {
      step('the page, its events and its chat over TLS');
      check(await a.evaluate(() => location.protocol) === 'https:', 'the page was loaded over https');
      await a.waitForFunction(() => window.demo.samples >= 2);
      await chat(a, b);
      await upload(a);
      await a.screenshot({ path: shots + '/demo-tls.png', fullPage: true });
      console.log('e2e: all passed');
      return;
    }
    await guidance(a);
    await a.waitForFunction(() => window.demo.samples >= 2);
    await layout(a, 390);
    await layout(a, 1280);
    await chat(a, b);
    await dashboardUnderLoad(a);
    await blockVersusOffload(a);
    await upload(a);
    await layout(a, 390);
    await layout(a, 1280);
    await a.screenshot({ path: shots + '/demo.png', fullPage: true });
    console.log('e2e: all passed');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
