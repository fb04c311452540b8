import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { formatTypeScript } from "../src/format.js";
import { parseKindQueries } from "../src/gvk.js";
import { loadDocument } from "../src/load.js";
import { selectKinds } from "../src/select.js";
import { templateSources } from "../src/template-sources.js";
import { CLI, EXAMPLE_SPEC, ROOT, readTree, realSpecs, tempDir } from "./helpers/run.js";

// Big outputs render on a thread of their own and are formatted on worker threads (render-thread.ts,
// format-pool.ts). Worker threads run the built files (dist/), so these tests run the CLI or import dist/;
// from the TypeScript sources, as the other tests run, everything stays on the main thread.
// GEN_BINDING_WORKERS=N puts any output on threads, 0 keeps it on the main thread.

const dist = async <T>(module: string): Promise<T> => (await import(pathToFileURL(join(ROOT, "dist", module)).href)) as T;

function generateInto(out: string, args: string[], workers: number) {
  const run = spawnSync(process.execPath, [CLI, "--out", out, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, GEN_BINDING_WORKERS: String(workers) } });
  return { status: run.status, stderr: run.stderr };
}

const newest = realSpecs().at(-1);

describe("rendering and formatting on worker threads", () => {
  it("gives the committed example output, byte for byte", () => {
    const out = join(tempDir("workers"), "out");
    expect(generateInto(out, ["--spec", EXAMPLE_SPEC], 2)).toEqual({ status: 0, stderr: "" });
    expect(readTree(out)).toEqual(readTree(join(ROOT, "out")));
  });

  it.skipIf(!newest)("gives the bytes of the main thread for several kinds of the newest release", () => {
    const dir = tempDir("workers");
    const args = ["--spec", newest![1], "--kind", "Pod,Node,Deployment,StatefulSet,CustomResourceDefinition"];
    expect(generateInto(join(dir, "threads"), args, 3).status).toBe(0);
    expect(generateInto(join(dir, "main"), args, 0).status).toBe(0);
    expect(readTree(join(dir, "threads"))).toEqual(readTree(join(dir, "main")));
  });

  it("stops a run whose template fails on the render thread, with the template's error (exit 2)", () => {
    const dir = tempDir("workers");
    mkdirSync(join(dir, "templates"));
    writeFileSync(join(dir, "templates", "client.ts.hbs"), "{{noSuchField}}\n");
    const run = generateInto(join(dir, "out"), ["--spec", EXAMPLE_SPEC, "--templates", join(dir, "templates")], 2);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^gen-binding: template client\.ts\.hbs failed: /);
  });

  it("formats on the main thread what a worker could not (a worker out of memory)", async () => {
    const { FormatPool } = await dist<typeof import("../src/format-pool.js")>("format-pool.js");
    // Too little heap to even load prettier: both workers die, and their batches come back here.
    const pool = FormatPool.start(2, { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 })!;
    const source = "export const a = {b:1};\n\n\nexport function f(x: number) { return x+1 }\n";
    try {
      expect(await pool.formatModule(source, "x.ts", [0, source.indexOf("\n\n\nexport") + 1])).toBe(await formatTypeScript(source, "x.ts"));
    } finally {
      await pool.close();
    }
  });

  it("reports emitted code that does not parse, naming the file", async () => {
    const { FormatPool } = await dist<typeof import("../src/format-pool.js")>("format-pool.js");
    const pool = FormatPool.start(1)!;
    try {
      await expect(pool.formatModule("export const = ;", "client.ts", [0])).rejects.toThrow(/^internal error: emitted client\.ts is not valid TypeScript: /);
    } finally {
      await pool.close();
    }
  });

  it("renders on the main thread when the render thread dies (out of memory)", async () => {
    const { startRenderStage } = await dist<typeof import("../src/render-thread.js")>("render-thread.js");
    const selection = selectKinds((await loadDocument(EXAMPLE_SPEC)).document, parseKindQueries(["Binding"]), EXAMPLE_SPEC);
    const settings = { templates: templateSources(), parts: ["client", "models", "node", "routes"] as const, handlersFile: "handlers.ts", routesImport: "./routes.js" };
    const here = await startRenderStage({ ...settings, parts: [...settings.parts] }, 0);
    const previous = process.env["GEN_BINDING_WORKERS"];
    process.env["GEN_BINDING_WORKERS"] = "1";
    try {
      const dying = await startRenderStage({ ...settings, parts: [...settings.parts] }, 0, { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 });
      expect(await dying.render(selection, EXAMPLE_SPEC)).toEqual(await here.render(selection, EXAMPLE_SPEC));
      await dying.close();
    } finally {
      if (previous === undefined) delete process.env["GEN_BINDING_WORKERS"];
      else process.env["GEN_BINDING_WORKERS"] = previous;
    }
  });
});
