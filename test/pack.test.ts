import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
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
    expect(readdirSync(join(dir, "generated")).sort()).toEqual([".gen-binding.json", "client.ts", "handlers.ts", "index.ts", "kubeconfig.ts", "models.ts", "node.ts", "routes.ts"]);
    expect(existsSync(join(dir, "node_modules", "gen-binding", "src"))).toBe(false);
  }, 180_000);
});
