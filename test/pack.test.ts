import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_SPEC, ROOT, tempDir } from "./helpers/run.js";

describe("packed install", () => {
  it("npx gen-binding works from the tarball npm pack makes", () => {
    const dir = tempDir("pack");
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true, "type": "module" }\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball)], { cwd: dir, stdio: "pipe" });
    const result = spawnSync("npx", ["--no-install", "gen-binding", "--spec", EXAMPLE_SPEC, "--out", "generated"], { cwd: dir, encoding: "utf8" });
    expect(result.stderr).not.toContain("gen-binding:");
    expect(result.status).toBe(0);
    expect(readdirSync(join(dir, "generated")).sort()).toEqual([".gen-binding.json", "client.ts", "handlers.ts", "index.ts", "models.ts", "node.ts", "operations.ts", "routes.ts", "runtime"]);
    // The package ships the runtime's sources (copied into every output), and no other source.
    expect(readdirSync(join(dir, "node_modules", "gen-binding", "src"))).toEqual(["runtime"]);
    expect(readdirSync(join(dir, "generated", "runtime")).sort()).toEqual(readdirSync(join(dir, "node_modules", "gen-binding", "src", "runtime")).sort());
  }, 180_000);
});
