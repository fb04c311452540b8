// Generation, cold process, on the real v1.36 document: gen-binding (full run, no-op run, full run without
// the code cache), the floor, and the peers restricted to the two Binding operations.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { timeNode } from "./lib/process.mjs";
import { median } from "./lib/stats.mjs";

/** Each tool as the node arguments of one run into `out` (a folder that the bench empties first). */
function tools(root, spec) {
  const cli = join(root, "dist", "cli.js");
  const peers = join(root, "bench", "peers");
  const installed = join(root, "bench", "node_modules");
  const peerEnv = (out) => ({ BENCH_SPEC: spec, BENCH_OUT: out });
  return {
    floor: { args: () => [join(root, "bench", "lib", "floor.cjs"), spec] },
    "gen-binding": { args: (out) => [cli, "--spec", spec, "--out", out], emits: "createNamespacedPodBinding" },
    // The same command into a folder that is already up to date.
    "gen-binding no-op": { args: (out) => [cli, "--spec", spec, "--out", out], keepOut: true },
    "gen-binding, no code cache": { args: (out) => [cli, "--spec", spec, "--out", out], env: () => ({ GEN_BINDING_CODE_CACHE: "0" }) },
    // orval's bin as installed; the config keeps the two Binding paths and the core_v1 schemas.
    orval: { args: () => [join(installed, "orval", "dist", "bin", "orval.mjs"), "--config", join(peers, "orval.config.mjs")], env: peerEnv, emits: "createCoreV1NamespacedPodBinding" },
    // dist/run.mjs directly: the package's bin/run.js only spawns it in a second process, which would add ~50 ms.
    "hey-api": { args: () => [join(installed, "@hey-api", "openapi-ts", "dist", "run.mjs"), "--file", join(peers, "openapi-ts.config.mjs")], env: peerEnv, emits: "createCoreV1NamespacedPodBinding" },
  };
}

/** Everything a tool wrote, as one text (to check that it generated the operation it was asked for). */
function emitted(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath ?? entry.path, entry.name), "utf8"))
    .join("\n");
}

/**
 * Runs every tool once per round (plus one discarded warm-up round that also fills the code cache), in
 * the same order each round, and returns per-tool medians and per-round ratios against gen-binding.
 */
export function benchGeneration({ root, spec, rounds, work, log }) {
  const all = tools(root, spec);
  const samples = Object.fromEntries(Object.keys(all).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, tool] of Object.entries(all)) {
      const out = join(work, name.replace(/\W+/g, "-"));
      if (!tool.keepOut || !existsSync(out)) rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      if (tool.keepOut && round === 0) timeNode(tool.args(out)); // make it up to date
      const sample = timeNode(tool.args(out), { env: tool.env?.(out) ?? {}, cwd: work });
      if (round > 0) samples[name].push(sample);
      else if (tool.emits && !emitted(out).includes(tool.emits)) throw new Error(`${name} did not generate ${tool.emits} in ${out}`);
    }
    log(round === 0 ? "  warm-up round done" : `  round ${round}/${rounds}: ${Object.entries(samples).map(([n, s]) => `${n} ${s.at(-1).seconds.toFixed(2)}s`).join(", ")}`);
  }
  const pick = (name, key) => samples[name].map((s) => s[key]);
  const seconds = (name) => pick(name, "seconds");
  const ratio = (a, b, key = "seconds") => median(pick(a, key).map((value, i) => value / pick(b, key)[i]));
  return {
    seconds: Object.fromEntries(Object.keys(all).map((name) => [name, median(seconds(name))])),
    cpuSeconds: Object.fromEntries(Object.keys(all).map((name) => [name, median(pick(name, "cpuSeconds"))])),
    rssMiB: Object.fromEntries(Object.keys(all).map((name) => [name, median(samples[name].map((s) => s.rssMiB))])),
    ratios: {
      "gen-binding / orval": ratio("gen-binding", "orval"),
      "gen-binding / hey-api": ratio("gen-binding", "hey-api"),
      "no-op / floor": ratio("gen-binding no-op", "floor"),
      "gen-binding / no code cache": ratio("gen-binding", "gen-binding, no code cache"),
    },
    cpuRatios: {
      "gen-binding / orval": ratio("gen-binding", "orval", "cpuSeconds"),
      "gen-binding / hey-api": ratio("gen-binding", "hey-api", "cpuSeconds"),
    },
  };
}
