// Summarizes a bench/http/run.sh results directory: node bench/http/summarize.js DIR
// Reads DIR/results.tsv, DIR/hold.tsv and DIR/transport.tsv, prints markdown tables (medians,
// min-max, ratios). With eventide-native in the run, a second ratio table compares it with
// Eventide on NIO, Node and Netty.
'use strict';
const fs = require('fs');
const dir = process.argv[2];

function readTsv(file) {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const head = lines.shift().split('\t');
  return lines.filter(Boolean).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) + 'x' : '-');

const rows = readTsv(`${dir}/results.tsv`);
const CELLS = [
  ['plaintext-c1000', 'plaintext, keep-alive, 1,000 connections'],
  ['pipeline16-c256', 'plaintext, 16-deep pipelining, 256 connections'],
  ['json-c1000', 'json, keep-alive, 1,000 connections'],
  ['plaintext-c10000', 'plaintext, keep-alive, 10,000 connections'],
  ['https-c1000', 'HTTPS plaintext, keep-alive, 1,000 connections'],
  ['handshake-c32', 'HTTPS, a new connection and TLS handshake per request (req/s = handshakes/s), 32 connections'],
];
const SERVERS = ['eventide', 'eventide-native', 'node', 'netty'];
const NAMES = { eventide: 'Eventide', 'eventide-native': 'Eventide native epoll', node: 'Node.js', netty: 'Netty' };
const stats = {};
for (const [cell] of CELLS) {
  for (const srv of SERVERS) {
    const rs = rows.filter((r) => r.cell === cell && r.server === srv && r.status === 'ok');
    const failed = rows.filter((r) => r.cell === cell && r.server === srv && r.status !== 'ok').length;
    if (!rs.length && !failed) continue;
    const rps = rs.map((r) => Number(r.rps));
    stats[cell + '/' + srv] = {
      n: rs.length, failed,
      rps: median(rps), min: Math.min(...rps), max: Math.max(...rps),
      p50: median(rs.map((r) => Number(r.p50_ms))),
      p99: median(rs.map((r) => Number(r.p99_ms))),
      cpu: median(rs.map((r) => Number(r.cpu_us_per_req))),
      util: median(rs.map((r) => Number(r.server_cpu_pct))),
      other: median(rs.map((r) => Number(r.core0_other_pct))),
      errors: rs.reduce((a, r) => a + Number(r.errors), 0),
    };
  }
}

const out = [];
out.push('| cell | server | req/s median (min-max) | p50 ms | p99 ms | server CPU µs/req | server CPU % | others on core 0 % | errors (all rounds) |');
out.push('|---|---|---|---|---|---|---|---|---|');
for (const [cell, label] of CELLS) {
  for (const srv of SERVERS) {
    const s = stats[cell + '/' + srv];
    if (!s) continue;
    out.push(`| ${label} | ${NAMES[srv]} | ${fmtInt(s.rps)} (${fmtInt(s.min)}-${fmtInt(s.max)}) | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.cpu, 2)} | ${fmt(s.util, 0)} | ${fmt(s.other, 0)} | ${s.errors}${s.failed ? ` (+${s.failed} failed runs)` : ''} |`);
  }
}
const ran = (srv) => Object.keys(stats).some((k) => k.endsWith('/' + srv));
if (ran('eventide')) {
  out.push('');
  out.push('| cell | req/s Eventide/Node | p99 Eventide/Node | req/s Eventide/Netty | CPU/req Eventide/Node | CPU/req Eventide/Netty |');
  out.push('|---|---|---|---|---|---|');
  for (const [cell, label] of CELLS) {
    const e = stats[cell + '/eventide'], n = stats[cell + '/node'], t = stats[cell + '/netty'];
    if (!e) continue;
    out.push(`| ${label} | ${ratio(e.rps, n && n.rps)} | ${ratio(e.p99, n && n.p99)} | ${ratio(e.rps, t && t.rps)} | ${ratio(e.cpu, n && n.cpu)} | ${ratio(e.cpu, t && t.cpu)} |`);
  }
}

if (ran('eventide-native')) {
  out.push('');
  out.push('| cell | req/s native/NIO | CPU/req native/NIO | p99 native/NIO | req/s native/Node | p99 native/Node | CPU/req native/Node | req/s native/Netty | CPU/req native/Netty |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const [cell, label] of CELLS) {
    const v = stats[cell + '/eventide-native'], e = stats[cell + '/eventide'], n = stats[cell + '/node'], t = stats[cell + '/netty'];
    if (!v) continue;
    out.push(`| ${label} | ${ratio(v.rps, e && e.rps)} | ${ratio(v.cpu, e && e.cpu)} | ${ratio(v.p99, e && e.p99)} | ${ratio(v.rps, n && n.rps)} | ${ratio(v.p99, n && n.p99)} | ${ratio(v.cpu, n && n.cpu)} | ${ratio(v.rps, t && t.rps)} | ${ratio(v.cpu, t && t.cpu)} |`);
  }
  // "native" = Eventide's epoll transport, "NIO" = Eventide on the JDK's Selector (server eventide).
  const onNio = readTsv(`${dir}/transport.tsv`).filter((r) => r.server === 'eventide-native' && r.transport === 'nio');
  if (onNio.length) {
    out.push('');
    out.push(`**Warning:** in ${onNio.length} round(s) eventide-native ran on NIO (its loop thread waited in the JDK's Selector: this eventide-core ignores \`-Deventide.core.transport=epoll\`), so its "native" columns measure NIO. See transport.tsv.`);
  }
}

const holds = readTsv(`${dir}/hold.tsv`);
if (holds.length) {
  out.push('');
  out.push(`| ${Number(holds[0].conns).toLocaleString('en-US')} idle keep-alive connections | RSS before MiB | RSS after MiB | RSS growth KiB/conn median (min-max) | live Java heap KiB/conn | got 200 | errors | still open at end |`);
  out.push('|---|---|---|---|---|---|---|---|');
  for (const srv of SERVERS) {
    const hs = holds.filter((h) => h.server === srv);
    if (!hs.length) continue;
    const per = hs.map((h) => Number(h.kib_per_conn));
    const sum = (k) => hs.reduce((a, h) => a + Number(h[k]), 0);
    const heap = median(hs.map((h) => Number(h.heap_kib_per_conn)).filter(Number.isFinite));
    out.push(`| ${NAMES[srv]} | ${fmt(median(hs.map((h) => h.rss_before_kib / 1024)))} | ${fmt(median(hs.map((h) => h.rss_after_kib / 1024)))} | ${fmt(median(per), 2)} (${fmt(Math.min(...per), 2)}-${fmt(Math.max(...per), 2)}) | ${fmt(heap, 2)} | ${sum('ok')}/${sum('conns')} | ${sum('errors')} | ${sum('still_open')}/${sum('conns')} |`);
  }
}
console.log(out.join('\n'));
