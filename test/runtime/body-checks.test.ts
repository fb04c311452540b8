import { describe, expect, it } from "vitest";
import { prototypeKey } from "../../src/runtime/body-checks.js";
import { createFetchHandler, type RouteTable } from "../../src/runtime/server.js";

describe("prototypeKey", () => {
  it.each([
    ["a plain object", { metadata: { labels: { app: "web" } } }, undefined],
    ["a label named constructor (a string, not an object)", { metadata: { labels: { constructor: "x" } } }, undefined],
    ["prototype anywhere but inside constructor", { spec: { prototype: { a: 1 } } }, undefined],
    ["__proto__ at the top", JSON.parse('{"__proto__":{"polluted":true}}'), "__proto__"],
    ["__proto__ deep inside", JSON.parse('{"metadata":{"annotations":{"__proto__":"x"}}}'), "metadata.annotations.__proto__"],
    ["__proto__ in an array item", JSON.parse('[{"op":"add","path":"/a","value":{"__proto__":{"x":1}}}]'), "[0].value.__proto__"],
    ["constructor.prototype", { constructor: { prototype: { polluted: true } } }, "constructor.prototype"],
    ["a scalar", "x".repeat(1000), undefined],
  ])("%s", (_name, value, want) => {
    expect(prototypeKey(value)).toBe(want);
  });

  it("walks a body nested 10,000 deep without recursion", () => {
    let value: unknown = JSON.parse('{"__proto__":1}');
    for (let i = 0; i < 10_000; i++) value = { a: value };
    expect(prototypeKey(value)).toMatch(/^a\.a\.a.*\.__proto__$/);
  });
});

describe("patch bodies: the same key hygiene as other bodies (issue 14 item 3)", () => {
  const table: RouteTable = {
    authHeader: "authorization",
    kinds: [{ group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" }],
    query: {},
    operations: {
      patchPod: { method: "PATCH", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "patchCoreV1NamespacedPod", action: "patch", kind: 0, query: [], body: { type: "Patch", required: true, contentTypes: ["application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json"] }, status: 200 },
      createPod: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods", operationId: "createCoreV1NamespacedPod", action: "post", kind: 0, query: [], body: { type: "Pod", required: true }, status: 201 },
    },
    shapes: { Pod: { t: "object", p: { metadata: { t: "object", p: { name: { t: "string" } } } } } },
  };
  /** The merge a handler writes without thinking of prototypes. */
  const merge = (target: any, patch: any): any => {
    for (const key of Object.keys(patch)) target[key] = typeof patch[key] === "object" && patch[key] !== null ? merge(target[key] ?? {}, patch[key]) : patch[key];
    return target;
  };
  const stored = { metadata: { name: "web-1" } };
  const handle = createFetchHandler(table, { patchPod: ({ body }: { body: unknown }) => ({ body: merge(structuredClone(stored), body) }), createPod: ({ body }: { body: unknown }) => ({ body }) });
  const send = (method: string, path: string, type: string, body: string) => handle(new Request(`http://k8s.test${path}`, { method, headers: { "content-type": type }, body }));

  // Regression (issue 14: "patch bodies with __proto__ keys reach handlers unflagged ... pollutes Object.prototype").
  it.each([
    ["a merge patch", "application/merge-patch+json", '{"metadata":{"__proto__":{"polluted":"yes"}}}', "metadata.__proto__"],
    ["a strategic merge patch", "application/strategic-merge-patch+json", '{"constructor":{"prototype":{"polluted":"yes"}}}', "constructor.prototype"],
    ["a JSON patch", "application/json-patch+json", '[{"op":"add","path":"/x","value":{"__proto__":{"polluted":"yes"}}}]', "[0].value.__proto__"],
  ])("%s with a prototype key: 400, and the handler's merge never runs", async (_name, type, body, where) => {
    const response = await send("PATCH", "/api/v1/namespaces/default/pods/web-1", type, body);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(`the request body may not have a field named "__proto__", nor "prototype" inside "constructor" (at "${where}")`);
    expect(({} as any).polluted).toBeUndefined();
  });

  it("a patch without one reaches the handler", async () => {
    const response = await send("PATCH", "/api/v1/namespaces/default/pods/web-1", "application/merge-patch+json", '{"metadata":{"labels":{"constructor":"x"}}}');
    expect(await response.json()).toEqual({ metadata: { name: "web-1", labels: { constructor: "x" } } });
  });

  it("a create body with __proto__ is refused too, under Warn (the default) as under Strict", async () => {
    for (const query of ["", "?fieldValidation=Ignore"]) {
      const response = await send("POST", `/api/v1/namespaces/default/pods${query}`, "application/json", '{"metadata":{"name":"a"},"__proto__":{"polluted":"yes"}}');
      expect(response.status).toBe(400);
    }
  });
});

describe("patch types (issue 10 item 5, server side)", () => {
  const table: RouteTable = {
    authHeader: "authorization",
    kinds: [{ group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" }],
    query: {},
    operations: {
      patchPod: { method: "PATCH", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "patchCoreV1NamespacedPod", action: "patch", kind: 0, query: [], body: { type: "Patch", required: true, contentTypes: ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml", "application/apply-patch+cbor"] }, status: 200 },
    },
    shapes: {},
  };
  const seen: unknown[] = [];
  const handle = createFetchHandler(table, { patchPod: (input: { patchType: string; body: unknown }) => (seen.push([input.patchType, input.body]), { body: {} }) }, { parseYaml: (text) => ({ yaml: text.trim() }) });
  const patch = (type: string, body: string) => handle(new Request("http://k8s.test/api/v1/namespaces/default/pods/web-1", { method: "PATCH", headers: { "content-type": type }, body }));

  it.each([
    ["application/json-patch+json", '[{"op":"remove","path":"/metadata/labels"}]', "json", [{ op: "remove", path: "/metadata/labels" }]],
    ["application/merge-patch+json", '{"metadata":{"labels":null}}', "merge", { metadata: { labels: null } }],
    ["application/strategic-merge-patch+json; charset=utf-8", '{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}', "strategic-merge", { spec: { containers: [{ name: "a", $patch: "delete" }] } }],
    ["application/apply-patch+yaml", "metadata: {}", "apply", { yaml: "metadata: {}" }],
  ])("%s reaches the handler with patchType %j", async (type, body, patchType, value) => {
    seen.length = 0;
    expect((await patch(type, body)).status).toBe(200);
    expect(seen).toEqual([[patchType, value]]);
  });

  it.each(["application/json", "application/yaml", "application/apply-patch+cbor", "text/plain"])("%s: 415 in the apiserver's words, listing the four", async (type) => {
    const response = await patch(type, "{}");
    expect(response.status).toBe(415);
    expect((await response.json()).message).toBe("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
  });
});
