import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiSlice, versionInfo } from "../src/emit/discovery.js";
import { generate } from "../src/generate.js";
import { parseKindQueries } from "../src/gvk.js";
import { loadDocument } from "../src/load.js";
import { selectKinds } from "../src/select.js";
import { EXAMPLE_SPEC, realSpecs, tempDir } from "./helpers/run.js";
import { typecheck } from "./helpers/typecheck.js";

/** The `discovery` part: what the routes serve at /openapi/v2 and /version, from the document. */
describe("--emit discovery", () => {
  it("is not emitted by default (it is as large as the slice); asked for, it comes with the routes", async () => {
    const plain = tempDir("no-discovery");
    await generate({ spec: EXAMPLE_SPEC, out: plain });
    expect(existsSync(join(plain, "discovery.ts"))).toBe(false);
    const out = tempDir("discovery");
    const result = await generate({ spec: EXAMPLE_SPEC, out, emit: ["discovery"] });
    expect(result.files.map((f) => f.name).filter((n) => !n.startsWith("runtime/")).sort()).toEqual(["discovery.ts", "handlers.ts", "index.ts", "models.ts", "operations.ts", "routes.ts"]);
    // The code that serves discovery (and writes the protobuf kubectl reads) comes with discovery.ts only.
    const serving = ["runtime/discovery.ts", "runtime/openapi-proto.ts", "runtime/versions.ts"];
    expect(serving.filter((name) => existsSync(join(out, name)))).toEqual(serving);
    expect(serving.filter((name) => existsSync(join(plain, name)))).toEqual([]);
  });

  it.each([
    ["v1.36", { major: "1", minor: "36", gitVersion: "v1.36.0" }],
    ["v1.30.2", { major: "1", minor: "30", gitVersion: "v1.30.2" }],
    ["1.29.0-rc.1", { major: "1", minor: "29", gitVersion: "v1.29.0-rc.1" }],
    ["unversioned", { major: "", minor: "", gitVersion: "unversioned" }],
  ])("reads /version from info.version %j", (version, want) => {
    expect(versionInfo(version)).toEqual({ ...want, gitCommit: "", gitTreeState: "", buildDate: "", goVersion: "", compiler: "", platform: "" });
  });
});

/** Every `$ref` of a document, as JSON pointers. */
function refs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, found);
  else if (typeof node === "object" && node !== null)
    for (const [key, value] of Object.entries(node)) key === "$ref" && typeof value === "string" ? found.push(value) : refs(value, found);
  return found;
}

const cases: Array<[string, string, string]> = [["the fixture", EXAMPLE_SPEC, "Binding,Pod,Node"]];
const newest = realSpecs().at(-1);
if (newest) cases.push([`${newest[0]}`, newest[1], "Pod,Node,Deployment,Eviction,RoleBinding"]);
else console.warn("discovery-part.test.ts: ../shared/specs is absent; checking the fixture only");

describe.each(cases)("the OpenAPI slice of %s", (_name, spec, kinds) => {
  it("is a Swagger 2.0 document of its own: every operation, every $ref resolved inside it, the GVK extensions kept", async () => {
    const { document } = await loadDocument(spec);
    const selection = selectKinds(document, parseKindQueries([kinds]), spec);
    const slice = openApiSlice(selection, "authorization") as any;
    expect(slice.swagger).toBe("2.0");
    const operations = Object.values(slice.paths).flatMap((item: any) => Object.values(item)) as any[];
    expect(operations).toHaveLength(selection.operations.length);
    for (const ref of refs(slice)) expect(slice.definitions, ref).toHaveProperty([ref.replace("#/definitions/", "")]);
    expect(refs(slice).every((ref) => ref.startsWith("#/definitions/"))).toBe(true);
    for (const { definitionName } of selection.kinds) expect(slice.definitions[definitionName]["x-kubernetes-group-version-kind"]).toBeDefined();
    for (const op of operations) expect(op.parameters.every((p: any) => p.$ref === undefined)).toBe(true);
  });

  it("compiles under the strictest settings, and the routes serve it", async () => {
    const out = tempDir("discovery-compile");
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    await generate({ spec, out, kinds: [kinds], emit: ["models", "routes", "discovery"] });
    expect(typecheck(out, "nodenext")).toEqual([]);
    const { discovery } = await import(join(out, "discovery.ts"));
    const { createFetchHandler } = await import(join(out, "routes.ts"));
    const handle = createFetchHandler({}, { discovery });
    const get = async (path: string) => (await handle(new Request(`http://k8s.test${path}`))).json();
    expect((await get("/openapi/v2")).definitions).toEqual(discovery.openapi.definitions);
    const groups = (await get("/apis")).groups.map((g: any) => g.name);
    expect(groups).toEqual(kinds.includes("Deployment") ? ["apps", "rbac.authorization.k8s.io"] : []);
    const core = (await get("/api/v1")).resources;
    expect(core.map((r: any) => r.name)).toEqual(expect.arrayContaining(["nodes", "pods", ...(kinds.startsWith("Binding") ? ["bindings", "pods/binding"] : [])]));
    if (kinds.includes("Eviction")) expect(core.find((r: any) => r.name === "pods/eviction")).toEqual({ name: "pods/eviction", singularName: "", namespaced: true, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] });
  });
});
