import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/run.js";

const CODE_CACHE = pathToFileURL(join(ROOT, "dist", "code-cache.js")).href;

/** A CommonJS package under a fresh node_modules; returns its entry file and its cache folder. */
function fakePackage(): { entry: string; cacheDir: string } {
  const modules = join(tempDir("code-cache"), "node_modules");
  mkdirSync(join(modules, "fake"), { recursive: true });
  const entry = join(modules, "fake", "index.js");
  writeFileSync(entry, "exports.sum = (a, b) => a + b;\nexports.answer = exports.sum(40, 2);\n");
  return { entry, cacheDir: join(modules, ".cache", "gen-binding") };
}

/** Loads `entry` through requireWithCodeCache in a fresh node process (the cache is saved at exit). */
function loadInChild(entry: string, env: Record<string, string> = {}): string {
  const script = `import(${JSON.stringify(CODE_CACHE)}).then(({ requireWithCodeCache }) => {
    const loaded = requireWithCodeCache(${JSON.stringify(entry)});
    const again = require("node:module").createRequire(${JSON.stringify(entry)})(${JSON.stringify(entry)});
    console.log(loaded.answer, loaded === again);
  });`;
  const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
  expect(run.stderr).toBe("");
  return run.stdout.trim();
}

describe("V8 code cache for big CommonJS modules", () => {
  it("saves a cache on the first load and gives the same module from it on the next", () => {
    const { entry, cacheDir } = fakePackage();
    expect(loadInChild(entry)).toBe("42 true");
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^[0-9a-f]{32}\.bin$/);
    const saved = readFileSync(join(cacheDir, file!));
    expect(loadInChild(entry)).toBe("42 true");
    expect(readFileSync(join(cacheDir, file!))).toEqual(saved); // accepted, so not rewritten
  });

  it("ignores a corrupt cache file and replaces it", () => {
    const { entry, cacheDir } = fakePackage();
    loadInChild(entry);
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file!), "not a V8 code cache");
    expect(loadInChild(entry)).toBe("42 true");
    expect(readFileSync(join(cacheDir, file!), "utf8")).not.toBe("not a V8 code cache");
  });

  it("writes nothing with GEN_BINDING_CODE_CACHE=0", () => {
    const { entry, cacheDir } = fakePackage();
    expect(loadInChild(entry, { GEN_BINDING_CODE_CACHE: "0" })).toBe("42 true");
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("uses a new cache file when the module changes", () => {
    const { entry, cacheDir } = fakePackage();
    loadInChild(entry);
    writeFileSync(entry, "exports.answer = 43;\n");
    expect(loadInChild(entry)).toBe("43 true");
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
