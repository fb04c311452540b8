import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { ROOT, tempDir } from "./run.js";

/** The packages a no-op run must not load: the emit and format stages' (and ts-morph, for the API report). */
export const HEAVY = /node_modules\/(typescript|prettier|handlebars|ts-morph|openapi-typescript)\//;

/**
 * The CLI run as a user runs it (in `cwd`, default the repository), and the CommonJS modules it loaded,
 * listed at exit by a preloaded module. That is where the heavy ones land: TypeScript and prettier come
 * through the code cache (require), and openapi-typescript, handlebars and ts-morph are CommonJS packages;
 * so does jiti, which loads a TypeScript config. The run must exit 0.
 */
export async function modulesOfCliRun(args: string[], cwd = ROOT): Promise<{ stdout: string; modules: string[] }> {
  const list = join(tempDir("modules"), "loaded.txt");
  const preload = `import { writeFileSync } from "node:fs"; import { createRequire } from "node:module";
    process.on("exit", () => writeFileSync(${JSON.stringify(list)}, Object.keys(createRequire(process.execPath).cache).join("\\n")));`;
  const child = spawn(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, join(ROOT, "dist", "cli.js"), ...args], { cwd });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  expect(await new Promise((resolve) => child.on("exit", resolve)), stderr).toBe(0);
  return { stdout, modules: readFileSync(list, "utf8").split("\n").filter(Boolean) };
}
