// Load client of the WebSocket benchmark (bench/ws/run.sh), one Node.js process. The same client
// drives every server, so its own costs are the same for all of them.
//
//   node bench/ws/client.js hold   PORT N
//       Opens N connections to ws://127.0.0.1:PORT/ws/broadcast (at most WINDOW handshakes in
//       flight), prints {"ready":true,"open":..,"errors":..,"ms":..} when all are settled, then holds
//       them idle (answering the server's pings) until SIGTERM, and prints {"done":true,...}.
//
//   node bench/ws/client.js fanout PORT N ROUNDS [SERVER_PID]
//       Opens N subscribers, makes sure the server counts exactly N (unmeasured broadcasts), runs
//       WARMUP unmeasured broadcasts, then measured ones, one at a time, GAP_MS apart. Each is a
//       POST /broadcast made by this process over a fresh TCP connection, its body a unique payload
//       {"seq":..,"sentAtMs":..}. The clock starts (performance.now()) right before the request is
//       written to the socket; each subscriber records when that payload arrived. Per broadcast it
//       prints a JSON line: the time until the first, the median (p50), the p99 and the last
//       subscriber had it, how many got it, when the POST was answered, the server's CPU time (sum
//       of /proc/SERVER_PID/task/*/schedstat, ns) and this client's (process.cpuUsage()) from just
//       before the POST until SETTLE_MS after the last receipt, and how much of core 0 and core 1
//       other processes took meanwhile (busy time of the core in /proc/stat minus the server's, resp.
//       the client's CPU time; 10 ms ticks). A broadcast where others took more than DISTURBED of
//       either core's time is repeated, up to 3 x ROUNDS measured broadcasts in all; the summary
//       line {"summary":true,...} holds the medians over the ROUNDS least disturbed ones, the share
//       of the server's CPU time spent in the kernel over them (stime / (utime + stime) from
//       /proc/SERVER_PID/stat) and the kept broadcasts themselves. A POST that fails or times out
//       is reported and counts as a disturbed broadcast.
//
// CLIENT=ws uses the `ws` package's client (the default for hold); CLIENT=raw (the default for
// fanout) a minimal RFC 6455 client on plain sockets, so that receiving costs the one client core
// as little as possible and the time measured stays the server's. On the 2-core VM of
// docs/benchmarks.md the raw client spent ~100 ms of CPU per 10,000 messages and the ws client
// ~125-140 ms, both below the servers' 130-200 ms, and both gave the same fan-out times within noise.
//
// Environment: CLIENT, WINDOW (handshakes in flight, default 500), WARMUP (default 3), GAP_MS
// (default 300), SETTLE_MS (default 100), TIMEOUT_MS (per broadcast, default 10000), DISTURBED
// (default 0.15), CLK_TCK (default 100), SERVER_CORE / CLIENT_CORE (default 0 / 1).
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const { performance } = require('perf_hooks');
const WebSocket = require(path.join(__dirname, 'node_modules', 'ws'));

const mode = process.argv[2];
const port = Number(process.argv[3] || 8080);
const total = Number(process.argv[4] || 1000);
const rounds = Number(process.argv[5] || 5);
const serverPid = process.argv[6] ? Number(process.argv[6]) : 0;
const WINDOW = Number(process.env.WINDOW || 500);
const WARMUP = Number(process.env.WARMUP || 3);
const GAP_MS = Number(process.env.GAP_MS || 300);
const SETTLE_MS = Number(process.env.SETTLE_MS || 100);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 10000);
const URL = `ws://127.0.0.1:${port}/ws/broadcast`;
const CLIENT = process.env.CLIENT || (mode === 'hold' ? 'ws' : 'raw');
const DISTURBED = Number(process.env.DISTURBED || 0.15);
const TICK_MS = 1000 / Number(process.env.CLK_TCK || 100);
const SERVER_CORE = Number(process.env.SERVER_CORE || 0);
const CLIENT_CORE = Number(process.env.CLIENT_CORE || 1);

if (mode !== 'hold' && mode !== 'fanout') {
  console.error('usage: client.js hold PORT N | client.js fanout PORT N ROUNDS [SERVER_PID]');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

// --- connecting, WINDOW at a time --------------------------------------------------------------
const sockets = [];
let closedByPeer = 0;
let expected = null;   // the payload of the broadcast being measured
let expectedBuf = null;
let received = 0;
let recvAt = null;     // Float64Array: when socket i got `expected` (ms, performance.now())
let onAll = null;

function openAll() {
  return new Promise((resolve) => {
    let started = 0, inFlight = 0, ok = 0, errors = 0;
    const errorKinds = {};
    const t0 = Date.now();
    const pump = () => {
      while (started < total && inFlight < WINDOW) {
        const index = started++;
        inFlight++;
        let settled = false;
        const settle = (good, kind) => {
          if (settled) return;
          settled = true;
          inFlight--;
          if (good) ok++;
          else { errors++; errorKinds[kind] = (errorKinds[kind] || 0) + 1; }
          if (ok + errors === total) resolve({ open: ok, errors, errorKinds, ms: Date.now() - t0 });
          else pump();
        };
        (CLIENT === 'raw' ? openRaw : openWs)(index, settle, () => { if (settled) closedByPeer++; else settle(false, 'closed'); });
      }
    };
    pump();
  });
}

// A message arrived on socket `index`: is it the payload being measured?
function got(index, buf, start, end) {
  if (expected !== null && recvAt[index] === 0 && end - start === expectedBuf.length
      && expectedBuf.equals(buf.subarray(start, end))) {
    recvAt[index] = performance.now();
    if (++received === total && onAll) onAll();
  }
}

// CLIENT=ws: the `ws` package's client.
function openWs(index, settle, closed) {
  const ws = new WebSocket(URL, { perMessageDeflate: false, handshakeTimeout: 30000 });
  ws.on('open', () => { sockets[index] = ws; settle(true); });
  ws.on('error', (e) => settle(false, e.code || e.message));
  ws.on('close', closed);
  ws.on('message', (data) => { if (expected !== null) got(index, data, 0, data.length); });
}

// CLIENT=raw: a minimal RFC 6455 client on a plain socket, so that receiving costs the client as
// little as possible: a fixed-key handshake (the 101 and its Sec-WebSocket-Accept are checked), then
// unmasked server frames parsed in place; pings are answered, other control frames end the socket.
const RAW_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const RAW_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';   // RFC 6455 §1.3's example
function openRaw(index, settle, closed) {
  const s = net.connect({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  let open = false, pend = null;
  const timer = setTimeout(() => { settle(false, 'timeout'); s.destroy(); }, 30000);
  s.on('connect', () => s.write(`GET /ws/broadcast HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`
    + `Connection: Upgrade\r\nSec-WebSocket-Key: ${RAW_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
  s.on('data', (d) => {
    let buf = pend ? Buffer.concat([pend, d]) : d;
    pend = null;
    let at = 0;
    if (!open) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) { pend = buf; return; }
      const head = buf.latin1Slice(0, end);
      if (!/^HTTP\/1\.1 101 /.test(head) || !head.includes(RAW_ACCEPT)) {
        clearTimeout(timer); settle(false, 'handshake: ' + head.split('\r\n')[0]); s.destroy(); return;
      }
      open = true;
      clearTimeout(timer);
      sockets[index] = s;
      settle(true);
      at = end + 4;
    }
    while (buf.length - at >= 2) {
      const op = buf[at] & 0x0f;
      let len = buf[at + 1] & 0x7f, h = 2;
      if (buf[at + 1] & 0x80) { s.destroy(); return; }        // servers must not mask
      if (len === 126) { if (buf.length - at < 4) break; len = buf.readUInt16BE(at + 2); h = 4; }
      else if (len === 127) { if (buf.length - at < 10) break; len = Number(buf.readBigUInt64BE(at + 2)); h = 10; }
      if (buf.length - at < h + len) break;
      const start = at + h, end = start + len;
      if (op === 0x1 || op === 0x2) got(index, buf, start, end);
      else if (op === 0x9) {                                    // ping: pong, masked with a zero key
        s.write(Buffer.concat([Buffer.from([0x8a, 0x80 | len, 0, 0, 0, 0]), buf.subarray(start, end)]));
      } else if (op === 0x8) { s.end(); return; }
      at = end;
    }
    if (at < buf.length) pend = buf.subarray(at);
  });
  s.on('error', (e) => { clearTimeout(timer); settle(false, e.code || e.message); });
  s.on('close', () => { if (open) closed(); });
}

// --- the POST, on a fresh connection, timed from the write ---------------------------------------
function post(body) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.setNoDelay(true);
    let buf = '';
    let sentAt = 0;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(sentAt ? `POST: no answer in ${TIMEOUT_MS} ms` : `POST: not connected in ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    s.on('connect', () => {
      const req = `POST /broadcast HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
      sentAt = performance.now();
      s.write(req);
    });
    s.setEncoding('latin1');
    s.on('data', (d) => {
      buf += d;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(buf.slice(0, end));
      if (m && buf.length < end + 4 + Number(m[1])) return;
      if (!m && !/transfer-encoding/i.test(buf.slice(0, end))) return;
      clearTimeout(timer);
      const answeredAt = performance.now();
      s.destroy();
      const n = /published to (\d+)/.exec(buf);
      resolve({ sentAt, answeredAt, subscribers: n ? Number(n[1]) : -1, status: buf.slice(0, buf.indexOf('\r\n')) });
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// utime and stime of the server process (all threads), in clock ticks.
function serverTicks() {
  if (!serverPid) return [0, 0];
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11]), Number(f[12])];
}

function serverCpuNs() {
  if (!serverPid) return 0;
  let sum = 0;
  for (const t of fs.readdirSync(`/proc/${serverPid}/task`)) {
    try {
      sum += Number(fs.readFileSync(`/proc/${serverPid}/task/${t}/schedstat`, 'latin1').split(' ')[0]);
    } catch (e) { /* the thread ended */ }
  }
  return sum;
}

// Busy time of each core so far, ms (all of /proc/stat's columns but idle and iowait).
function coreBusyMs() {
  const busy = [];
  for (const line of fs.readFileSync('/proc/stat', 'latin1').split('\n')) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    busy[Number(m[1])] = (v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3] - v[4]) * TICK_MS;
  }
  return busy;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const r3 = (x) => Math.round(x * 1000) / 1000;

async function broadcastOnce(seq, measured) {
  expected = `{"seq":${seq},"sentAtMs":${performance.timeOrigin + performance.now()}}`;
  expectedBuf = Buffer.from(expected, 'latin1');
  recvAt = new Float64Array(total);
  received = 0;
  const all = new Promise((resolve) => { onAll = resolve; });
  const cores0 = coreBusyMs();
  const wall0 = performance.now();
  const cpu0 = serverCpuNs();
  const ticks0 = serverTicks();
  const own0 = process.cpuUsage();
  let p;
  try {
    p = await post(expected);
  } catch (e) {
    expected = null;
    onAll = null;
    await sleep(1000);
    return { seq, measured, postError: String(e.message || e), disturbance: Infinity };
  }
  const timedOut = await Promise.race([all.then(() => false), sleep(TIMEOUT_MS).then(() => true)]);
  onAll = null;
  const ownUntilLast = process.cpuUsage(own0);
  await sleep(SETTLE_MS);
  const cpuMs = (serverCpuNs() - cpu0) / 1e6;
  const ticks1 = serverTicks();
  const own = process.cpuUsage(own0);
  const windowMs = performance.now() - wall0;
  const cores1 = coreBusyMs();
  const got = received;
  expected = null;
  const lat = [];
  for (let i = 0; i < total; i++) if (recvAt[i] > 0) lat.push(recvAt[i] - p.sentAt);
  lat.sort((a, b) => a - b);
  const core0OtherMs = Math.max(0, cores1[SERVER_CORE] - cores0[SERVER_CORE] - (serverPid ? cpuMs : 0));
  const core1OtherMs = Math.max(0, cores1[CLIENT_CORE] - cores0[CLIENT_CORE] - (own.user + own.system) / 1000);
  return {
    seq, measured, subscribers: p.subscribers, received: got, timedOut,
    firstMs: r3(lat[0]), p50Ms: r3(quantile(lat, 0.5)), p99Ms: r3(quantile(lat, 0.99)), lastMs: r3(lat[lat.length - 1]),
    postAnsweredMs: r3(p.answeredAt - p.sentAt), serverCpuMs: serverPid ? r3(cpuMs) : null,
    serverUserTicks: ticks1[0] - ticks0[0], serverSysTicks: ticks1[1] - ticks0[1],
    clientCpuMs: r3((ownUntilLast.user + ownUntilLast.system) / 1000),
    windowMs: r3(windowMs), core0OtherMs: Math.round(core0OtherMs), core1OtherMs: Math.round(core1OtherMs),
    disturbance: r3(Math.max(core0OtherMs, core1OtherMs) / windowMs),
  };
}

async function fanout() {
  const c = await openAll();
  out({ connected: true, client: CLIENT, ...c });
  // The server may still be closing the connections of an earlier phase: broadcast (unmeasured)
  // until it counts exactly our subscribers.
  let seq = 0, r;
  const deadline = Date.now() + 20000;
  do {
    r = await broadcastOnce(++seq, false);
    if (r.postError) out(r);
    if (r.subscribers !== c.open) await sleep(500);
  } while (r.subscribers !== c.open && Date.now() < deadline);
  if (r.subscribers !== c.open) out({ warning: `server counts ${r.subscribers} subscribers, we hold ${c.open}` });
  for (let i = 0; i < WARMUP; i++) { await sleep(GAP_MS); out(await broadcastOnce(++seq, false)); }
  const results = [];
  let quiet = 0;
  for (let i = 0; i < 3 * rounds && quiet < rounds; i++) {
    await sleep(GAP_MS);
    const x = await broadcastOnce(++seq, true);
    out(x);
    results.push(x);
    if (x.disturbance <= DISTURBED) quiet++;
  }
  const kept = results.filter((x) => !x.postError).sort((a, b) => a.disturbance - b.disturbance).slice(0, rounds)
    .sort((a, b) => a.seq - b.seq);
  const ticks = kept.reduce((a, x) => [a[0] + x.serverUserTicks, a[1] + x.serverSysTicks], [0, 0]);
  const pick = (k) => r3(median(kept.map((x) => x[k])));
  out({
    summary: true, client: CLIENT, subscribers: c.open, rounds: kept.length, attempts: results.length,
    postErrors: results.filter((x) => x.postError).length,
    disturbedKept: kept.filter((x) => x.disturbance > DISTURBED).length,
    allReceived: kept.every((x) => x.received === c.open),
    firstMs: pick('firstMs'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'), lastMs: pick('lastMs'),
    postAnsweredMs: pick('postAnsweredMs'), serverCpuMs: serverPid ? pick('serverCpuMs') : null,
    clientCpuMs: pick('clientCpuMs'), lastMsEach: kept.map((x) => x.lastMs),
    disturbanceEach: kept.map((x) => x.disturbance), closedByPeer,
    serverSysShare: ticks[0] + ticks[1] > 0 ? r3(ticks[1] / (ticks[0] + ticks[1])) : null,
    kept: kept.map((x) => ({ seq: x.seq, firstMs: x.firstMs, p50Ms: x.p50Ms, p99Ms: x.p99Ms, lastMs: x.lastMs,
      serverCpuMs: x.serverCpuMs, clientCpuMs: x.clientCpuMs, disturbance: x.disturbance,
      serverUserTicks: x.serverUserTicks, serverSysTicks: x.serverSysTicks })),
  });
  for (const ws of sockets) if (ws) (CLIENT === 'raw' ? ws.destroy() : ws.terminate());
  process.exit(0);
}

async function hold() {
  const c = await openAll();
  out({ ready: true, ...c });
  process.on('SIGTERM', () => {
    const stillOpen = sockets.filter((ws) => ws && (CLIENT === 'raw' ? !ws.destroyed : ws.readyState === WebSocket.OPEN)).length;
    out({ done: true, stillOpen, closedByPeer, rssMB: Math.round(process.memoryUsage().rss / 1048576) });
    for (const ws of sockets) if (ws) (CLIENT === 'raw' ? ws.destroy() : ws.terminate());
    process.exit(0);
  });
  setTimeout(() => { out({ done: true, reason: 'held 600 s, giving up' }); process.exit(1); }, 600000);
}

(mode === 'hold' ? hold() : fanout()).catch((e) => { out({ error: String(e && e.stack || e) }); process.exit(1); });
