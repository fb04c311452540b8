import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/run.js";

// npm run bench is not part of the suite (minutes); this runs its quickest part once, so that a change to
// the generated routes that breaks the bench (or lets a server skip validation) is seen here.
describe("npm run bench", () => {
  it("measures the generated routes against fastify, both validating, and writes the table as JSON", () => {
    const json = join(tempDir("bench"), "results.json");
    const run = spawnSync(process.execPath, [join(ROOT, "bench", "run.mjs"), "--quick", "--only", "routes", "--json", json], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("| routes requests/s (1/s) |");
    const result = JSON.parse(readFileSync(json, "utf8")) as { machine: { node: string }; rows: Array<{ measure: string; ours: number; theirs: number }> };
    expect(result.machine.node).toBe(process.version);
    expect(result.rows.map((r) => r.measure)).toEqual(["routes requests/s", "routes p99 latency"]);
    for (const row of result.rows) {
      expect(row.ours).toBeGreaterThan(0);
      expect(row.theirs).toBeGreaterThan(0);
    }
  });
});
