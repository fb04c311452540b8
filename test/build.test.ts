import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { MANIFEST_NAME } from "../src/manifest.js";
import { CLI, EXAMPLE_SPEC, ROOT, readTree, realSpecs, runCli, tempDir } from "./helpers/run.js";
import { addBindingOperation, writeVariant } from "./helpers/spec-variants.js";
import { BINDING_RUNTIME } from "./helpers/runtime-lists.js";

const RUNTIME = BINDING_RUNTIME;
const GENERATED = ["client.ts", "index.ts", "models.ts", "node.ts", "operations.ts", "routes.ts", ...RUNTIME];

/** Sets every file's mtime into the past, so that a rewrite is visible even within the same second. */
function ageFiles(dir: string): Record<string, number> {
  const old = new Date(Date.now() - 3_600_000);
  const times: Record<string, number> = {};
  for (const name of readdirSync(dir)) {
    utimesSync(join(dir, name), old, old);
    times[name] = statSync(join(dir, name)).mtimeMs;
  }
  return times;
}

describe("--check", () => {
  it("lists each stale file with a short unified diff, exits 1 and writes nothing", async () => {
    const out = tempDir("check");
    await generate({ spec: EXAMPLE_SPEC, out });
    const spec = writeVariant(out, "../check-spec.json", (d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.name.description = "Name of the node, for a binding."));
    const before = readTree(out);
    const result = runCli(["--spec", spec, "--out", out, "--check"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("  changed: models.ts\n    --- a/models.ts\n    +++ b/models.ts\n");
    expect(result.stdout).toContain("-  /** @description The object's name. */\n    +  /** @description Name of the node, for a binding. */");
    expect(result.stdout).not.toContain("changed: client.ts");
    expect(readTree(out)).toEqual(before);
  });

  it("cuts a long diff at a sane length", () => {
    const out = tempDir("check-long");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--check"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\.\.\. \(\d+ more lines of diff\)/);
    // Each of the files, a header and at most 60 lines of diff plus a line that says how much more there is.
    expect(result.stdout.split("\n").length).toBeLessThan((GENERATED.length + 1) * 64);
  });
});

describe("writing only what changed", () => {
  it("keeps the bytes and modification time of unchanged files", async () => {
    const out = tempDir("mtime");
    await generate({ spec: EXAMPLE_SPEC, out });
    const times = ageFiles(out);
    const spec = writeVariant(out, "../mtime-spec.json", (d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.uid.description = "UID, changed."));
    const result = await generate({ spec, out });
    expect(result.changes.filter((c) => c.action === "update").map((c) => c.name)).toEqual(["models.ts"]);
    for (const name of ["client.ts", "routes.ts", "index.ts", "handlers.ts"]) expect(statSync(join(out, name)).mtimeMs).toBe(times[name]);
    expect(statSync(join(out, "models.ts")).mtimeMs).toBeGreaterThan(times["models.ts"]!);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("removes files it wrote before and no longer emits, and never touches files it never wrote", async () => {
    const out = tempDir("remove");
    await generate({ spec: EXAMPLE_SPEC, out });
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_NAME), "utf8"));
    manifest.files["legacy.ts"] = "0".repeat(64);
    writeFileSync(join(out, MANIFEST_NAME), JSON.stringify(manifest));
    writeFileSync(join(out, "legacy.ts"), "// written by an older gen-binding\n");
    writeFileSync(join(out, "notes.md"), "mine\n");
    const result = await generate({ spec: EXAMPLE_SPEC, out });
    expect(result.changes.find((c) => c.name === "legacy.ts")?.action).toBe("remove");
    expect(existsSync(join(out, "legacy.ts"))).toBe(false);
    expect(readFileSync(join(out, "notes.md"), "utf8")).toBe("mine\n");
  });
});

describe("no-op runs", () => {
  it("stop after reading the spec when nothing that decides the output changed", async () => {
    const out = tempDir("noop");
    expect((await generate({ spec: EXAMPLE_SPEC, out })).noop).toBe(false);
    const again = await generate({ spec: EXAMPLE_SPEC, out });
    expect(again).toMatchObject({ noop: true, stale: false, kinds: ["core/v1/Binding"], operations: ["createNamespacedBinding", "createNamespacedPodBinding"] });
    expect(again.files.map((f) => f.name).sort()).toEqual([...GENERATED, "handlers.ts"].sort());
  });

  it("treat an edit of another kind in the spec as a no-op", async () => {
    const out = tempDir("noop-other");
    await generate({ spec: EXAMPLE_SPEC, out });
    const spec = writeVariant(out, "../other-kind.json", (d) => (d.definitions["io.k8s.api.core.v1.Pod"].description = "A pod, edited."));
    expect((await generate({ spec, out })).noop).toBe(true);
  });

  it("regenerate when a generated file was edited by hand or deleted", async () => {
    const out = tempDir("noop-edited");
    await generate({ spec: EXAMPLE_SPEC, out });
    writeFileSync(join(out, "client.ts"), "// edited\n");
    const result = await generate({ spec: EXAMPLE_SPEC, out });
    expect(result.noop).toBe(false);
    expect(result.changes.find((c) => c.name === "client.ts")?.action).toBe("update");
  });

  it("load neither TypeScript, prettier, handlebars nor ts-morph", async () => {
    const out = tempDir("noop-modules");
    await generate({ spec: EXAMPLE_SPEC, out });
    const log = `${out}-modules.log`;
    // Records every ES module resolved (hook) and every CommonJS module in the require cache (TypeScript
    // and prettier are loaded through the code cache, which registers them there).
    const hook = `data:text/javascript,${encodeURIComponent(`
      import { appendFileSync } from "node:fs";
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
        return result;
      }`)}`;
    const script = `${out}-run.mjs`;
    writeFileSync(
      script,
      `import { appendFileSync } from "node:fs";
       import { createRequire, register } from "node:module";
       register(${JSON.stringify(hook)});
       const { generate } = await import(${JSON.stringify(join(ROOT, "dist", "index.js"))});
       const result = await generate({ spec: ${JSON.stringify(EXAMPLE_SPEC)}, out: ${JSON.stringify(out)} });
       appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire(import.meta.url).cache).join("\\n") + "\\nnoop=" + result.noop + "\\n");`,
    );
    const run = () => new Promise<number>((resolve) => spawn(process.execPath, [script], { stdio: "ignore" }).on("exit", (code) => resolve(code ?? -1)));
    const heavy = /node_modules\/(typescript|prettier|handlebars|ts-morph|openapi-typescript)\//;
    writeFileSync(log, "");
    expect(await run()).toBe(0);
    const loaded = readFileSync(log, "utf8");
    expect(loaded).toContain("/dist/generate.js");
    expect(loaded).toContain("noop=true");
    expect(loaded).not.toMatch(heavy);
    // The same probe sees them in a full run, so the assertion above can fail.
    writeFileSync(join(out, "client.ts"), "// edited\n");
    writeFileSync(log, "");
    expect(await run()).toBe(0);
    const full = readFileSync(log, "utf8");
    expect(full).toContain("noop=false");
    for (const name of ["typescript", "prettier", "handlebars"]) expect(full).toMatch(new RegExp(`node_modules/${name}/`));
  });
});

describe("API change report", () => {
  it("marks a removed field as breaking, and --fail-on-breaking exits 1", () => {
    const out = tempDir("breaking");
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out]).status).toBe(0);
    const spec = writeVariant(out, "../no-fieldpath.json", (d) => {
      delete d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.fieldPath;
      d.definitions["io.k8s.api.core.v1.ObjectReference"].required = ["name"];
      d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.port = { type: "integer", description: "new" };
    });
    const result = runCli(["--spec", spec, "--out", out, "--fail-on-breaking"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("API changes of core/v1/Binding (3 changes, 2 breaking):\n");
    expect(result.stdout).toContain("  - field ObjectReference.fieldPath: field removed  [BREAKING]\n");
    expect(result.stdout).toContain("  ~ field ObjectReference.name: made required  [BREAKING]\n");
    expect(result.stdout).toContain("  + field ObjectReference.port: number, optional\n");
    expect(result.stderr).toBe("gen-binding: breaking API change of core/v1/Binding: nothing written (--fail-on-breaking); to accept it, run gen-binding --accept-breaking\n");
  });

  it("prints the outcome as JSON with --report json", () => {
    const out = tempDir("json");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    const spec = writeVariant(out, "../json.json", addBindingOperation);
    const result = runCli(["--spec", spec, "--out", out, "--report", "json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.apiChanges).toEqual({ breaking: false, changes: [{ change: "added", subject: "operation createBinding", detail: "POST /api/v1/bindings", breaking: false }] });
    expect(report.handlers).toEqual({ file: "handlers.ts", added: ["createBinding"], orphaned: [] });
  });

  const releases = new Map(realSpecs());
  it.skipIf(!releases.has("v1.30") || !releases.has("v1.32"))("reports that Binding is no longer deprecated from v1.30 to v1.32", async () => {
    const out = tempDir("releases");
    await generate({ spec: releases.get("v1.30")!, out });
    const result = await generate({ spec: releases.get("v1.32")!, out });
    expect(result.report).toEqual({ breaking: false, changes: [{ change: "changed", subject: "model Binding", detail: "no longer marked deprecated", breaking: false }] });
  });
});

describe("the user's handlers.ts", () => {
  const HAND_WRITTEN = `// Our scheduler's binding endpoint.
import { statusAnswer, type Handlers } from "./routes.js";
import { bindPod } from "./store.js";

export const handlers: Handlers = {
  async createNamespacedBinding(request) {
    return statusAnswer(405, "MethodNotAllowed", "use pods/binding");
  },
  async createNamespacedPodBinding({ params, body }, context) {
    // keep: custom logic
    await bindPod(params.namespace, params.name, body.target.name ?? "", context.user);
    return { status: 201, body: { kind: "Status", apiVersion: "v1", status: "Success", code: 201 } };
  }
};
`;

  it("gets a stub for a new operation appended, every existing line kept as it was", async () => {
    const out = tempDir("merge");
    await generate({ spec: EXAMPLE_SPEC, out });
    writeFileSync(join(out, "handlers.ts"), HAND_WRITTEN);
    const spec = writeVariant(out, "../merge.json", addBindingOperation);
    const result = await generate({ spec, out });
    expect(result.handlers).toEqual({ file: "handlers.ts", added: ["createBinding"], orphaned: [], problem: undefined });
    const merged = readFileSync(join(out, "handlers.ts"), "utf8");
    // One block was inserted; everything before and after it is the user's text, byte for byte.
    let prefix = 0;
    while (merged[prefix] === HAND_WRITTEN[prefix]) prefix++;
    let suffix = 0;
    while (suffix < HAND_WRITTEN.length - prefix && merged[merged.length - 1 - suffix] === HAND_WRITTEN[HAND_WRITTEN.length - 1 - suffix]) suffix++;
    expect(prefix + suffix).toBe(HAND_WRITTEN.length);
    const inserted = merged.slice(prefix, merged.length - suffix);
    expect(merged).toContain("  async createBinding(request, context) {\n");
    expect(inserted).toContain("Binding(request, context) {");
    expect(inserted).not.toContain("createNamespacedPodBinding");
    // The merged file is still valid code for the new routes.
    const { typecheck } = await import("./helpers/typecheck.js");
    writeFileSync(join(out, "store.ts"), "export async function bindPod(..._args: unknown[]): Promise<void> {}\n");
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    expect(typecheck(out, "bundler", [], { noUnusedParameters: false })).toEqual([]);
  });

  it("reports handlers whose operation no longer exists, leaves them, and the project still compiles", async () => {
    const out = tempDir("orphan");
    await generate({ spec: EXAMPLE_SPEC, out });
    writeFileSync(join(out, "handlers.ts"), HAND_WRITTEN);
    const spec = writeVariant(out, "../orphan.json", (d) => delete d.paths["/api/v1/namespaces/{namespace}/bindings"]);
    const result = await generate({ spec, out });
    expect(result.handlers).toEqual({ file: "handlers.ts", added: [], orphaned: ["createNamespacedBinding"], problem: undefined });
    expect(readFileSync(join(out, "handlers.ts"), "utf8")).toBe(HAND_WRITTEN);
    const { typecheck } = await import("./helpers/typecheck.js");
    writeFileSync(join(out, "store.ts"), "export async function bindPod(..._args: unknown[]): Promise<void> {}\n");
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    expect(typecheck(out, "bundler", [], { noUnusedParameters: false })).toEqual([]);
  });
});

describe("configuration", () => {
  it("reads gen-binding.config.json, with flags winning", () => {
    const cwd = tempDir("config");
    writeFileSync(join(cwd, "gen-binding.config.json"), JSON.stringify({ spec: EXAMPLE_SPEC, out: "generated", report: "json" }));
    const fromConfig = runCli([], { cwd });
    expect(fromConfig.status).toBe(0);
    expect(JSON.parse(fromConfig.stdout).outDir).toBe(join(cwd, "generated"));
    const flagsWin = runCli(["--out", "other", "--report", "text"], { cwd });
    expect(flagsWin.stdout).toMatch(/-> other: created models\.ts/);
  });

  it("reads a \"gen-binding\" key in package.json", () => {
    const cwd = tempDir("pkg-config");
    writeFileSync(join(cwd, "package.json"), JSON.stringify({ name: "x", "gen-binding": { spec: EXAMPLE_SPEC, out: "k8s" } }));
    expect(runCli([], { cwd }).status).toBe(0);
    expect(existsSync(join(cwd, "k8s", "client.ts"))).toBe(true);
  });

  it("rejects unknown settings with the file named", () => {
    const cwd = tempDir("bad-config");
    writeFileSync(join(cwd, "gen-binding.config.json"), JSON.stringify({ spec: EXAMPLE_SPEC, outDir: "x" }));
    const result = runCli([], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`gen-binding: ${join(cwd, "gen-binding.config.json")}: unknown setting "outDir" (known: spec, specs, out, templates, handlers, kinds, kind, emit, failOnBreaking, report)\n`);
  });
});

describe("--templates", () => {
  it("lets a team override a built-in template or partial, and re-runs when it changes", async () => {
    const out = tempDir("templates");
    const templates = join(out, "..", `${out.split("/").pop()}-templates`);
    mkdirSync(templates);
    writeFileSync(join(templates, "_handler.hbs"), "  async {{name}}() {\n    return statusAnswer(501, \"NotImplemented\", \"team stub for {{name}}\");\n  },\n");
    await generate({ spec: EXAMPLE_SPEC, out, templates });
    expect(readFileSync(join(out, "handlers.ts"), "utf8")).toContain('"team stub for createNamespacedPodBinding"');
    writeFileSync(join(templates, "index.ts.hbs"), "{{{header}}}export * from \"./client.js\";\n");
    const result = await generate({ spec: EXAMPLE_SPEC, out, templates });
    expect(result.noop).toBe(false);
    const index = readFileSync(join(out, "index.ts"), "utf8");
    expect(index).toContain('export * from "./client.js";');
    expect(index).not.toContain("routes.js");
  });
});

describe("--watch", () => {
  it("regenerates on change, keeps the last good output on a broken spec, and exits cleanly on SIGINT", async () => {
    const out = tempDir("watch");
    const spec = join(out, "..", `${out.split("/").pop()}-spec.json`);
    writeFileSync(spec, readFileSync(EXAMPLE_SPEC, "utf8"));
    const child = spawn(process.execPath, [CLI, "--spec", spec, "--out", out, "--watch"], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(output); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toMatch(pattern);
    };
    try {
      await waitFor(/watching /);
      writeVariant(out, `../${spec.split("/").pop()}`, (d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.uid.description = "UID, edited."));
      await waitFor(/updated models\.ts/);
      const good = readTree(out);
      writeFileSync(spec, "{ not json");
      await waitFor(/not valid JSON.*\(keeping the last good output\)/);
      expect(readTree(out)).toEqual(good);
      child.kill("SIGINT");
      const code = await new Promise((resolve) => child.on("exit", resolve));
      expect(code).toBe(0);
      expect(output).toContain("stopped watching");
      expect(output.trim().split("\n").filter((l) => l.includes("->")).length).toBe(2);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("the user's handlers.ts of a kind that had no operations", () => {
  it("gets statusAnswer imported on a new line when stubs that need it are appended", async () => {
    const out = tempDir("merge-import");
    const noOps = writeVariant(out, "../no-ops.json", (d) => {
      delete d.paths["/api/v1/namespaces/{namespace}/bindings"];
      delete d.paths["/api/v1/namespaces/{namespace}/pods/{name}/binding"];
    });
    await generate({ spec: noOps, out });
    const before = readFileSync(join(out, "handlers.ts"), "utf8");
    expect(before).toContain('import { type Handlers } from "./routes.js";');
    const result = await generate({ spec: EXAMPLE_SPEC, out });
    expect(result.handlers.added).toEqual(["createNamespacedBinding", "createNamespacedPodBinding"]);
    const after = readFileSync(join(out, "handlers.ts"), "utf8");
    for (const line of before.split("\n")) expect(after.split("\n")).toContain(line);
    expect(after).toContain('import { type Handlers } from "./routes.js";\nimport { statusAnswer } from "./routes.js";\n');
    const { typecheck } = await import("./helpers/typecheck.js");
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    expect(typecheck(out, "bundler")).toEqual([]);
  });
});
