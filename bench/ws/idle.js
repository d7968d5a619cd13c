// bench/ws/idle.js: opens idle authenticated WebSockets and holds them.
//
//   node idle.js URL TOKENS_FILE FIRST COUNT LOCAL_ADDRESS HOLD_S [CONCURRENCY=200]
//
// Opens COUNT sockets to URL (ws://host:port/ws/main/), the i-th with the token on line
// (FIRST + i) mod lines of TOKENS_FILE ("id token" lines), from LOCAL_ADDRESS (a
// 127.0.0.x address: one source address has ~28,000 ephemeral ports), at most
// CONCURRENCY handshakes at once. Prints one JSON line when every socket is open or has
// failed ({"opened", "failed", "seconds", "handshakes_per_s"}), then holds them for
// HOLD_S seconds (or until SIGTERM), prints {"closed_early"} and exits.
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const [url, tokensFile, firstArg, countArg, localAddress, holdArg, concArg] = process.argv.slice(2);
const tokens = fs.readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => l.split(' ')[1]);
const first = Number(firstArg), count = Number(countArg), holdS = Number(holdArg);
const concurrency = Number(concArg || 200);

let next = 0, inFlight = 0, opened = 0, failed = 0, closedEarly = 0, reported = false;
const sockets = [];
const started = process.hrtime.bigint();

function report() {
  if (reported || opened + failed < count) return;
  reported = true;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ opened, failed, seconds, handshakes_per_s: opened / seconds }));
  setTimeout(finish, holdS * 1000);
}

function finish() {
  console.log(JSON.stringify({ closed_early: closedEarly }));
  for (const s of sockets) s.terminate();
  process.exit(0);
}
process.on('SIGTERM', finish);

function openOne() {
  while (inFlight < concurrency && next < count) {
    const token = tokens[(first + next) % tokens.length];
    next++;
    inFlight++;
    const ws = new WebSocket(`${url}?token=${token}`, { localAddress, perMessageDeflate: false });
    let settled = false;
    ws.on('open', () => { settled = true; inFlight--; opened++; sockets.push(ws); report(); openOne(); });
    ws.on('error', () => {
      if (settled) return;
      settled = true; inFlight--; failed++; report(); openOne();
    });
    ws.on('close', () => { if (settled && reported) closedEarly++; });
    ws.on('message', () => {});
  }
}
openOne();
