import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROBE = new URL("./rss-probe.cjs", import.meta.url).pathname;

/**
 * Runs `node <args>` as a fresh process and returns its wall time (s), CPU time (s) and peak RSS (MiB). The
 * wall time is taken around the whole process, start-up included, as a user's shell would see it. Throws
 * when it fails.
 */
export function timeNode(args, { env = {}, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "gen-binding-bench-rss-"));
  const rssFile = join(dir, "rss");
  try {
    const start = performance.now();
    const result = spawnSync(process.execPath, ["--require", PROBE, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      encoding: "utf8",
      timeout: 120_000,
    });
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr || result.stdout}`);
    const usage = JSON.parse(readFileSync(rssFile, "utf8"));
    return { seconds, cpuSeconds: usage.cpu / 1e6, rssMiB: usage.maxRSS / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
