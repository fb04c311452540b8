import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/run.js";

// npm run bench is not part of the suite (minutes); this runs its quickest part once, so that a change to
// the generated routes that breaks the bench (or lets a server skip validation) is seen here. Its peers
// (fastify, autocannon, esbuild) are bench/'s own package: installed first, as npm run bench does (npm ci
// in bench/ when bench/node_modules is missing or stale; a failed install fails this test).
describe("npm run bench", () => {
  beforeAll(() => {
    const install = spawnSync(process.execPath, [join(ROOT, "bench", "install.mjs")], { encoding: "utf8", timeout: 300_000 });
    expect(install.status, install.stderr).toBe(0);
    process.stderr.write(`bench test: ${install.stderr.trim().split("\n").at(-1)}\n`);
  }, 300_000);

  it("measures the generated routes against fastify, both validating, and writes the table as JSON", () => {
    expect(existsSync(join(ROOT, "bench", "node_modules", "fastify", "package.json"))).toBe(true);
    const json = join(tempDir("bench"), "results.json");
    const run = spawnSync(process.execPath, [join(ROOT, "bench", "run.mjs"), "--quick", "--only", "routes", "--json", json], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("| routes requests/s (1/s) |");
    const result = JSON.parse(readFileSync(json, "utf8")) as { machine: { node: string }; versions: Record<string, string>; rows: Array<{ measure: string; ours: number; theirs: number }> };
    expect(result.machine.node).toBe(process.version);
    // The peers measured are the versions bench/package.json pins, as npm installed them.
    const pinned = (JSON.parse(readFileSync(join(ROOT, "bench", "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
    for (const [name, version] of Object.entries(pinned)) expect(result.versions[name], name).toBe(version);
    expect(result.rows.map((r) => r.measure)).toEqual(["routes requests/s", "routes p99 latency"]);
    for (const row of result.rows) {
      expect(row.ours).toBeGreaterThan(0);
      expect(row.theirs).toBeGreaterThan(0);
    }
  });
});
