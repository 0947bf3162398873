// Node.js http server with the same endpoints as examples/Bench.java (the standard workload).
// PORT (default 8080). One process, one thread: the reference for one Eventide loop.
// TLS_CERT and TLS_KEY (PEM files): the same over HTTPS (bench/http/run.sh --tls).
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');
const port = Number(process.env.PORT || 8080);

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

const INDEX = 'Node.js standard workload: /plaintext /json /echo /delay?ms=N /cpu?n=N\n';

const tls = process.env.TLS_CERT
  ? { cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY), ALPNProtocols: ['http/1.1'] }
  : null;
const handler = (req, res) => {
  const url = new URL(req.url, 'http://x');
  switch (url.pathname) {
    case '/plaintext':
      res.writeHead(200, {'Content-Type': 'text/plain', 'Server': 'node'});
      res.end('Hello, World!');
      return;
    case '/json':
      res.writeHead(200, {'Content-Type': 'application/json', 'Server': 'node'});
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
    case '/':
      res.end(INDEX);
      return;
    default:
      res.writeHead(404);
      res.end('Not Found\n');
  }
};
(tls ? https.createServer(tls, handler) : http.createServer(handler))
  .listen(port, '0.0.0.0', () => console.log(`node: listening on ${port}${tls ? ' (https)' : ''}, pid ${process.pid}`));
