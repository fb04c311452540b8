import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_SPEC, ROOT } from "./helpers/run.js";

interface PackageJson {
  files: string[];
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

// What the tarball holds: these files, and files under these folders (one entry per folder of "files";
// a new folder such as runtime/ is one more prefix here).
const PACKED_FILES = ["LICENSE", "README.md", "package.json"];
const PACKED_FOLDERS = ["bin/", "dist/", "src/runtime/", "templates/"];

/** npm's lines that a user would see as a problem in their own install. */
const INSTALL_WARNING = /EBADENGINE|install-scripts|npm warn deprecated/;

/** The environment without what `npm test` sets for its own script, so a consumer's npm sees only its own project. */
function consumerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(lifecycle_|package_|command$|config_local_prefix$|config_call$)/i.test(key)));
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: consumerEnv(), timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `npm install` in a consumer project; fails the test on an error or on a warning a user would see. */
function npmInstall(cwd: string, args: string[]): string {
  const install = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...args], cwd);
  expect(install.status, install.output).toBe(0);
  expect(install.output.split("\n").filter((line) => INSTALL_WARNING.test(line))).toEqual([]);
  return install.output;
}

/** A consumer project outside the repository, so nothing resolves from this repository's node_modules. */
function consumer(name: string): string {
  const root = mkdtempSync(join(consumers, `${name}-`));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }, null, 2));
  return root;
}

/** Every folder named `name` under node_modules, at any depth (a package installed twice shows twice). */
function installedCopies(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name === name && existsSync(join(path, "package.json"))) found.push(path);
      visit(path);
    }
  };
  visit(nodeModules);
  return found;
}

/** Packages (folders with a package.json directly under a node_modules) and bytes of a node_modules tree. */
function footprint(nodeModules: string): { packages: number; megabytes: number } {
  let packages = 0;
  let bytes = 0;
  const visit = (dir: string, underNodeModules: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const scope = underNodeModules && entry.name.startsWith("@");
        if (underNodeModules && !scope && !entry.name.startsWith(".") && existsSync(join(path, "package.json"))) packages++;
        visit(path, entry.name === "node_modules" || scope);
      } else if (entry.isFile()) bytes += statSync(path).size;
    }
  };
  visit(nodeModules, true);
  return { packages, megabytes: Math.round(bytes / 1e5) / 10 };
}

const CLEAN_TSCONFIG = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["out/**/*.ts", "gen-binding.config.ts"],
};

/** The consumer's config: typed by the package's own defineConfig, read by the packed CLI (through jiti). */
const CONSUMER_CONFIG = `import { defineConfig, type GenBindingConfig } from "gen-binding";

const kinds: GenBindingConfig["kinds"] = ["Binding", "Pod", "Node"];
export default defineConfig({ spec: ${JSON.stringify(EXAMPLE_SPEC)}, out: "out", kinds, emit: ["models", "client", "routes", "node", "discovery"] });
`;

let consumers: string;
let tarball: string;

beforeAll(() => {
  consumers = mkdtempSync(join(tmpdir(), "gen-binding-consumers-"));
  // npm test has just built dist/; --ignore-scripts keeps npm from running prepack (a second build that
  // would rewrite dist/ under the other test files that are running it).
  expect(existsSync(join(ROOT, "dist", "cli.js")), "dist/cli.js is missing: npm run build first (npm test does)").toBe(true);
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", consumers], { cwd: ROOT, encoding: "utf8", env: consumerEnv() });
  expect(pack.status, pack.stderr).toBe(0);
  tarball = join(consumers, pack.stdout.trim().split("\n").pop()!);
});
afterAll(() => rmSync(consumers, { recursive: true, force: true }));

describe("the package as published", () => {
  it("holds exactly bin/, dist/, src/runtime/, templates/, LICENSE, README.md and package.json, and everything package.json points at", () => {
    const dryRun = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", env: consumerEnv() });
    expect(dryRun.status, dryRun.stderr).toBe(0);
    const paths = (JSON.parse(dryRun.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
    expect(paths.filter((path) => !PACKED_FILES.includes(path) && !PACKED_FOLDERS.some((folder) => path.startsWith(folder)))).toEqual([]);
    for (const file of PACKED_FILES) expect(paths).toContain(file);
    for (const folder of PACKED_FOLDERS) expect(paths.some((path) => path.startsWith(folder)), folder).toBe(true);
    expect(PACKAGE.files.map((entry) => `${entry.replace(/\/$/, "")}/`).sort()).toEqual([...PACKED_FOLDERS].sort());
    for (const template of readdirSync(join(ROOT, "templates"))) expect(paths).toContain(`templates/${template}`);
    // The runtime's sources, which every output gets a copy of, and nothing else of src/ (no tests live there).
    expect(paths.filter((path) => path.startsWith("src/")).sort()).toEqual(readdirSync(join(ROOT, "src", "runtime")).map((file) => `src/runtime/${file}`).sort());
    const exportTargets = Object.values(PACKAGE.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
    for (const target of [...Object.values(PACKAGE.bin), PACKAGE.main, PACKAGE.types, ...exportTargets]) expect(paths).toContain(target.replace(/^\.\//, ""));
  });

  it("builds nothing on install (no install or prepare script) and builds dist/ when packed", () => {
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(PACKAGE.scripts[hook], hook).toBeUndefined();
    expect(PACKAGE.scripts["prepack"]).toBe("npm run build:cli");
    expect(PACKAGE.scripts["build:cli"]).toContain("tsc -p tsconfig.build.json");
  });

  it("carries the Apache-2.0 license text that package.json names", () => {
    expect((PACKAGE as unknown as { license: string }).license).toBe("Apache-2.0");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });

  it("takes typescript 5 as a peer (the project's own copy), never as a dependency of its own", () => {
    expect(PACKAGE.peerDependencies).toEqual({ typescript: "^5" });
    expect(PACKAGE.dependencies["typescript"]).toBeUndefined();
    expect(PACKAGE.devDependencies["typescript"]).toMatch(/^5\.\d+\.\d+$/);
  });
});

describe("packed install in a consumer project", () => {
  it("installs without warnings, shares the project's TypeScript 5, reads a typed gen-binding.config.ts, and writes code its strict tsconfig compiles", () => {
    const project = consumer("strict");
    const output = npmInstall(project, ["--save-dev", tarball, `typescript@${PACKAGE.devDependencies["typescript"]}`, `@types/node@${PACKAGE.devDependencies["@types/node"]}`]);
    const nodeModules = join(project, "node_modules");
    expect(installedCopies(nodeModules, "typescript")).toEqual([join(nodeModules, "typescript")]);
    expect(readdirSync(join(nodeModules, "gen-binding", "src"))).toEqual(["runtime"]);
    const { packages, megabytes } = footprint(nodeModules);
    process.stderr.write(`packed install under Node ${process.version}: ${packages} packages, ${megabytes} MB in node_modules, with the project's typescript and @types/node (npm: ${/added \d+ packages?[^\n]*/.exec(output)?.[0] ?? "?"})\n`);

    // Every part and kinds with watches and patches, so that every runtime module is copied (discovery's only come with --emit discovery).
    writeFileSync(join(project, "gen-binding.config.ts"), CONSUMER_CONFIG);
    const generate = run("npx", ["--no-install", "gen-binding"], project);
    expect(generate.status, generate.output).toBe(0);
    expect(generate.output).toContain(`gen-binding: core/v1/Binding, core/v1/Node, core/v1/Pod, 33 operations, 165 models -> ${join(project, "out")}: created models.ts`);
    expect(readdirSync(join(project, "out")).filter((file) => file.endsWith(".ts")).length).toBeGreaterThan(0);
    expect(readdirSync(join(project, "out", "runtime")).sort()).toEqual(readdirSync(join(nodeModules, "gen-binding", "src", "runtime")).sort());

    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(CLEAN_TSCONFIG, null, 2));
    const tsc = run(process.execPath, [join(nodeModules, "typescript", "bin", "tsc"), "-p", "."], project);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  }, 300_000);

  it("says in one line what to install when the project has no TypeScript, or TypeScript 7, and writes nothing", () => {
    const project = consumer("no-typescript");
    // Only a project that ignores peers can end up without typescript: npm installs a missing peer itself.
    npmInstall(project, ["--legacy-peer-deps", tarball]);
    expect(installedCopies(join(project, "node_modules"), "typescript")).toEqual([]);
    const none = run("npx", ["--no-install", "gen-binding", "--spec", EXAMPLE_SPEC], project);
    expect(none.status).toBe(2);
    expect(none.output.trim().split("\n").filter((line) => line.startsWith("gen-binding:"))).toEqual([
      "gen-binding: writing models.ts needs TypeScript 5.x in your project (a peer dependency of gen-binding), and none is installed: npm install --save-dev typescript@5",
    ]);
    expect(existsSync(join(project, "out"))).toBe(false);

    // TypeScript 7, the native port: npm itself refuses gen-binding beside it, naming the peer...
    const seven = consumer("typescript-7");
    npmInstall(seven, ["--save-dev", "typescript@7"]);
    const refused = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--save-dev", tarball], seven);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain("ERESOLVE");
    expect(refused.output).toContain('peer typescript@"^5" from gen-binding');
    // ...and when peers are ignored, gen-binding says what it found.
    npmInstall(seven, ["--legacy-peer-deps", "--save-dev", tarball]);
    const found = run("npx", ["--no-install", "gen-binding", "--spec", EXAMPLE_SPEC], seven);
    expect(found.status).toBe(2);
    const lines = found.output.trim().split("\n").filter((line) => line.startsWith("gen-binding:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gen-binding: writing models\.ts needs TypeScript 5\.x in your project \(a peer dependency of gen-binding\); found TypeScript 7\.\d+\.\d+ \(.*\), the native compiler, which has no JavaScript API: npm install --save-dev typescript@5$/);
    expect(existsSync(join(seven, "out"))).toBe(false);
  }, 300_000);
});
