// Opens N keep-alive connections to an HTTP server, sends one GET on each, checks that every one
// gets a complete 200 response, then holds them all open (idle) until SIGTERM.
//   node bench/http/hold.js PORT N [PATH]      (at most 1,000 connects in flight at a time)
// Prints one JSON line when all are settled: {"ready":true,"ok":..,"errors":..,"open":..,"ms":..},
// and one on SIGTERM: {"done":true,"stillOpen":..,"closedByPeer":..}. Exits by itself after 300 s.
'use strict';
const net = require('net');
const port = Number(process.argv[2] || 8080);
const total = Number(process.argv[3] || 10000);
const path = process.argv[4] || '/plaintext';
const WINDOW = 1000;
const REQ = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);

const sockets = [];
let started = 0, inFlight = 0, ok = 0, errors = 0, closedByPeer = 0, ready = false;
const errorKinds = {};
const t0 = Date.now();

function fail(kind) {
  errors++;
  errorKinds[kind] = (errorKinds[kind] || 0) + 1;
}

function settle(state, good, kind) {
  if (state.settled) return;
  state.settled = true;
  clearTimeout(state.timer);
  inFlight--;
  if (good) ok++; else fail(kind);
  pump();
}

function open() {
  const state = { settled: false, buf: Buffer.alloc(0) };
  const s = net.connect({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  state.timer = setTimeout(() => { state.mine = true; settle(state, false, 'timeout'); s.destroy(); }, 30000);
  s.on('connect', () => s.write(REQ));
  s.on('data', (d) => {
    if (state.settled) return;
    state.buf = Buffer.concat([state.buf, d]);
    const end = state.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = state.buf.subarray(0, end).toString('latin1');
    const m = /content-length:\s*(\d+)/i.exec(head);
    const len = m ? Number(m[1]) : 0;
    if (state.buf.length < end + 4 + len) return;
    const good = /^HTTP\/1\.1 200 /.test(head);
    if (good) sockets.push(s); else { state.mine = true; s.destroy(); }
    settle(state, good, good ? '' : 'status ' + head.split('\r\n')[0]);
  });
  s.on('error', (e) => settle(state, false, e.code || String(e)));
  s.on('close', () => {
    if (!state.settled) settle(state, false, 'closed before response');
    else if (!state.mine) closedByPeer++;
  });
}

function pump() {
  while (started < total && inFlight < WINDOW) {
    started++;
    inFlight++;
    open();
  }
  if (!ready && started === total && inFlight === 0) {
    ready = true;
    console.log(JSON.stringify({ ready: true, ok, errors, errorKinds, open: sockets.length, ms: Date.now() - t0 }));
  }
}

process.on('SIGTERM', () => {
  const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
  console.log(JSON.stringify({ done: true, stillOpen, closedByPeer }));
  for (const s of sockets) s.destroy();
  process.exit(0);
});
setTimeout(() => process.kill(process.pid, 'SIGTERM'), 300000).unref();
setInterval(() => {}, 1 << 30);
pump();
