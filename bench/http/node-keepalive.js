// Preloaded with `node -r bench/http/node-keepalive.js bench/node/plaintext.js` by bench/http/run.sh:
// raises server.keepAliveTimeout from Node's 5 s default to $NODE_KEEPALIVE_MS (default 60000, like
// Bench.java's 60 s) so idle connections stay open through the 10,000-connection cell.
'use strict';
const http = require('http');
const ms = Number(process.env.NODE_KEEPALIVE_MS || 60000);
const createServer = http.createServer;
http.createServer = function (...args) {
  const server = createServer.apply(this, args);
  server.keepAliveTimeout = ms;
  server.headersTimeout = Math.max(server.headersTimeout, ms + 1000);
  return server;
};
