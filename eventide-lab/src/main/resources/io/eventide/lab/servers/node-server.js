// The standard workload on Node.js http, for the lab (io.eventide.lab). Same endpoints and the
// same code as bench/node/plaintext.js, plus what the lab needs of every model: the shared accept
// backlog and keep-alive timeout, a READY line, and the control channel on stdin (LAB_CONTROL=1):
// "stats" -> a full GC (node --expose-gc), then one "LAB STATS ..." line.
// One process, one thread: the reference for one Eventide loop.
'use strict';
const http = require('http');
const port = Number(process.env.PORT || 8080);
const BACKLOG = 4096;
const IDLE_TIMEOUT_MS = 120 * 1000;

function cpu(n) {
  let h = 0x9E3779B97F4A7C15n;
  const M = (1n << 64n) - 1n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 128; j++) {
      h ^= h >> 33n;
      h = (h * 0xff51afd7ed558ccdn) & M;
      h = (h + BigInt(j)) & M;
    }
  }
  return BigInt.asIntN(64, h).toString();
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  switch (url.pathname) {
    case '/plaintext':
      res.writeHead(200, {'Content-Type': 'text/plain'});
      res.end('Hello, World!');
      return;
    case '/json':
      res.writeHead(200, {'Content-Type': 'application/json'});
      res.end(JSON.stringify({message: 'Hello, World!'}));
      return;
    case '/echo':
      res.writeHead(200, {'Content-Type': req.headers['content-type'] || 'application/octet-stream'});
      req.pipe(res);
      return;
    case '/delay': {
      const ms = Number(url.searchParams.get('ms') || 0);
      setTimeout(() => res.end(`delayed ${ms} ms\n`), ms);
      return;
    }
    case '/cpu': {
      const n = Number(url.searchParams.get('n') || 1000);
      res.end(`cpu ${n} = ${cpu(n)} (loop)\n`);
      return;
    }
    default:
      res.writeHead(404);
      res.end('Not Found\n');
  }
});
server.keepAliveTimeout = IDLE_TIMEOUT_MS;
server.headersTimeout = IDLE_TIMEOUT_MS + 1000;

server.listen(port, '127.0.0.1', BACKLOG, () => {
  console.log(`LAB READY model=node port=${server.address().port} pid=${process.pid} node=${process.version}`);
  if (process.env.LAB_CONTROL !== '1') {
    return;
  }
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line === 'stats') {
        if (global.gc) { global.gc(); }
        const m = process.memoryUsage();
        console.log(`LAB STATS heapUsed=${m.heapUsed} heapCommitted=${m.heapTotal} threads=0`);
      }
    }
  });
  // The orchestrator went away without stopping us: never outlive it.
  process.stdin.on('end', () => process.exit(0));
});
