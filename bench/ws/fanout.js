// bench/ws/fanout.js: live notification latency, from the scheduled time of the REST
// call that creates a notification to its arrival on the receiver's socket.
//
//   node fanout.js HTTP_URL WS_URLS TOKENS_FILE RATE SECONDS
//
// Every user of TOKENS_FILE ("id token" lines, an even number of users, none of them
// friends) holds one socket, spread over WS_URLS (comma separated: several gateways).
// User i of the first half sends friend requests to user i of the second half: every
// 1/RATE s (open loop: the schedule never waits for answers, so a slow server shows
// as latency, not as fewer requests) one pair does POST /api/friends/request/, which
// creates a friend_request notification for the receiver, then DELETE of that request,
// so the pair can go again. Latency = arrival on the receiver's socket - the POST's
// scheduled time (the commit and the whole path included). Prints one JSON line:
// {"expected", "delivered", "p50_ms", "p99_ms", "max_ms", "rest_errors", "rest_p50_ms",
// "rest_p99_ms"} (the last two: scheduled time to the POST's answer, for comparison).
'use strict';
const fs = require('fs');
const http = require('http');
const WebSocket = require('ws');

const [httpUrl, wsUrls, tokensFile, rateArg, secondsArg] = process.argv.slice(2);
const users = fs.readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => {
  const [id, token] = l.split(' ');
  return { id: Number(id), token };
});
const rate = Number(rateArg), seconds = Number(secondsArg);
const half = Math.floor(users.length / 2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const url = new URL(httpUrl);

function rest(method, path, token, body) {
  return new Promise((resolve) => {
    const data = body ? JSON.stringify(body) : null;
    const req = http.request({
      host: url.hostname, port: url.port, method, path, agent,
      headers: Object.assign({ Authorization: `Bearer ${token}` },
        data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (data) req.write(data);
    req.end();
  });
}

const scheduledOf = new Map();   // friend request id -> scheduled ms
const arrivedOf = new Map();     // friend request id -> arrival ms (arrived before the POST answered)
const latencies = [];
const restLatencies = [];     // scheduled time -> the POST's answer (the commit included)
let expected = 0, restErrors = 0;
const now = () => Number(process.hrtime.bigint()) / 1e6;

function record(arrived, scheduled) {
  latencies.push(arrived - scheduled);
}

function openSockets() {
  const urls = wsUrls.split(',');
  return Promise.all(users.map((u, i) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`${urls[i % urls.length]}?token=${u.token}`, { perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const t = now();
      const msg = JSON.parse(data);
      if (msg.type !== 'notification' || msg.notification.type !== 'friend_request') return;
      const id = msg.notification.data.friend_request_id;
      if (scheduledOf.has(id)) { record(t, scheduledOf.get(id)); scheduledOf.delete(id); }
      else arrivedOf.set(id, t);
    });
  })));
}

async function pairCycle(pair, scheduled) {
  const sender = users[pair], receiver = users[half + pair];
  const res = await rest('POST', '/api/friends/request/', sender.token, { receiver: receiver.id });
  if (res.status !== 201) { restErrors++; return; }
  restLatencies.push(now() - scheduled);
  expected++;
  const id = JSON.parse(res.text).id;
  if (arrivedOf.has(id)) { record(arrivedOf.get(id), scheduled); arrivedOf.delete(id); }
  else scheduledOf.set(id, scheduled);
  const del = await rest('DELETE', `/api/friends/request/${id}/`, sender.token);
  if (del.status !== 204) restErrors++;
}

async function main() {
  const sockets = await openSockets();
  const start = now() + 500;
  const total = Math.round(rate * seconds);
  const busy = new Array(half).fill(false);
  const cycles = [];
  let k = 0;
  await new Promise((resolve) => {
    function tick() {
      const t = now();
      while (k < total && start + (k * 1000) / rate <= t) {
        const scheduled = start + (k * 1000) / rate;
        const pair = k % half;
        k++;
        if (busy[pair]) { restErrors++; continue; }   // the pair has not finished its last cycle
        busy[pair] = true;
        cycles.push(pairCycle(pair, scheduled).finally(() => { busy[pair] = false; }));
      }
      if (k < total) setTimeout(tick, 1); else resolve();
    }
    tick();
  });
  await Promise.all(cycles);
  await new Promise((r) => setTimeout(r, 2000));     // the last events in flight
  latencies.sort((a, b) => a - b);
  restLatencies.sort((a, b) => a - b);
  const quantile = (list, q) => (list.length ? list[Math.min(list.length - 1, Math.floor(q * list.length))] : null);
  const pick = (q) => quantile(latencies, q);
  console.log(JSON.stringify({
    expected, delivered: latencies.length, p50_ms: pick(0.5), p99_ms: pick(0.99),
    max_ms: latencies.length ? latencies[latencies.length - 1] : null, rest_errors: restErrors,
    rest_p50_ms: quantile(restLatencies, 0.5), rest_p99_ms: quantile(restLatencies, 0.99),
  }));
  for (const s of sockets) s.terminate();
  process.exit(0);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
