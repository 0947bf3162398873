// Summarizes bench/ws/run.sh's results.jsonl as Markdown: medians over repetitions per configuration.
//   node bench/ws/summarize.js results.jsonl [more-results.jsonl ...] [env.txt]
// Several results files (say, a full run and a --phases fanout run) are pooled.
'use strict';
const fs = require('fs');

const args = process.argv.slice(2);
const rows = args.filter((a) => a.endsWith('.jsonl'))
  .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const envFile = args.find((a) => a.endsWith('.txt'));
const env = envFile && fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const kb = (x) => (Number.isFinite(x) ? (x / 1024).toFixed(1) : 'n/a');

// Fan-out: the kept broadcasts of all runs pooled; the quiet ones (others took at most 15% of either
// core meanwhile) when there are at least 3 of them, else all.
function fanoutStats(fo) {
  const all = fo.flatMap((x) => x.kept || []);
  const quiet = all.filter((k) => k.disturbance <= 0.15);
  const use = quiet.length >= 3 ? quiet : all;
  const ticks = use.reduce((a, k) => [a[0] + (k.serverUserTicks || 0), a[1] + (k.serverSysTicks || 0)], [0, 0]);
  return {
    pooled: all.length,
    quiet: quiet.length,
    usedQuiet: use === quiet,
    first: median(use.map((k) => k.firstMs)),
    p50: median(use.map((k) => k.p50Ms)),
    p99: median(use.map((k) => k.p99Ms)),
    last: median(use.map((k) => k.lastMs)),
    lastMin: Math.min(...use.map((k) => k.lastMs)),
    lastMax: Math.max(...use.map((k) => k.lastMs)),
    srvCpu: median(use.map((k) => k.serverCpuMs)),
    cliCpu: median(use.map((k) => k.clientCpuMs)),
    sysShare: ticks[0] + ticks[1] > 0 ? ticks[1] / (ticks[0] + ticks[1]) : NaN,
    lastAll: median(all.map((k) => k.lastMs)),
    postErrors: fo.reduce((a, x) => a + (x.postErrors || 0), 0),
  };
}

const configs = [...new Set(rows.map((r) => r.config))];
const agg = {};
for (const c of configs) {
  const rs = rows.filter((r) => r.config === c);
  const ms = rs.map((r) => r.memory).filter(Boolean);
  const fo = rs.map((r) => r.fanout).filter((x) => x && x.summary);
  const per = (k1, k0) => median(ms.map((m) => ((m[k1] - m[k0]) * 1024) / m.conns));
  agg[c] = {
    reps: rs.length,
    memRuns: rs.filter((r) => r.memory).length,
    fanRuns: rs.filter((r) => r.fanout && r.fanout.summary).length,
    command: rs[0].command,
    mem: ms.length > 0,
    fan: fo.length > 0,
    conns: ms.length ? ms[0].conns : NaN,
    subs: fo.length ? fo[0].subscribers : NaN,
    held: median(ms.map((m) => (m.hold && m.hold.open) || NaN)),
    rss0: median(ms.map((m) => m.rss0 / 1024)),
    rss1: median(ms.map((m) => m.rss1 / 1024)),
    rssPer: per('rss1', 'rss0'),
    anonPer: per('anon1', 'anon0'),
    rssGcPer: per('rss1gc', 'rss0gc'),
    heapPer: per('heap1', 'heap0'),
    extPer: c === 'node' ? per('ext1', 'ext0') : NaN,
    heap0: median(ms.map((m) => m.heap0 / 1024)),
    heap1: median(ms.map((m) => m.heap1 / 1024)),
    ...fanoutStats(fo),
    received: fo.every((x) => x.allReceived),
  };
}

const out = [];
if (env) out.push('```', env.trim(), '```', '');
const memC = configs.filter((c) => agg[c].mem);
const fanC = configs.filter((c) => agg[c].fan);
if (memC.length) {
  out.push(`### Memory: ${f0(agg[memC[0]].conns)} idle WebSocket connections (medians of ${[...new Set(memC.map((c) => agg[c].memRuns))].join('/')} run(s))`, '');
  out.push('| server | held | RSS before | RSS with conns | **RSS / conn** | RssAnon / conn | RSS / conn, both after full GC | **heap / conn** (live, after full GC) | heap before → with, after GC |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const c of memC) {
    const a = agg[c];
    out.push(`| ${c} | ${f0(a.held)} | ${f1(a.rss0)} MB | ${f1(a.rss1)} MB | **${kb(a.rssPer)} KB** | ${kb(a.anonPer)} KB | ${kb(a.rssGcPer)} KB | **${kb(a.heapPer)} KB**${Number.isFinite(a.extPer) ? ` (+ ${kb(a.extPer)} KB external)` : ''} | ${f1(a.heap0)} → ${f1(a.heap1)} MB |`);
  }
  out.push('');
}
if (fanC.length) {
  const fc = rows.map((r) => r.fanout && r.fanout.client).find(Boolean);
  out.push(`### Fan-out: one message to ${f0(agg[fanC[0]].subs)} subscribers (${fc} client; ms after the POST was written; medians over broadcasts and runs)`, '');
  out.push(`Runs: ${fanC.map((c) => `${c} ${agg[c].fanRuns}`).join(', ')}. Each broadcast kept by a run (the 5 least disturbed of up to 15) is pooled over the runs; the medians are over the quiet ones (other processes took at most 15 % of core 0 and of core 1 during it), or over all when fewer than 3 were quiet.`, '');
  out.push('| server | broadcasts used (quiet / kept) | first | p50 receiver | p99 receiver | **last receiver** | last, min – max | server CPU / broadcast | of it in the kernel | client CPU / broadcast | last, median of all kept | POST errors | all received |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of fanC) {
    const a = agg[c];
    out.push(`| ${c} | ${a.usedQuiet ? a.quiet : a.pooled} (${a.quiet} / ${a.pooled})${a.usedQuiet ? '' : ' all'} | ${f1(a.first)} | ${f1(a.p50)} | ${f1(a.p99)} | **${f1(a.last)}** | ${f0(a.lastMin)} – ${f0(a.lastMax)} | ${f1(a.srvCpu)} | ${Number.isFinite(a.sysShare) ? Math.round(a.sysShare * 100) + ' %' : 'n/a'} | ${f1(a.cliCpu)} | ${f1(a.lastAll)} | ${a.postErrors} | ${a.received ? 'yes' : 'NO'} |`);
  }
  out.push('');
}
out.push('Server commands (`-cp ...`: the snapshot of the Eventide jars plus the compiled Bench.java):', '');
for (const c of configs) out.push(`- ${c}: \`${agg[c].command}\``);
out.push('');
if (agg.node) {
  out.push('### Ratios, Eventide / Node (below 1: Eventide smaller or faster)', '');
  out.push('| server | RSS / conn | heap / conn | fan-out last | fan-out p50 | server CPU / broadcast |');
  out.push('|---|---|---|---|---|---|');
  const n = agg.node;
  const r = (x, y) => (Number.isFinite(x / y) ? (x / y).toFixed(2) : 'n/a');
  for (const c of configs.filter((x) => x !== 'node')) {
    const a = agg[c];
    out.push(`| ${c} | ${r(a.rssPer, n.rssPer)} | ${r(a.heapPer, n.heapPer)} | ${r(a.last, n.last)} | ${r(a.p50, n.p50)} | ${r(a.srvCpu, n.srvCpu)} |`);
  }
}
console.log(out.join('\n'));
