import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outlineModule } from "../src/emit/scope.js";
import { generate } from "../src/generate.js";
import { operationNames, pascalCase } from "../src/names.js";
import { runtimeSources } from "../src/runtime-files.js";
import { EXAMPLE_SPEC, readTree, tempDir } from "./helpers/run.js";
import { writeVariant } from "./helpers/spec-variants.js";
import { typecheck } from "./helpers/typecheck.js";

/** Every name the runtime modules export (read with the parser, as the generator reads its own output). */
function runtimeExports(): string[] {
  const names = new Set<string>();
  for (const [file, text] of runtimeSources()) {
    for (const match of text.matchAll(/^export (?:declare )?(?:async )?(?:function\*?|class|interface|type|const|let|enum) ([A-Za-z_$][\w$]*)/gm)) names.add(match[1]!);
    for (const name of outlineModule(file, text).declared) if (new RegExp(`^export[^\\n]*\\b${name.replace(/\$/g, "\\$")}\\b`, "m").test(text)) names.add(name);
  }
  return [...names].sort();
}

/** Every name the generated modules of the example declare at their top level, and its model names. */
async function generatedNames(): Promise<{ declared: string[]; models: string[] }> {
  const dir = tempDir("names-probe");
  const { models } = await generate({ spec: EXAMPLE_SPEC, out: dir, kinds: ["Binding,Pod,Node"] });
  const files = readTree(dir);
  const names = new Set<string>();
  for (const file of ["client.ts", "routes.ts", "operations.ts", "index.ts", "node.ts"]) for (const name of outlineModule(file, files[file]!).declared) names.add(name);
  return { declared: [...names].sort(), models };
}

function compiles(dir: string): void {
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  expect(typecheck(dir, "nodenext")).toEqual([]);
  expect(typecheck(dir, "bundler")).toEqual([]);
}

describe("names in one output never collide", () => {
  it("definitions named like every runtime export and every generated declaration compile, and keep readable names", async () => {
    const { declared, models } = await generatedNames();
    // One definition per model name (`requestSpec` and `RequestSpec` would both be models named RequestSpec),
    // and none that the example has already (its own `Status`).
    const byModel = new Map([...new Set([...runtimeExports(), ...declared])].map((name) => [pascalCase(name), name]));
    const taken = [...byModel.entries()].filter(([model]) => !models.includes(model)).map(([, name]) => name);
    // The regression cases of the issue are among them.
    expect(taken).toEqual(expect.arrayContaining(["RetryOptions", "ApiError", "Handlers", "Client", "HandlerContext", "createClient", "api", "runtime", "QueryParameters", "CreateNamespacedBindingParams", "CreateNamespacedPodBindingRequest"]));
    const dir = tempDir("clash");
    const spec = writeVariant(dir, "../clash.json", (d) => {
      const binding = d.definitions["io.k8s.api.core.v1.Binding"];
      for (const name of taken) {
        d.definitions[`io.example.clash.v1.${name}`] = { type: "object", properties: { value: { type: "string" } } };
        binding.properties[`ref${name}`] = { $ref: `#/definitions/io.example.clash.v1.${name}` };
      }
    });
    const result = await generate({ spec, out: dir, kinds: ["Binding,Pod,Node"] });
    // A model named like a declaration of the generated modules got the segment before its name in front (the
    // documented rule: as many segments as it takes). A runtime module's own export is in no generated module's
    // scope (they import the runtime as a namespace), so a model keeps such a name.
    for (const name of taken) {
      const model = pascalCase(name);
      if (declared.includes(model)) expect([result.models.includes(model), result.models.includes(`V1${model}`)], name).toEqual([false, true]);
      else expect(result.models, name).toContain(model);
    }
    expect(result.models).toContain("Binding");
    expect(result.models).toContain("ObjectMeta");
    compiles(dir);
  }, 120_000);

  it("the OpenShift kind route.openshift.io/v1/Route generates and compiles beside Binding", async () => {
    const dir = tempDir("openshift");
    const spec = writeVariant(dir, "../openshift.json", (d) => {
      const gvk = { group: "route.openshift.io", version: "v1", kind: "Route" };
      d.definitions["com.github.openshift.api.route.v1.Route"] = {
        type: "object",
        required: ["spec"],
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
          spec: { type: "object", required: ["to"], properties: { host: { type: "string" }, to: { type: "object", properties: { kind: { type: "string" }, name: { type: "string" } } } } },
        },
        "x-kubernetes-group-version-kind": [gvk],
      };
      const route = { $ref: "#/definitions/com.github.openshift.api.route.v1.Route" };
      d.paths["/apis/route.openshift.io/v1/namespaces/{namespace}/routes"] = {
        parameters: [{ name: "namespace", in: "path", required: true, type: "string" }],
        post: { operationId: "createRouteOpenshiftIoV1NamespacedRoute", parameters: [{ name: "body", in: "body", required: true, schema: route }], responses: { "201": { description: "Created", schema: route } }, "x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk },
      };
      d.paths["/apis/route.openshift.io/v1/namespaces/{namespace}/routes/{name}"] = {
        parameters: [{ name: "namespace", in: "path", required: true, type: "string" }, { name: "name", in: "path", required: true, type: "string" }],
        get: { operationId: "readRouteOpenshiftIoV1NamespacedRoute", responses: { "200": { description: "OK", schema: route } }, "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk },
      };
    });
    const result = await generate({ spec, out: dir, kinds: ["Binding", "route.openshift.io/v1/Route"] });
    expect(result.kinds).toEqual(["core/v1/Binding", "route.openshift.io/v1/Route"]);
    expect(result.models).toContain("Route");
    expect(result.operations).toEqual(expect.arrayContaining(["createNamespacedRoute", "readNamespacedRoute", "createNamespacedPodBinding"]));
    compiles(dir);
  });
});

describe("operation names", () => {
  const op = (operationId: string, path: string, group = "", version = "v1", kind = "X") => ({ operationId, path, gvk: { group, version, kind } });

  it.each([
    ["the group-version of the path is dropped", [op("createCoreV1NamespacedBinding", "/api/v1/namespaces/{namespace}/bindings")], ["createNamespacedBinding"]],
    ["also when the kind is of another group (Eviction is policy/v1, served under core/v1)", [op("createCoreV1NamespacedPodEviction", "/api/v1/namespaces/{namespace}/pods/{name}/eviction", "policy", "v1", "Eviction")], ["createNamespacedPodEviction"]],
    ["and for Scale (autoscaling/v1) under apps/v1", [op("readAppsV1NamespacedDeploymentScale", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "autoscaling", "v1", "Scale")], ["readNamespacedDeploymentScale"]],
    ["dotted groups", [op("listRbacAuthorizationV1NamespacedRoleBinding", "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings", "rbac.authorization.k8s.io")], ["listNamespacedRoleBinding"]],
    ["two operations that would share a name keep their whole operationIds", [op("listCoreV1NamespacedEvent", "/api/v1/namespaces/{namespace}/events"), op("listEventsV1NamespacedEvent", "/apis/events.k8s.io/v1/namespaces/{namespace}/events", "events.k8s.io")], ["listCoreV1NamespacedEvent", "listEventsV1NamespacedEvent"]],
    ["equal operationIds get a suffix from the second on", [op("weird", "/x"), op("weird", "/y")], ["weird", "weird2"]],
    ["ids that are not identifiers become camelCase ones", [op("weird-op id", "/x")], ["weirdOpId"]],
  ])("%s", (_name, operations, want) => {
    expect(operationNames(operations)).toEqual(want);
  });
});
