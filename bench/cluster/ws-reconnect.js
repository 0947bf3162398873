// bench/cluster/ws-reload.sh's client: opens N WebSockets to ws://127.0.0.1:PORT/ws (at most 200
// handshakes in flight), reconnects each one the server closes with 1001 Going Away, and prints a
// JSON line {"open":..,"closes":{code:count},"errors":..,"reconnected":..} every second; on SIGTERM
// it prints the last line with "done":true and exits. Uses the `ws` package of bench/ws.
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'ws', 'node_modules', 'ws'));
const port = Number(process.argv[2]);
const n = Number(process.argv[3]);
const url = `ws://127.0.0.1:${port}/ws`;
let open = 0, errors = 0, reconnected = 0, pending = 0, started = 0;
const closes = {};
function connect(again) {
  pending++;
  const ws = new WebSocket(url);
  let opened = false;
  ws.on('open', () => { opened = true; pending--; open++; if (again) reconnected++; pump(); });
  ws.on('error', () => { errors++; if (!opened) { pending--; pump(); } });
  ws.on('close', (code) => {
    closes[code] = (closes[code] || 0) + 1;
    if (opened) open--;
    if (code === 1001) connect(true);
  });
}
function pump() { while (started < n && pending < 200) { started++; connect(false); } }
pump();
const report = (done) => console.log(JSON.stringify({ open, closes, errors, reconnected, done: !!done }));
setInterval(report, 1000);
process.on('SIGTERM', () => { report(true); process.exit(0); });
