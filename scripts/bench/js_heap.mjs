// Prints the user worker's JS heap as the runtime's inspector reports it
// (`Runtime.getHeapUsage`), as JSON: {usedSize, totalSize, ...}.
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
}, 15000);
ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' })));
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.id === 1) {
    clearTimeout(timer);
    console.log(JSON.stringify(msg.result));
    ws.close();
    process.exit(msg.result ? 0 : 1);
  }
});
ws.on('error', (e) => {
  console.error(`inspector: ${e.message}`);
  process.exit(1);
});
