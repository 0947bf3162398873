// Node's cluster module with WORKERS workers (default 2) running bench/node/plaintext.js on PORT:
// the primary accepts and hands connections to the workers round-robin (Node's default on Linux).
'use strict';
const cluster = require('cluster');
const path = require('path');
const workers = Number(process.env.WORKERS || 2);
if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => { if (++listening === workers) console.log(`node cluster: ${workers} workers listening`); });
  process.on('SIGTERM', () => { for (const id in cluster.workers) cluster.workers[id].kill(); process.exit(0); });
} else {
  require(path.join(__dirname, '..', 'node', 'plaintext.js'));
}
