// End-to-end test of `eventide demo --cluster` in headless Chromium, driven by Playwright
// (playwright-core, Debian's chromium). Run by ClusterDemoBrowserIT:
//   E2E_BROKER=rabbitmq|nats E2E_PG=1 node cluster.e2e.js <baseUrl> <shotsDir>
// Two workers behind one port: chat between pages whose sockets are on different workers, with the
// history from PostgreSQL; a worker killed from the page, restarted by the supervisor, the chat
// socket reconnected; a burst of jobs queued on the broker, refused past the bound, drained.
'use strict';
const { chromium } = require('playwright-core');

const [base, shots] = process.argv.slice(2);
const broker = process.env.E2E_BROKER;
const postgres = process.env.E2E_PG === '1';
const step = (name) => console.log('step: ' + name);
const check = (cond, message) => { if (!cond) throw new Error('check failed: ' + message); };
const state = (page) => page.evaluate(() => JSON.stringify({ info: window.demo.info, live: window.demo.live,
  workers: Object.values(window.demo.workers).map(w => ({ slot: w.slot, pid: w.pid, down: w.down })),
  chat: window.demo.chat, restarts: window.demo.restarts, jobs: window.demo.jobs, events: window.demo.events.map(e => e.text) }));

async function waitFor(page, what, fn, arg, timeout = 60000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  } catch (e) {
    throw new Error(`waited ${timeout} ms for ${what}; page state: ${await state(page)}`);
  }
}

async function everyWorker(page) {
  step('the page says which broker and database, and shows both workers side by side');
  await waitFor(page, 'the demo info', () => window.demo.info !== null);
  const info = await page.evaluate(() => window.demo.info);
  check(info.cluster === true, 'cluster mode');
  check(info.broker === broker, `the broker is ${broker}: ${JSON.stringify(info)}`);
  check(info.postgres === postgres, `PostgreSQL ${postgres ? 'used' : 'not used'}: ${info.history}`);
  check((await page.textContent('#b-broker')).startsWith(broker + '://'), 'the header names the broker');
  check((await page.textContent('#b-history')).startsWith(postgres ? 'PostgreSQL' : 'memory'), 'the header names the history');
  await waitFor(page, 'samples from two workers', () => window.demo.live >= 2 && document.querySelectorAll('#workers tr').length >= 2);
  const rows = await page.$$eval('#workers tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent)));
  console.log('workers table: ' + JSON.stringify(rows));
}

async function joinChat(page, name) {
  await page.fill('#name', name);
  const before = await page.evaluate(() => window.demo.chat.pid);
  await page.click('#join');
  await waitFor(page, `${name}'s chat socket`, () => window.demo.chat.worker !== null && window.demo.chat.history !== null);
  return before;
}

// The kernel picks the worker of each new connection: rejoin until the two sockets are on two workers.
async function onAnotherWorker(a, b) {
  const wa = await a.evaluate(() => window.demo.chat.worker);
  for (let i = 0; i < 40; i++) {
    const wb = await b.evaluate(() => window.demo.chat.worker);
    if (wb !== wa) return [wa, wb];
    await b.evaluate(() => { window.demo.chat.worker = null; window.demo.chat.history = null; window.demo.rejoin(); });
    await waitFor(b, 'bob\'s new socket', () => window.demo.chat.worker !== null && window.demo.chat.history !== null);
  }
  throw new Error('40 connections and every chat socket landed on worker ' + wa);
}

async function say(from, to, text) {
  await from.fill('#text', text);
  await from.press('#text', 'Enter');
  await waitFor(to, `"${text}" on the other page`, (t) => window.demo.messages.some(m => m.text === t), text, 30000);
}

async function chat(a, b, ctx) {
  step('chat between pages whose sockets are on different workers');
  await joinChat(a, 'alice');
  await joinChat(b, 'bob');
  const [wa, wb] = await onAnotherWorker(a, b);
  console.log(`chat: alice on worker ${wa}, bob on worker ${wb}`);
  await say(a, b, `hello from alice on worker ${wa}`);
  await say(b, a, `hi alice, bob on worker ${wb} here`);
  const got = await b.evaluate(() => window.demo.messages.filter(m => m.name === 'alice').map(m => m.worker));
  check(got.includes(wa), `bob (worker ${wb}) got alice's message from worker ${wa}: ${got}`);
  await waitFor(a, 'two users counted across workers', () => document.getElementById('users').textContent === '2');
  step('a newcomer sees the history' + (postgres ? ' (from PostgreSQL)' : ''));
  const c = await ctx.newPage();
  await c.goto(base);
  await joinChat(c, 'carol');
  const history = await c.evaluate(() => window.demo.chat.history);
  check(history.source === (postgres ? 'postgresql' : 'memory'), 'history source ' + history.source);
  check(history.messages.some(m => m.text === `hello from alice on worker ${wa}`), 'history holds alice\'s message: '
    + JSON.stringify(history.messages.slice(-5)));
  if (postgres) check(history.messages.every(m => m.id > 0), 'persisted messages carry their row id');
  await c.close();
  await b.screenshot({ path: shots + '/demo-cluster-chat.png' });
}

async function killAndRecover(a, b) {
  step('kill the worker holding alice\'s chat socket; the supervisor restarts it; the socket reconnects');
  const { worker, pid } = await a.evaluate(() => window.demo.chat);
  const bobBefore = await b.evaluate(() => window.demo.chat);
  await a.click(`#kill-${worker}`);
  await waitFor(a, 'alice\'s chat socket to reconnect', () => window.demo.chat.reconnects.length >= 1, null, 60000);
  await waitFor(a, `worker ${worker} back with a new pid`, ([s, p]) => window.demo.restarts.some(r => r.slot === s && r.oldPid === p),
    [worker, pid], 90000);
  await waitFor(a, 'both workers live again', () => window.demo.live >= 2 && !Object.values(window.demo.workers).some(w => w.down));
  const r = await a.evaluate(() => ({ reconnect: window.demo.chat.reconnects[0], restart: window.demo.restarts[0] }));
  console.log(`kill: chat reconnected to worker ${r.reconnect.to} after ${r.reconnect.gapMs} ms; worker ${r.restart.slot} ` +
    `pid ${r.restart.oldPid} -> ${r.restart.newPid}, ${r.restart.gapMs} ms without samples`);
  check(r.restart.newPid !== pid, 'a new process');
  // Bob's socket was on the other worker: untouched. The chat crosses workers again after the restart.
  const bobAfter = await b.evaluate(() => window.demo.chat);
  check(bobAfter.pid === bobBefore.pid && bobAfter.reconnects.length === 0, 'bob\'s socket on the surviving worker stayed up');
  await say(a, b, 'alice is back after the restart');
  await say(b, a, 'welcome back');
  const events = await a.$eval('#events', el => el.textContent);
  check(events.includes('killed') && events.includes('is back'), 'the page tells the kill and the recovery: ' + events);
  await a.screenshot({ path: shots + '/demo-cluster-kill.png' });
}

async function burst(a) {
  step('a burst of 300 jobs: queued up to the bound, refused past it, drained at the workers\' pace');
  await a.click('#burst');
  await waitFor(a, 'the burst sent', () => window.demo.jobs.finished >= 1, null, 60000);
  const sent = await a.evaluate(() => ({ ...window.demo.jobs }));
  console.log(`burst: ${sent.accepted} accepted, ${sent.refused} refused (503), ${sent.other} other; backlog peak so far ${sent.peak}`);
  check(sent.other === 0, 'every answer was 202 or 503');
  check(sent.accepted > 0, 'some jobs were queued');
  check(sent.refused > 0, 'past the bound the page got 503s');
  await waitFor(a, 'the backlog chart rise', () => window.demo.jobs.peak >= 20, null, 30000);
  await waitFor(a, 'the queue drained', (n) => window.demo.jobs.backlog === 0 && window.demo.jobs.done >= n, sent.accepted, 90000);
  const done = await a.evaluate(() => ({ ...window.demo.jobs }));
  console.log(`burst: backlog peaked at ${done.peak}, ${done.done} jobs done, backlog now ${done.backlog}`);
  check((await a.textContent('#jobs-result')).includes('refused up front with 503'), 'the panel reports the 503s');
  await a.locator('#jobs').screenshot({ path: shots + '/demo-cluster-jobs.png' });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
    ctx.setDefaultTimeout(60000);
    const a = await ctx.newPage();
    const b = await ctx.newPage();
    a.on('pageerror', e => console.log('page error: ' + e));
    await a.goto(base); await b.goto(base);
    await everyWorker(a);
    await chat(a, b, ctx);
    await killAndRecover(a, b);
    await burst(a);
    await a.screenshot({ path: shots + '/demo-cluster.png', fullPage: true });
    console.log('e2e: all passed');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
