import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { timeNode } from "./process.mjs";
import { median } from "./stats.mjs";

/**
 * Runs every tool once per round as a fresh `node` process (plus one discarded warm-up round, which also
 * fills gen-binding's code cache as any first run does), in the same order each round, each into a folder
 * of its own under `work`, emptied first unless the tool `keepOut`s it (then made up to date in the
 * warm-up round). A tool is `{ args(out), env?(out), keepOut?, emits? }`; in the warm-up round the bench
 * fails if a tool's output lacks its `emits` text. Returns the samples of each tool, round by round.
 */
export function runRounds({ tools, rounds, work, log }) {
  const samples = Object.fromEntries(Object.keys(tools).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, tool] of Object.entries(tools)) {
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
  return samples;
}

/** Everything a tool wrote, as one text (to check that it generated the operation it was asked for). */
function emitted(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath ?? entry.path, entry.name), "utf8"))
    .join("\n");
}

/**
 * Medians of the samples (`seconds`, `cpuSeconds`, `rssMiB` by tool), every round's `[seconds, cpuSeconds,
 * rssMiB]` by tool (`rounds`), and `ratio(a, b, key)`: the median of the per-round ratios a / b, both
 * figures from the same round.
 */
export function summarize(samples) {
  const pick = (name, key) => samples[name].map((s) => s[key]);
  const medians = (key) => Object.fromEntries(Object.keys(samples).map((name) => [name, median(pick(name, key))]));
  const ratio = (a, b, key = "seconds") => median(pick(a, key).map((value, i) => value / pick(b, key)[i]));
  const rounds = Object.fromEntries(Object.keys(samples).map((name) => [name, samples[name].map((s) => [s.seconds, s.cpuSeconds, s.rssMiB].map((v) => Number(v.toPrecision(3))))]));
  return { seconds: medians("seconds"), cpuSeconds: medians("cpuSeconds"), rssMiB: medians("rssMiB"), rounds, ratio };
}
