// Scale, cold processes, on the real v1.36 document: gen-binding with every kind in one output (--kind '*':
// 311 kinds, 1010 operations, 768 models) against orval and @hey-api/openapi-ts generating the whole
// document. Then, not timed: one run that reports gen-binding's stages, and a type-check of its output
// with the strictest settings the tests use.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runRounds, summarize } from "./lib/rounds.mjs";

/** Each tool as the node arguments of one run into `out` (a folder that the bench empties first). */
function tools(root, spec) {
  const peers = join(root, "bench", "peers");
  const installed = join(root, "bench", "node_modules");
  const peerEnv = (out) => ({ BENCH_SPEC: spec, BENCH_OUT: out });
  return {
    "gen-binding": { args: (out) => [join(root, "dist", "cli.js"), "--spec", spec, "--kind", "*", "--out", out], emits: "createNamespacedPodBinding" },
    orval: { args: () => [join(installed, "orval", "dist", "bin", "orval.mjs"), "--config", join(peers, "orval-all.config.mjs")], env: peerEnv, emits: "createCoreV1NamespacedPodBinding" },
    "hey-api": { args: () => [join(installed, "@hey-api", "openapi-ts", "dist", "run.mjs"), "--file", join(peers, "openapi-ts-all.config.mjs")], env: peerEnv, emits: "createCoreV1NamespacedPodBinding" },
  };
}

/** Per-tool medians, per-round ratios against gen-binding, its stages, and whether its output compiles. */
export function benchScale({ root, spec, rounds, work, log }) {
  const all = tools(root, spec);
  const { seconds, cpuSeconds, rssMiB, rounds: perRound, ratio } = summarize(runRounds({ tools: all, rounds, work, log }));
  const out = join(work, "gen-binding");
  return {
    seconds,
    cpuSeconds,
    rssMiB,
    rounds: perRound,
    ratios: Object.fromEntries(["orval", "hey-api"].map((peer) => [`gen-binding / ${peer}`, ratio("gen-binding", peer)])),
    cpuRatios: Object.fromEntries(["orval", "hey-api"].map((peer) => [`gen-binding / ${peer}`, ratio("gen-binding", peer, "cpuSeconds")])),
    rssRatios: Object.fromEntries(["orval", "hey-api"].map((peer) => [`gen-binding / ${peer}`, ratio("gen-binding", peer, "rssMiB")])),
    stages: stages(all["gen-binding"].args(join(work, "gen-binding-stages")), log),
    compiles: typecheck(root, out, log),
  };
}

/** One more run, into a folder of its own, with GEN_BINDING_TIMING=1: when each stage ended, and the memory then. */
function stages(args, log) {
  const run = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, GEN_BINDING_TIMING: "1" } });
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} failed (${run.status ?? run.signal}):\n${run.stderr}`);
  const lines = run.stderr.split("\n").filter((line) => line.startsWith("gen-binding timing: "));
  for (const line of lines) log(`  ${line}`);
  return lines.map((line) => line.slice("gen-binding timing: ".length));
}

/**
 * tsc on every file of the output, the strictest settings of test/helpers/typecheck.ts, with bundler
 * resolution (no package.json needed beside the output). Returns true, or logs the first errors.
 */
function typecheck(root, out, log) {
  const files = readdirSync(out, { recursive: true }).filter((f) => f.endsWith(".ts")).map((f) => join(out, f));
  const strictest = ["--strict", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--noImplicitOverride", "--noImplicitReturns", "--noFallthroughCasesInSwitch", "--noPropertyAccessFromIndexSignature", "--noUnusedLocals", "--noUnusedParameters", "--verbatimModuleSyntax", "--isolatedModules", "--allowUnreachableCode", "false"];
  const settings = ["--noEmit", "--skipLibCheck", "--target", "ES2022", "--lib", "ES2022,DOM", "--module", "ESNext", "--moduleResolution", "bundler"];
  log(`  type-checking ${files.length} files of the ${out} output (tsc, strictest settings; not timed)`);
  const run = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), ...strictest, ...settings, ...files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status === 0) return true;
  log(`  tsc failed (${run.status ?? run.signal}):\n${(run.stdout + run.stderr).split("\n").slice(0, 20).join("\n")}`);
  return false;
}
