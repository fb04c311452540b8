import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { GenBindingError } from "../src/errors.js";
import { generate } from "../src/generate.js";
import { HEAVY, modulesOfCliRun } from "./helpers/modules.js";
import { EXAMPLE_SPEC, runCli, tempDir } from "./helpers/run.js";

// Every config below points at one output that is already up to date, so each run is a no-op (fast) and
// its JSON report shows which settings were read: out (resolved from the config's folder) and report.
let root: string;
let output: string;
beforeAll(async () => {
  root = tempDir("config");
  output = join(root, "k8s");
  await generate({ spec: EXAMPLE_SPEC, out: output, kinds: ["Binding"] });
});

/** A folder of `root` holding the given files; returns it. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** The settings every working config holds, paths relative to a config in `dir`. */
function settings(dir: string): { spec: string; out: string; kinds: string[]; report: "json" } {
  return { spec: relative(dir, EXAMPLE_SPEC), out: relative(dir, output), kinds: ["Binding"], report: "json" };
}

const TS_CONFIG = (dir: string) => `import { defineConfig, type GenBindingConfig } from "gen-binding";

interface Paths { spec: string; out: string }
const paths: Paths = ${JSON.stringify({ spec: settings(dir).spec, out: settings(dir).out })};
const kinds: string[] = ["Binding"];
const config: GenBindingConfig = defineConfig({ ...paths, kinds, report: "json" });
export default config;
`;

const CONFIGS: Array<[string, (dir: string) => string]> = [
  ["gen-binding.config.ts", TS_CONFIG],
  ["gen-binding.config.mts", TS_CONFIG],
  ["gen-binding.config.js", (dir) => `export default ${JSON.stringify(settings(dir))};\n`],
  ["gen-binding.config.mjs", (dir) => `const kinds = ["Binding"];\nexport default { ...${JSON.stringify(settings(dir))}, kinds };\n`],
  ["gen-binding.config.json", (dir) => JSON.stringify(settings(dir))],
  ["package.json", (dir) => JSON.stringify({ name: "consumer", private: true, type: "module", "gen-binding": settings(dir) })],
];

describe("the config file", () => {
  it.each(CONFIGS)("is read from %s in the working folder, paths relative to it", (file, text) => {
    const dir = join(root, `found-${file}`);
    project(`found-${file}`, { [file]: text(dir) });
    const result = runCli([], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outDir: output, noop: true, kinds: ["core/v1/Binding"] });
  });

  it.each(CONFIGS.filter(([file]) => file.endsWith(".ts") || file === "package.json"))("is read from --config %s, paths relative to the file, not the working folder", (file, text) => {
    const dir = join(root, "named", file.replace(/\W/g, "-"));
    project(relative(root, dir), { [file]: text(dir) });
    const result = runCli(["--config", join(relative(root, dir), file)], { cwd: root });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ outDir: output, noop: true });
  });

  it("imports defineConfig from gen-binding even where gen-binding is not installed (npx -p gen-binding, a global install)", () => {
    // A folder outside this package, so that "gen-binding" resolves only through the CLI's own alias.
    const dir = mkdtempSync(join(tmpdir(), "gen-binding-config-"));
    try {
      writeFileSync(join(dir, "gen-binding.config.ts"), TS_CONFIG(dir));
      const result = runCli([], { cwd: dir });
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toMatchObject({ outDir: output, noop: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives way to the flags", () => {
    const dir = join(root, "flags-win");
    project("flags-win", { "gen-binding.config.ts": TS_CONFIG(dir) });
    const result = runCli(["--report", "text"], { cwd: dir });
    expect(result.stdout).toBe(`gen-binding: core/v1/Binding, 2 operations, 13 models -> ${output}: nothing changed\n`);
  });

  it.each([
    ["two config files", { "gen-binding.config.ts": "export default {};\n", "gen-binding.config.json": "{}" }, undefined, "gen-binding.config.ts and gen-binding.config.json in DIR: keep one config file (or choose with --config)"],
    ["a config file and a package.json key", { "gen-binding.config.mjs": "export default {};\n", "package.json": '{ "gen-binding": {} }' }, undefined, 'DIR/gen-binding.config.mjs and the "gen-binding" key of DIR/package.json both hold settings: keep one'],
    ["a setting of the wrong type", { "gen-binding.config.mjs": "export default { spec: 42 };\n" }, undefined, 'DIR/gen-binding.config.mjs: "spec" must be a non-empty string'],
    ["an unknown part in emit", { "gen-binding.config.js": 'export default { spec: "x.json", emit: ["client", "server"] };\n' }, undefined, 'DIR/gen-binding.config.js: "emit" has "server", which is not a part: use models, client, routes, node, discovery'],
    ["a kind that is not one", { "gen-binding.config.json": '{ "spec": "x.json", "kinds": ["Binding,a/b/c/d"] }' }, undefined, 'DIR/gen-binding.config.json: "kinds" has "a/b/c/d", which is not a kind: use Kind, version/Kind, group/version/Kind or *'],
    ["settings that are not an object", { "gen-binding.config.mjs": 'export default ["x.json"];\n' }, undefined, "DIR/gen-binding.config.mjs: the settings must be an object, not an array"],
    ["no default export", { "gen-binding.config.mts": "export const spec: string = 'x.json';\n" }, undefined, "DIR/gen-binding.config.mts: no default export: export the settings as the default export (export default defineConfig({ ... }))"],
    ["a syntax error, with its place", { "gen-binding.config.ts": "const a: number = 1;\nexport default { spec: a.b( };\n" }, undefined, "DIR/gen-binding.config.ts: cannot load: ParseError: Unexpected token DIR/gen-binding.config.ts:2:28"],
    ["a config that throws", { "gen-binding.config.ts": 'throw new Error("no SPEC in the environment");\n' }, undefined, "DIR/gen-binding.config.ts: cannot load: no SPEC in the environment"],
    ["invalid JSON", { "gen-binding.config.json": "{ spec: 1 }" }, undefined, "DIR/gen-binding.config.json: not valid JSON: …"],
    ["a missing --config file", {}, "nope.ts", "--config nope.ts: no such file"],
    ["a --config file of another kind", { "settings.yaml": "spec: x.json\n" }, "settings.yaml", '--config settings.yaml: a config file is .ts, .mts, .js, .mjs or .json (or a package.json with a "gen-binding" key)'],
    ["a --config package.json without the key", { "package.json": '{ "name": "x" }' }, "package.json", 'DIR/package.json has no "gen-binding" key'],
  ])("refuses %s, naming the file", async (name, files, path, want) => {
    const dir = project(`bad-${name.replace(/\W+/g, "-")}`, files);
    const error = await loadConfig(dir, path).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GenBindingError);
    // `…` ends a message whose last words are Node's own (they vary between versions).
    const message = want.replaceAll("DIR", dir);
    if (message.endsWith("…")) expect((error as Error).message.startsWith(message.slice(0, -1))).toBe(true);
    else expect((error as Error).message).toBe(message);
  });

  it.each([
    ["an unknown setting in a .ts file", 'export default { spec: "x.json", outDir: "x" };\n', 'DIR/gen-binding.config.ts: unknown setting "outDir" (known: spec, specs, out, templates, handlers, kinds, kind, emit, failOnBreaking, report)'],
    ["a config without a spec", 'export default { out: "x" };\n', 'missing --spec <file|url|->: DIR/gen-binding.config.mjs gives no "spec" or "specs" (see gen-binding --help)'],
  ])("stops the CLI on %s: exit 2 and one line", (name, text, want) => {
    const dir = project(`cli-${name.replace(/\W+/g, "-")}`, { [name.includes(".ts") ? "gen-binding.config.ts" : "gen-binding.config.mjs"]: text });
    const result = runCli([], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`gen-binding: ${want.replaceAll("DIR", dir)}\n`);
  });

  it("loads jiti only for a TypeScript config, and a no-op run with one still loads neither TypeScript nor prettier", async () => {
    const tsDir = join(root, "probe-ts");
    project("probe-ts", { "gen-binding.config.ts": TS_CONFIG(tsDir) });
    const ts = await modulesOfCliRun([], tsDir);
    expect(JSON.parse(ts.stdout)).toMatchObject({ noop: true });
    expect(ts.modules.filter((path) => HEAVY.test(path))).toEqual([]);
    expect(ts.modules.some((path) => path.includes("/node_modules/jiti/"))).toBe(true);
    const jsonDir = join(root, "probe-json");
    project("probe-json", { "gen-binding.config.json": JSON.stringify(settings(jsonDir)) });
    const json = await modulesOfCliRun([], jsonDir);
    expect(JSON.parse(json.stdout)).toMatchObject({ noop: true });
    expect(json.modules.filter((path) => path.includes("/node_modules/jiti/"))).toEqual([]);
  });
});
