// bench/ws/chat.js: chat.send -> chat.message latency on the other participant's socket.
//
//   node chat.js WS_URL PAIRS_FILE RATE SECONDS
//
// PAIRS_FILE has "sender_id sender_token receiver_id receiver_token" lines: friends,
// every user in one pair only. Both users of every pair hold one socket. Every 1/RATE s
// (open loop: the schedule never waits for answers) the next pair's sender sends
// chat.send with a unique client_id; latency = the chat.message's arrival on the
// receiver's socket - the send's scheduled time (the commit and the whole event path
// included); the echo on the sender's socket is timed too. Prints one JSON line:
// {"expected", "delivered", "p50_ms", "p99_ms", "max_ms", "echo_p50_ms", "echo_p99_ms",
//  "errors", "out_of_order"}.
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const [wsUrl, pairsFile, rateArg, secondsArg] = process.argv.slice(2);
const pairs = fs.readFileSync(pairsFile, 'utf8').trim().split('\n').map((l) => {
  const [s, st, r, rt] = l.split(' ');
  return { sender: Number(s), senderToken: st, receiver: Number(r), receiverToken: rt };
});
const rate = Number(rateArg), seconds = Number(secondsArg);
const now = () => Number(process.hrtime.bigint()) / 1e6;
// client_ids unique to this run: a key used before would be answered as a retry.
const runTag = `${process.pid}-${Date.now()}`;

const scheduledOf = new Map();   // client_id -> scheduled ms
const latencies = [], echoes = [];
let expected = 0, errors = 0, outOfOrder = 0;

function open(token, onMessage) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}?token=${token}`, { perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('message', (data) => onMessage(now(), JSON.parse(data)));
  });
}

async function openPair(p) {
  let lastId = 0;
  p.senderWs = await open(p.senderToken, (t, msg) => {
    if (msg.type === 'error') { errors++; return; }
    if (msg.type !== 'chat.message') return;
    const s = scheduledOf.get(msg.message.client_id);
    if (s !== undefined) echoes.push(t - s.at);
  });
  p.receiverWs = await open(p.receiverToken, (t, msg) => {
    if (msg.type !== 'chat.message') return;
    if (msg.message.id <= lastId) outOfOrder++;
    lastId = msg.message.id;
    const s = scheduledOf.get(msg.message.client_id);
    if (s !== undefined && !s.arrived) { s.arrived = true; latencies.push(t - s.at); }
  });
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2));
}

async function main() {
  for (let i = 0; i < pairs.length; i += 50) await Promise.all(pairs.slice(i, i + 50).map(openPair));
  // Opening sockets makes presence transitions (bus calls, outbox rows): let them
  // settle, so the schedule measures sends and not the opening.
  await new Promise((r) => setTimeout(r, 3000));
  const start = now() + 100, total = Math.round(rate * seconds);
  for (let k = 0; k < total; k++) {
    const at = start + (k * 1000) / rate;
    const wait = at - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = pairs[k % pairs.length], clientId = `bench-${runTag}-${k}`;
    scheduledOf.set(clientId, { at, arrived: false });
    expected++;
    p.senderWs.send(JSON.stringify({ type: 'chat.send', to: p.receiver, text: `message ${k}`, client_id: clientId }));
  }
  await new Promise((r) => setTimeout(r, 3000));
  latencies.sort((a, b) => a - b);
  echoes.sort((a, b) => a - b);
  console.log(JSON.stringify({
    expected, delivered: latencies.length,
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99),
    max_ms: latencies.length ? Number(latencies[latencies.length - 1].toFixed(2)) : null,
    echo_p50_ms: percentile(echoes, 0.5), echo_p99_ms: percentile(echoes, 0.99),
    errors, out_of_order: outOfOrder,
  }));
  for (const p of pairs) { p.senderWs.close(); p.receiverWs.close(); }
  process.exit(0);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
