import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { readSurface } from "../src/surface.js";
import { EXAMPLE_SPEC, ROOT, SHARED_SPECS, readTree, realSpecs, tempDir } from "./helpers/run.js";
import { typecheck } from "./helpers/typecheck.js";
import { readFileSync, writeFileSync } from "node:fs";

const SNAPSHOTS = join(import.meta.dirname, "__snapshots__");

/** Generates into a fresh folder (marked as an ES module package, as users' projects are) and reads it back. */
async function generateTree(spec: string, kind = "Binding", emit?: string[]): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = tempDir("snap");
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  await generate({ spec, out: dir, kinds: [kind], ...(emit && { emit }) });
  const files = readTree(dir);
  delete files["package.json"];
  return { dir, files };
}

describe("emitted files for specs/binding.swagger.json", async () => {
  const { dir, files } = await generateTree(EXAMPLE_SPEC);

  // The committed out/ is the snapshot: it is what the README's quick-start command writes.
  it.each(Object.keys(files))("%s matches its snapshot, the committed file in out/", async (name) => {
    await expect(files[name]).toMatchFileSnapshot(join(ROOT, "out", name));
  });

  it.each(["nodenext", "bundler"] as const)("compile under tsc --strict with module resolution %s", (mode) => {
    expect(typecheck(dir, mode)).toEqual([]);
  });
});

describe("examples/k8s: Binding, Pod and Node in one output, for the example server and scheduler", async () => {
  const config = JSON.parse(readFileSync(join(ROOT, "examples", "gen-binding.config.json"), "utf8")) as { emit?: string[] };
  const { dir, files } = await generateTree(EXAMPLE_SPEC, "Binding,Pod,Node", config.emit);
  const committed = readTree(join(ROOT, "examples", "k8s"));

  it("is what examples/gen-binding.config.json generates, byte for byte", () => {
    // The handlers file is examples/server/handlers.ts (filled in by hand), which the manifest names.
    delete files["handlers.ts"];
    delete files[".gen-binding.json"];
    delete committed[".gen-binding.json"];
    expect(Object.keys(committed)).toEqual(Object.keys(files));
    for (const name of Object.keys(files)) expect(committed[name], name).toBe(files[name]);
  });

  it("declares each shared definition once and has one client, one route table and one ApiError", () => {
    const models = committed["models.ts"]!;
    expect(models.match(/^export interface ObjectMeta \{/gm)).toHaveLength(1);
    expect(committed["client.ts"]!.match(/^export function createClient\(/gm)).toHaveLength(1);
    expect(committed["client.ts"]).toContain("listPodForAllNamespaces(");
    expect(committed["client.ts"]).toContain("createNamespacedPodBinding(");
    expect(committed["client.ts"]).toContain("listNode(");
    expect(committed["routes.ts"]!.match(/^export interface Handlers \{/gm)).toHaveLength(1);
    expect(Object.keys(committed).filter((name) => /class ApiError\b/.test(committed[name]!))).toEqual(["runtime/api-error.ts"]);
  });

  it.each(["nodenext", "bundler"] as const)("compiles under the strictest settings with module resolution %s", (mode) => {
    expect(typecheck(dir, mode)).toEqual([]);
  });
});

const releases = realSpecs();
if (releases.length === 0) {
  console.warn(`SKIPPED: the real Kubernetes documents are not at ${SHARED_SPECS} (set GEN_BINDING_SHARED_SPECS); release snapshots not checked`);
}

describe.skipIf(releases.length === 0)("real Kubernetes releases", () => {
  // The output holds the release's own descriptions, which must not be committed here; the snapshot is
  // the public surface instead (models, fields, types, optionality, deprecation, operations).
  it.each(releases)("%s: surface matches its snapshot, output compiles under both module settings", async (version, path) => {
    const { dir, files } = await generateTree(path);
    const surface = readSurface(Object.entries(files).map(([name, content]) => ({ name, content })));
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(join(SNAPSHOTS, "releases", `${version}.surface.json`));
    expect(typecheck(dir, "nodenext")).toEqual([]);
    expect(typecheck(dir, "bundler")).toEqual([]);
  });

  it("marks Binding deprecated up to v1.31 and not from v1.32", async () => {
    const flags: Record<string, boolean> = {};
    for (const [version, path] of releases.filter(([v]) => ["v1.30", "v1.32"].includes(v))) {
      const { files } = await generateTree(path);
      flags[version] = readSurface([{ name: "models.ts", content: files["models.ts"]! }]).models["Binding"]!.deprecated;
    }
    expect(flags).toEqual({ "v1.30": true, "v1.32": false });
  });
});
