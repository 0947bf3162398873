// The Node.js side of the WebSocket benchmark (bench/ws/run.sh): Node's http server plus the `ws`
// package (8.x, installed into bench/ws/node_modules by run.sh), serving what examples/Bench.java
// serves for WebSockets:
//   GET  /ws/echo       echoes every text and binary message back
//   GET  /ws/broadcast  subscribes the socket to the broadcast
//   POST /broadcast     sends the request body, as one text message, to every /ws/broadcast socket;
//                       answers "published to N subscribers"
// plus one route Eventide does not need (its heap is read with jcmd):
//   GET  /stats         runs a full GC when started with --expose-gc, then answers
//                       process.memoryUsage() as JSON
//
//   PORT=8080 node --expose-gc bench/ws/node-server.js
//
// The broadcast is the idiom of the ws README ("Server broadcast"): wss.clients.forEach(send). It
// frames the message once per socket; ws has no public encode-once API. Like ws's defaults,
// permessage-deflate is off and the server sends no keep-alive pings (Eventide pings every 30 s by
// default; the benchmark holds connections for less than that).
'use strict';
const http = require('http');
const path = require('path');
const { WebSocketServer, WebSocket } = require(path.join(__dirname, 'node_modules', 'ws'));

const port = Number(process.env.PORT || 8080);
const echo = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const broadcast = new WebSocketServer({ noServer: true, perMessageDeflate: false });

echo.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
broadcast.on('connection', (ws) => {
  ws.on('error', () => {});
});

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let n = 0;
      broadcast.clients.forEach((client) => {
        if (client.readyState === WebSocket.OPEN) {
          client.send(text);
          n++;
        }
      });
      res.setHeader('Content-Type', 'text/plain');
      res.end(`published to ${n} subscribers\n`);
    });
  } else if (req.method === 'GET' && req.url === '/stats') {
    if (typeof global.gc === 'function') {
      global.gc();
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ gc: typeof global.gc === 'function', pid: process.pid, ...process.memoryUsage() }) + '\n');
  } else {
    res.statusCode = 404;
    res.end('not found\n');
  }
});

server.on('upgrade', (req, socket, head) => {
  const wss = req.url === '/ws/echo' ? echo : req.url === '/ws/broadcast' ? broadcast : null;
  if (!wss) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

server.listen(port, () => {
  console.log(`node-server: listening on port ${port}, Node ${process.version}, ws ${require(path.join(__dirname, 'node_modules', 'ws', 'package.json')).version}, pid ${process.pid}`);
});
