// Generation, cold process, on the real v1.36 document: gen-binding (full run, no-op run, full run without
// the code cache), the floor, and the peers restricted to the two Binding operations.
import { join } from "node:path";
import { runRounds, summarize } from "./lib/rounds.mjs";

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

/** Per-tool medians and per-round ratios against gen-binding (see runRounds). */
export function benchGeneration({ root, spec, rounds, work, log }) {
  const { seconds, cpuSeconds, rssMiB, rounds: perRound, ratio } = summarize(runRounds({ tools: tools(root, spec), rounds, work, log }));
  return {
    seconds,
    cpuSeconds,
    rssMiB,
    rounds: perRound,
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
