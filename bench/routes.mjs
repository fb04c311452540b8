// The generated routes vs a Fastify route with the same JSON-schema validation: requests per second and
// p99 latency for a valid binding POST under concurrent load (autocannon, a bounded number of requests;
// the rate is taken from our own clock up to the last response: autocannon's own figures are per whole second).
import { join } from "node:path";
import autocannon from "autocannon";
import { bundle } from "./lib/bundle.mjs";
import { startServer } from "./lib/servers.mjs";
import { median } from "./lib/stats.mjs";

const PATH = "/api/v1/namespaces/default/pods/web-1/binding";
const BODY = JSON.stringify({ apiVersion: "v1", kind: "Binding", metadata: { name: "web-1", labels: { app: "web" } }, target: { apiVersion: "v1", kind: "Node", name: "node-a" } });

function load(url, amount, connections) {
  const start = performance.now();
  let last = start;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: url + PATH, method: "POST", headers: { "content-type": "application/json" }, body: BODY, amount, connections, timeout: 10 },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors || result.timeouts) return reject(new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`));
        resolve({ requestsPerSecond: result.requests.total / ((last - start) / 1000), p99Ms: result.latency.p99 });
      },
    );
    instance.on("response", () => {
      last = performance.now();
    });
  });
}

/** Both servers must refuse a body whose target is not an object, or the comparison is not like for like. */
async function assertValidates(name, url) {
  const invalid = JSON.stringify({ apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: "node-a" });
  const response = await fetch(url + PATH, { method: "POST", headers: { "content-type": "application/json" }, body: invalid });
  await response.arrayBuffer();
  if (response.status < 400 || response.status >= 500) throw new Error(`${name} accepted an invalid Binding (${response.status})`);
}

/** Each server in its own process, started fresh per round; a warm-up burst, then `amount` requests. */
export async function benchRoutes({ root, rounds, work, log, amount, connections }) {
  const routesModule = join(work, "routes.mjs");
  await bundle(join(root, "out", "routes.ts"), routesModule, { minify: false });
  const servers = {
    "gen-binding": [join(root, "bench", "servers", "routes-ours.mjs"), [routesModule]],
    fastify: [join(root, "bench", "servers", "routes-fastify.mjs"), [join(root, "specs", "binding.swagger.json")]],
  };
  const samples = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const [name, [script, args]] of Object.entries(servers)) {
      const server = await startServer(script, args);
      try {
        await assertValidates(name, server.url);
        await load(server.url, Math.min(2000, amount), connections);
        samples[name].push(await load(server.url, amount, connections));
      } finally {
        await server.stop();
      }
    }
    log(`  round ${round}/${rounds}: ${Object.entries(samples).map(([n, s]) => `${n} ${Math.round(s.at(-1).requestsPerSecond)}/s p99 ${s.at(-1).p99Ms} ms`).join(", ")}`);
  }
  const pick = (name, key) => samples[name].map((s) => s[key]);
  return {
    requestsPerSecond: Object.fromEntries(Object.keys(servers).map((n) => [n, median(pick(n, "requestsPerSecond"))])),
    p99Ms: Object.fromEntries(Object.keys(servers).map((n) => [n, median(pick(n, "p99Ms"))])),
    ratio: median(pick("gen-binding", "requestsPerSecond").map((v, i) => v / pick("fastify", "requestsPerSecond")[i])),
  };
}
