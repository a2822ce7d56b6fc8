// Prints the user worker's JS heap as the runtime's inspector reports it,
// as JSON: {before: {usedSize, totalSize, ...}, after: {...}}: before and
// after a full garbage collection (`HeapProfiler.collectGarbage`), so
// `after.usedSize` is what the isolate really holds.
//
// Usage: node scripts/bench/js_heap.mjs PORT
//   PORT: wrangler dev's --inspector-port. Wrangler's inspector proxy
//   answers only a client that names DevTools' origin.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../node_modules/', import.meta.url));
const WebSocket = require('ws');

const ws = new WebSocket(`ws://127.0.0.1:${process.argv[2]}/ws`, {
  headers: { Origin: 'https://devtools.devprod.cloudflare.dev' },
});
const timer = setTimeout(() => {
  console.error('the inspector did not answer Runtime.getHeapUsage');
  process.exit(1);
}, 120000);
const send = (id, method) => ws.send(JSON.stringify({ id, method }));
let snapshotBytes = 0;
let before;
// The proxy answers once it is attached to the runtime: Runtime.enable
// first, and the questions after its answer.
ws.on('open', () => send(10, 'Runtime.enable'));
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') {
    snapshotBytes += msg.params.chunk.length;
    return;
  }
  if (process.env.JS_HEAP_DEBUG) console.error(JSON.stringify(msg).slice(0, 200));
  if (msg.id === 10) {
    send(1, 'Runtime.getHeapUsage');
  } else if (msg.id === 1) {
    before = msg.result;
    send(11, 'HeapProfiler.enable');
  } else if (msg.id === 11) {
    // A heap snapshot starts with a full garbage collection (workerd does
    // not answer HeapProfiler.collectGarbage); its chunks are dropped.
    ws.send(JSON.stringify({ id: 2, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
  } else if (msg.id === 2) {
    send(3, 'Runtime.getHeapUsage');
  } else if (msg.id === 3) {
    clearTimeout(timer);
    console.log(JSON.stringify({ before, after: msg.result, snapshotBytes }));
    ws.close();
    process.exit(before && msg.result ? 0 : 1);
  }
});
ws.on('error', (e) => {
  console.error(`inspector: ${e.message}`);
  process.exit(1);
});
