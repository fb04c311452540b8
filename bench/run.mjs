#!/usr/bin/env node
// npm run bench: every figure of BENCHMARKS.md in one run on this machine. Prints one table and writes
// it, with the machine and the raw medians, to bench/results.json.
//   node bench/run.mjs [--rounds 7] [--only generation,client,routes,v3] [--quick] [--json <file>]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureBenchDependencies } from "./install.mjs";
import { markdownTable, row } from "./lib/table.mjs";
import { benchV3 } from "./v3.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    only: { type: "string", default: "generation,scale,client,routes,v3" },
    quick: { type: "boolean", default: false },
    json: { type: "string", default: join(ROOT, "bench", "results.json") },
  },
});
const rounds = values.quick ? 1 : Number(values.rounds);
const sections = new Set(values.only.split(","));
const spec = join(resolve(process.env["GEN_BINDING_SHARED_SPECS"] ?? join(ROOT, "..", "shared", "specs")), "kubernetes-v1.36.swagger.json");
// Inside the repo (esbuild resolves the peers from bench/node_modules); one folder per run, removed at the end.
const work = join(ROOT, ".tmp", `bench-${process.pid}`);
const log = (line) => process.stderr.write(`${line}\n`);

if (!existsSync(join(ROOT, "dist", "cli.js"))) throw new Error("dist/cli.js is missing: run npm run build first (npm run bench does)");
// The peers live in bench/node_modules (bench/package.json), installed here when missing or stale; the
// parts that load them are imported only after that.
ensureBenchDependencies({ log });
const [{ benchClient }, { benchGeneration }, { benchRoutes }, { benchScale }] = await Promise.all([import("./client.mjs"), import("./generation.mjs"), import("./routes.mjs"), import("./scale.mjs")]);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// Other work on the machine inflates wall times: the load average before and after says how much.
const loadBefore = loadavg()[0];
const rows = [];
const raw = {};
const skipped = [];

if (sections.has("generation")) {
  if (!existsSync(spec)) {
    skipped.push(`generation: ${spec} is absent (set GEN_BINDING_SHARED_SPECS to the folder of kubernetes-v1.36.swagger.json)`);
    log(`skipping generation: ${spec} is absent`);
  } else {
    log(`generation on ${spec}, ${rounds} rounds (cold processes)`);
    const g = (raw.generation = benchGeneration({ root: ROOT, spec, rounds, work: join(work, "generation"), log }));
    const s = g.seconds;
    rows.push(row("full run", "s", s["gen-binding"], "orval 8.38", s.orval, g.ratios["gen-binding / orval"], "ratio <= 0.7, < 0.8 s", g.ratios["gen-binding / orval"] <= 0.7 && s["gen-binding"] < 0.8));
    rows.push(row("full run", "s", s["gen-binding"], "hey-api 0.99", s["hey-api"], g.ratios["gen-binding / hey-api"], "ratio < 1", g.ratios["gen-binding / hey-api"] < 1));
    rows.push(row("no-op run", "s", s["gen-binding no-op"], "floor (read + JSON.parse)", s.floor, g.ratios["no-op / floor"], "ratio < 1.5", g.ratios["no-op / floor"] < 1.5));
    rows.push(row("full run", "s", s["gen-binding"], "itself, no code cache", s["gen-binding, no code cache"], g.ratios["gen-binding / no code cache"], "(information)"));
    const cpu = g.cpuSeconds;
    rows.push(row("full run CPU time", "s", cpu["gen-binding"], "orval 8.38", cpu.orval, g.cpuRatios["gen-binding / orval"], "(information)"));
    rows.push(row("full run CPU time", "s", cpu["gen-binding"], "hey-api 0.99", cpu["hey-api"], g.cpuRatios["gen-binding / hey-api"], "(information)"));
    const m = g.rssMiB;
    rows.push(row("full run peak RSS", "MiB", m["gen-binding"], "orval 8.38", m.orval, m["gen-binding"] / m.orval, "< 150 MiB", m["gen-binding"] < 150));
    rows.push(row("full run peak RSS", "MiB", m["gen-binding"], "hey-api 0.99", m["hey-api"], m["gen-binding"] / m["hey-api"], "< 150 MiB", m["gen-binding"] < 150));
    rows.push(row("floor peak RSS", "MiB", m.floor, "", "", "", "(information)"));
  }
}

if (sections.has("scale")) {
  if (!existsSync(spec)) {
    skipped.push(`scale: ${spec} is absent (set GEN_BINDING_SHARED_SPECS to the folder of kubernetes-v1.36.swagger.json)`);
    log(`skipping scale: ${spec} is absent`);
  } else {
    log(`scale: every kind of ${spec} in one output, against the peers on the whole document, ${rounds} rounds (cold processes)`);
    const g = (raw.scale = benchScale({ root: ROOT, spec, rounds, work: join(work, "scale"), log }));
    const [s, cpu, m] = [g.seconds, g.cpuSeconds, g.rssMiB];
    for (const [peer, label] of [["hey-api", "hey-api 0.99, whole document"], ["orval", "orval 8.38, whole document"]]) {
      const key = `gen-binding / ${peer}`;
      rows.push(row("every kind (311), one output", "s", s["gen-binding"], label, s[peer], g.ratios[key], "ratio < 1", g.ratios[key] < 1));
      rows.push(row("every kind (311), peak RSS", "MiB", m["gen-binding"], label, m[peer], g.rssRatios[key], "ratio < 1", g.rssRatios[key] < 1));
      rows.push(row("every kind (311), CPU time", "s", cpu["gen-binding"], label, cpu[peer], g.cpuRatios[key], "(information)"));
    }
    rows.push(row("every kind (311), output compiles", "", g.compiles ? "yes" : "no", "tsc, strictest settings", "", "", "compiles", g.compiles));
  }
}

if (sections.has("client")) {
  log(`client: createNamespacedPodBinding against a loopback server, ${rounds} rounds`);
  const c = (raw.client = await benchClient({ root: ROOT, rounds, work: join(work, "client"), log, count: values.quick ? 300 : 3000, concurrency: 8 }));
  const rps = c.requestsPerSecond;
  rows.push(row("client calls/s", "1/s", rps["gen-binding"], "@kubernetes/client-node 1.4.0", rps["@kubernetes/client-node"], c.ratio, "ratio >= 2", c.ratio >= 2));
  rows.push(row("client calls/s, nodeFetch transport", "1/s", rps["gen-binding (nodeFetch)"], "@kubernetes/client-node 1.4.0", rps["@kubernetes/client-node"], c.ratioNodeFetch, "ratio >= 2", c.ratioNodeFetch >= 2));
  const cpu = c.cpuMicrosPerCall;
  rows.push(row("client calls per CPU-second", "1/s", 1e6 / cpu["gen-binding"], "@kubernetes/client-node 1.4.0", 1e6 / cpu["@kubernetes/client-node"], c.cpuRatio, "(information)"));
  rows.push(row("client calls per CPU-second, nodeFetch", "1/s", 1e6 / cpu["gen-binding (nodeFetch)"], "@kubernetes/client-node 1.4.0", 1e6 / cpu["@kubernetes/client-node"], c.cpuRatioNodeFetch, "(information)"));
  rows.push(row("client calls/s", "1/s", rps["gen-binding"], "bare fetch() (its ceiling)", rps["bare fetch"], c.ratioToBareFetch, "(information)"));
  const kib = (bytes) => bytes / 1024;
  const size = c.gzipBytes;
  rows.push(row("program size, min+gzip", "KiB", kib(size["gen-binding"]), "@kubernetes/client-node 1.4.0", kib(size["@kubernetes/client-node"]), size["gen-binding"] / size["@kubernetes/client-node"], "< 3 KB", size["gen-binding"] < 3000));
}

if (sections.has("routes")) {
  log(`routes: valid binding POST under load (autocannon), ${rounds} rounds`);
  const r = (raw.routes = await benchRoutes({ root: ROOT, rounds, work: join(work, "routes"), log, amount: values.quick ? 500 : 20_000, connections: 16 }));
  rows.push(row("routes requests/s", "1/s", r.requestsPerSecond["gen-binding"], "fastify 5.8.5", r.requestsPerSecond.fastify, r.ratio, "ratio >= 1", r.ratio >= 1));
  const p99Ratio = r.p99Ms["gen-binding"] / r.p99Ms.fastify;
  rows.push(row("routes p99 latency", "ms", r.p99Ms["gen-binding"], "fastify 5.8.5", r.p99Ms.fastify, p99Ratio, "ratio <= 1", p99Ratio <= 1));
}

if (sections.has("v3")) rows.push(...benchV3({ root: ROOT, specs: dirname(spec), rounds, work: join(work, "v3"), log, skipped }));

/** The versions npm really installed in `node_modules` (not the ranges asked for). */
const installed = (nodeModules, names) => names.map((n) => [n, JSON.parse(readFileSync(join(nodeModules, n, "package.json"), "utf8")).version]);
const result = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  },
  rounds,
  versions: Object.fromEntries([
    ...installed(join(ROOT, "bench", "node_modules"), ["orval", "@hey-api/openapi-ts", "@kubernetes/client-node", "fastify", "autocannon", "esbuild"]),
    ...installed(join(ROOT, "node_modules"), ["typescript", "prettier"]),
  ]),
  skipped,
  rows,
  raw,
};
writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
const { machine } = result;
const load = `load average ${machine.loadAverage.before.toFixed(1)} before, ${machine.loadAverage.after.toFixed(1)} after`;
process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${result.date}, medians of ${rounds} rounds, ${load}\n\n`);
process.stdout.write(`${markdownTable(rows)}\n`);
for (const line of skipped) process.stdout.write(`\nskipped ${line}\n`);
process.stdout.write(`\nwritten to ${values.json}\n`);
