// The generated client vs @kubernetes/client-node: calls per second of createNamespacedPodBinding against
// the same loopback server, and the minified+gzipped size of a program that only makes that call.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { bundle } from "./lib/bundle.mjs";
import { startServer } from "./lib/servers.mjs";
import { median } from "./lib/stats.mjs";

const CLIENTS = { "gen-binding": "ours", "@kubernetes/client-node": "official" };
// Not a client: a bare fetch() of the same request, to show what part of the time is fetch itself.
const CALLERS = { ...CLIENTS, "gen-binding (nodeFetch)": "ours-node", "bare fetch": "fetch" };

/** Sizes first (one build each), then `rounds` alternating throughput runs, each in a fresh process. */
export async function benchClient({ root, rounds, work, log, count, concurrency }) {
  const programs = join(root, "bench", "programs");
  const sizes = {};
  const callers = {};
  for (const [name, file] of Object.entries(CLIENTS)) {
    sizes[name] = await bundle(join(programs, `call-${file}.ts`), join(work, `call-${file}.min.mjs`), { minify: true });
  }
  for (const [name, file] of Object.entries(CALLERS)) {
    callers[name] = join(work, `caller-${file}.mjs`);
    await bundle(join(programs, `caller-${file}.ts`), callers[name], { minify: false });
  }
  log(`  bundle sizes (min+gzip): ${Object.entries(sizes).map(([n, s]) => `${n} ${(s.gzipBytes / 1024).toFixed(1)} KiB`).join(", ")}`);
  const server = await startServer(join(root, "bench", "servers", "binding-answer.mjs"));
  const samples = Object.fromEntries(Object.keys(CALLERS).map((name) => [name, []]));
  const cpu = Object.fromEntries(Object.keys(CALLERS).map((name) => [name, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const name of Object.keys(CALLERS)) {
        const run = spawnSync(process.execPath, [join(root, "bench", "servers", "client-loop.mjs"), callers[name], server.url, String(count), String(concurrency)], {
          encoding: "utf8",
          timeout: 120_000,
        });
        if (run.status !== 0) throw new Error(`${name} client loop failed:\n${run.stderr}`);
        const result = JSON.parse(run.stdout);
        samples[name].push(result.requestsPerSecond);
        cpu[name].push(result.cpuMicrosPerCall);
      }
      log(`  round ${round}/${rounds}: ${Object.entries(samples).map(([n, s]) => `${n} ${Math.round(s.at(-1))}/s`).join(", ")}`);
    }
  } finally {
    await server.stop();
  }
  const ours = samples["gen-binding"];
  return {
    requestsPerSecond: Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)])),
    ratio: median(ours.map((value, i) => value / samples["@kubernetes/client-node"][i])),
    ratioNodeFetch: median(samples["gen-binding (nodeFetch)"].map((value, i) => value / samples["@kubernetes/client-node"][i])),
    ratioToBareFetch: median(ours.map((value, i) => value / samples["bare fetch"][i])),
    cpuMicrosPerCall: Object.fromEntries(Object.entries(cpu).map(([n, s]) => [n, median(s)])),
    cpuRatio: median(cpu["gen-binding"].map((value, i) => cpu["@kubernetes/client-node"][i] / value)),
    cpuRatioNodeFetch: median(cpu["gen-binding (nodeFetch)"].map((value, i) => cpu["@kubernetes/client-node"][i] / value)),
    gzipBytes: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, s.gzipBytes])),
  };
}
