import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outlineModule } from "../src/emit/scope.js";
import { emitAll } from "../src/emit/index.js";
import { formatGvk, parseKindQueries } from "../src/gvk.js";
import { parseDocument } from "../src/load.js";
import { type ApiModel, buildModel } from "../src/model.js";
import { checkBody, checkTypeMeta, type Shape } from "../src/runtime/validate.js";
import { listKinds, selectKinds } from "../src/select.js";
import { templateSources } from "../src/template-sources.js";
import { compileTemplates } from "../src/templates.js";
import { SHARED_SPECS, realSpecs, tempDir } from "./helpers/run.js";
import { type Schemas, modelArbitrary, mutate } from "./helpers/schema-values.js";
import { typecheckFolders } from "./helpers/typecheck.js";

/**
 * The models and the routes' validation against the schema, for every kind of the newest release and a sample
 * of each other: values drawn from each kind's schema must type-check against the emitted models and pass
 * the validation the emitted routes run (their shapes, the runtime's checks); each value mutated to break one
 * rule (a wrong type, a missing required field, a wrong apiVersion) must be refused by both. A fixed seed in
 * `npm test`; `FC_SEED` and `FC_RUNS` (values per kind, default 2) vary it.
 */
const SEED = Number(process.env["FC_SEED"] ?? 10);
const RUNS = Number(process.env["FC_RUNS"] ?? 2);
const SAMPLE = ["core/v1/Binding", "core/v1/Pod", "core/v1/Node", "core/v1/Service", "apps/v1/Deployment", "apiextensions.k8s.io/v1/CustomResourceDefinition", "policy/v1/Eviction", "authentication.k8s.io/v1/TokenRequest", "autoscaling/v1/Scale", "events.k8s.io/v1/Event"];

const releases = realSpecs();
if (releases.length === 0) console.warn(`SKIPPED: the real Kubernetes documents are not at ${SHARED_SPECS}; the property test of the models did not run`);

interface Case {
  release: string;
  kind: string;
  rule: string;
  field: string;
  value: unknown;
}

/**
 * The models and routes of a release for its kinds, as generate() emits them (names included: a model may not
 * take a name the other modules declare), before formatting, which changes no type; and the IR.
 */
function emitRelease(version: string, path: string, newest: boolean): { dir: string; model: ApiModel; shapes: Record<string, Shape> } {
  const document = parseDocument(readFileSync(path, "utf8"), path);
  const all = listKinds(document).map(formatGvk);
  const selection = selectKinds(document, parseKindQueries(newest ? ["*"] : SAMPLE.filter((k) => all.includes(k))), path);
  const emit = (model: ApiModel) => emitAll(model, templates, { parts: new Set(["models", "routes"]), handlersFile: "handlers.ts", routesImport: "./routes.js" });
  let model = buildModel(selection, path);
  let files = emit(model);
  const declared = new Set(files.filter((f) => !f.userOwned && f.name !== "models.ts").flatMap((f) => [...outlineModule(f.name, f.content).declared]));
  if (model.schemas.some((s) => declared.has(s.name))) files = emit((model = buildModel(selection, path, declared)));
  const dir = tempDir(`property-${version}`);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "models.ts"), files.find((f) => f.name === "models.ts")!.content);
  // The shapes the routes check bodies against: the string literal routes.ts parses.
  const routes = files.find((f) => f.name === "routes.ts")!.content;
  const literal = /const shapes: runtime\.RouteTable\["shapes"\] = JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(routes)![1]!;
  return { dir, model, shapes: JSON.parse(JSON.parse(literal) as string) };
}

const templates = compileTemplates(templateSources());

/** A seeded choice of 0 .. n-1 (mulberry32). */
function chooser(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe.skipIf(releases.length === 0)("values from the schema, against the emitted models and the routes' validation", () => {
  it("accepts every value the schema allows and refuses every value that breaks one rule, in the types and in the routes", async () => {
    const dirs: string[] = [];
    const refusedByRoutes: string[] = [];
    const acceptedByRoutes: string[] = [];
    const lines = new Map<string, Case>();
    let cases = 0;
    for (const [index, [version, path]] of releases.entries()) {
      const { dir, model, shapes } = emitRelease(version, path, index === releases.length - 1);
      const schemas: Schemas = new Map(model.schemas.map((s) => [s.name, s]));
      const pick = chooser(SEED + index);
      const source: string[] = [`import type * as m from "./models.js";`];
      for (const kind of model.kinds) {
        // A definition of several kinds (DeleteOptions) allows each one's apiVersion; the endpoint checks its
        // own. Status keeps plain strings in the models (the routes' runtime builds it), so any kind there.
        const own = (value: unknown) => {
          if (typeof value !== "object" || value === null) return value;
          const typeMeta = { ...("apiVersion" in value && { apiVersion: kind.apiVersion }), ...("kind" in value && { kind: kind.kind }) };
          return { ...value, ...typeMeta };
        };
        const values = fc.sample(modelArbitrary(kind.typeName, schemas), { seed: SEED + index, numRuns: RUNS }).map(own);
        const kindSpec = { group: kind.group, version: kind.version, kind: kind.kind, type: kind.typeName, names: kind.nameRule };
        const validation = (value: unknown) => [...checkBody(value, kind.typeName, shapes).problems.items.map((p) => `${p.field}: ${p.message}`), ...[checkTypeMeta(value, kindSpec)].filter((m) => m !== undefined)];
        for (const value of values) {
          const where = `${version} ${kind.id}`;
          const problems = validation(value);
          if (problems.length) refusedByRoutes.push(`${where}: ${problems.join("; ")} in ${JSON.stringify(value).slice(0, 300)}`);
          source.push(`export const v${cases++}: m.${kind.typeName} = ${JSON.stringify(value)};`);
          lines.set(`${dir}/values.ts:${source.length}`, { release: version, kind: kind.id, rule: "valid", field: "", value });
          const mutation = mutate(value, schemas.get(kind.typeName)!, schemas, pick);
          if (!mutation) continue;
          if (validation(mutation.value).length === 0) acceptedByRoutes.push(`${where}: ${mutation.rule} at ${mutation.field}: ${JSON.stringify(mutation.value).slice(0, 300)}`);
          source.push("// @ts-expect-error", `export const v${cases++}: m.${kind.typeName} = ${JSON.stringify(mutation.value)};`);
          lines.set(`${dir}/values.ts:${source.length - 1}`, { release: version, kind: kind.id, ...mutation });
        }
      }
      writeFileSync(join(dir, "values.ts"), `${source.join("\n")}\n`);
      dirs.push(dir);
      console.log(`${version}: ${model.kinds.length} kinds, values checked so far: ${cases}`);
    }
    expect(refusedByRoutes, "values the schema allows, refused by the routes").toEqual([]);
    expect(acceptedByRoutes, "values that break a rule, accepted by the routes").toEqual([]);
    const diagnostics = typecheckFolders([], "nodenext", dirs.flatMap((dir) => [join(dir, "models.ts"), join(dir, "values.ts")]));
    const explained = diagnostics.map((d) => {
      const at = lines.get(/^(.*?values\.ts:\d+):/.exec(d)?.[1] ?? "");
      return at ? `${at.release} ${at.kind} (${at.rule}${at.field ? ` at ${at.field}` : ""}): ${d.replace(/^.*?: /, "")} ${JSON.stringify(at.value).slice(0, 300)}` : d;
    });
    expect(explained, "type errors for values the schema allows, or no error for a broken one").toEqual([]);
    expect(cases).toBeGreaterThan(releases.length * RUNS);
  }, 600_000);
});
