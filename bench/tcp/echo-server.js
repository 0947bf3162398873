// TCP echo server with Node.js `net`, the reference for bench/tcp/EchoServer.java (one Eventide loop).
// PORT (default 7000). One process, one thread. Same flow control as the Java one: write, pause on
// a full buffer, resume on 'drain'; TCP_NODELAY on, as Eventide's default.
'use strict';
const net = require('net');
const port = Number(process.env.PORT || 7000);

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('data', (chunk) => {
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on('drain', () => socket.resume());
  socket.on('error', () => socket.destroy());
});

server.listen(port, '127.0.0.1', () => {
  console.log(`echo-server: listening on port ${port}, node ${process.version}, pid ${process.pid}`);
});
