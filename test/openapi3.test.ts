import { describe, expect, it } from "vitest";
import { parseDocument } from "../src/load.js";
import { lowerOpenApi3 } from "../src/openapi3.js";

const REF = "#/components/schemas/io.k8s.api.core.v1.ObjectReference";
const LOWERED_REF = "#/definitions/io.k8s.api.core.v1.ObjectReference";

/** A v3 document with one schema `S` (the case's), lowered; returns `S` as the selector will read it. */
function lowerSchema(schema: unknown): unknown {
  const schemas = { S: schema, "io.k8s.api.core.v1.ObjectReference": { type: "object" }, X: { type: "object" } };
  return lowerOpenApi3({ openapi: "3.0.0", paths: {}, components: { schemas } }, "x.json").definitions["S"];
}

/** A v3 document with one operation (the case's `post`), lowered; returns the operation. */
function lowerPost(post: unknown, components: unknown = {}): any {
  return (lowerOpenApi3({ openapi: "3.0.0", paths: { "/p": { post } }, components }, "x.json").paths["/p"] as any).post;
}

describe("lowering an OpenAPI 3.0 schema into the Swagger 2.0 shape", () => {
  it.each<[string, { given: unknown; want: unknown }]>([
    [
      "allOf of one $ref beside a description and a zero default becomes the v2 $ref + description",
      { given: { allOf: [{ $ref: REF }], default: {}, description: "The target." }, want: { $ref: LOWERED_REF, description: "The target." } },
    ],
    ["a bare $ref is renamed", { given: { $ref: REF }, want: { $ref: LOWERED_REF } }],
    [
      "extensions beside the allOf stay (the selector and model ignore them)",
      { given: { allOf: [{ $ref: REF }], description: "d", "x-kubernetes-list-type": "atomic" }, want: { $ref: LOWERED_REF, description: "d", "x-kubernetes-list-type": "atomic" } },
    ],
    [
      "zero-value defaults are dropped at every depth, real ones kept",
      {
        given: { type: "object", default: {}, properties: { a: { type: "string", default: "" }, b: { type: "integer", default: 0 }, c: { type: "boolean", default: false }, d: { type: "array", default: [], items: { type: "string", default: "" } }, p: { type: "string", default: "TCP" } } },
        want: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" }, c: { type: "boolean" }, d: { type: "array", items: { type: "string" } }, p: { type: "string", default: "TCP" } } },
      },
    ],
    [
      "an allOf that narrows the type stays an allOf (its $refs renamed)",
      { given: { allOf: [{ $ref: REF }], properties: { extra: { type: "string" } } }, want: { allOf: [{ $ref: LOWERED_REF }], properties: { extra: { type: "string" } } } },
    ],
    ["an allOf of two stays", { given: { allOf: [{ $ref: REF }, { type: "object" }] }, want: { allOf: [{ $ref: LOWERED_REF }, { type: "object" }] } }],
    [
      "refs inside items, additionalProperties, oneOf and anyOf are renamed",
      {
        given: { type: "object", additionalProperties: { allOf: [{ $ref: REF }], default: {} }, properties: { l: { type: "array", items: { allOf: [{ $ref: REF }], default: {} } }, o: { oneOf: [{ $ref: REF }, { type: "string" }] } } },
        want: { type: "object", additionalProperties: { $ref: LOWERED_REF }, properties: { l: { type: "array", items: { $ref: LOWERED_REF } }, o: { oneOf: [{ $ref: LOWERED_REF }, { type: "string" }] } } },
      },
    ],
    ["Quantity's oneOf string or number stays as v3 says it", { given: { oneOf: [{ type: "string" }, { type: "number" }] }, want: { oneOf: [{ type: "string" }, { type: "number" }] } }],
    ["a remote $ref is left for the selector to refuse by name", { given: { $ref: "https://example.com/s.json" }, want: { $ref: "https://example.com/s.json" } }],
    [
      "a wrapper around a dangling or remote $ref stays, so that messages point at it where it is",
      {
        given: { properties: { a: { allOf: [{ $ref: "#/components/schemas/Gone" }], description: "d" }, b: { allOf: [{ $ref: "https://example.com/s.json" }] } } },
        want: { properties: { a: { allOf: [{ $ref: "#/definitions/Gone" }], description: "d" }, b: { allOf: [{ $ref: "https://example.com/s.json" }] } } },
      },
    ],
    [
      "enum values and examples are data, never walked",
      { given: { type: "string", enum: ["", "a"], example: { $ref: REF } }, want: { type: "string", enum: ["", "a"], example: { $ref: REF } } },
    ],
  ])("%s", (_name, { given, want }) => {
    expect(lowerSchema(given)).toEqual(want);
  });

  it("keeps a property named __proto__ a property, touching no prototype", () => {
    const lowered = lowerSchema(JSON.parse('{"type":"object","properties":{"__proto__":{"allOf":[{"$ref":"#/components/schemas/X"}],"description":"p"}}}')) as any;
    expect(Object.keys(lowered.properties)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(lowered.properties, "__proto__")?.value).toEqual({ $ref: "#/definitions/X", description: "p" });
    expect(({} as any).description).toBeUndefined();
  });
});

describe("lowering an OpenAPI 3.0 operation", () => {
  it("puts the requestBody in a body parameter, its media types in consumes, after the other parameters", () => {
    const post = lowerPost({
      operationId: "createCoreV1NamespacedBinding",
      parameters: [{ name: "dryRun", in: "query", description: "d", schema: { type: "string", uniqueItems: true } }],
      requestBody: { content: { "*/*": { schema: { $ref: REF } } }, required: true },
      responses: {},
      "x-kubernetes-action": "post",
    });
    expect(post).toEqual({
      operationId: "createCoreV1NamespacedBinding",
      parameters: [
        { name: "dryRun", in: "query", description: "d", type: "string", uniqueItems: true },
        { in: "body", name: "body", required: true, schema: { $ref: LOWERED_REF } },
      ],
      responses: {},
      "x-kubernetes-action": "post",
      consumes: ["*/*"],
    });
  });

  it("keeps the patch types a patch body may be sent as", () => {
    const patch = lowerPost({ requestBody: { content: { "application/apply-patch+yaml": { schema: { $ref: REF } }, "application/merge-patch+json": { schema: { $ref: REF } } } }, responses: {} });
    expect(patch.consumes).toEqual(["application/apply-patch+yaml", "application/merge-patch+json"]);
    expect(patch.parameters).toEqual([{ in: "body", name: "body", required: false, schema: { $ref: LOWERED_REF } }]);
  });

  it("gives each status one schema, JSON's, and keeps answers without content as they are", () => {
    const post = lowerPost({
      responses: {
        "200": { description: "OK", content: { "application/vnd.kubernetes.protobuf": { schema: { type: "string" } }, "application/json;stream=watch": { schema: { type: "object" } }, "application/json": { schema: { $ref: REF } }, "application/yaml": { schema: { $ref: REF } } } },
        "201": { description: "Created", content: { "*/*": { schema: { type: "string" } } } },
        "401": { description: "Unauthorized" },
      },
    });
    expect(post.responses).toEqual({ "200": { description: "OK", schema: { $ref: LOWERED_REF } }, "201": { description: "Created", schema: { type: "string" } }, "401": { description: "Unauthorized" } });
  });

  it("follows local references to components' parameters, request bodies and responses", () => {
    const components = {
      parameters: { ns: { name: "namespace", in: "path", required: true, schema: { type: "string" } } },
      requestBodies: { b: { content: { "application/json": { schema: { $ref: REF } } }, required: true } },
      responses: { ok: { description: "OK", content: { "application/json": { schema: { $ref: REF } } } } },
    };
    const doc = lowerOpenApi3({ openapi: "3.0.0", components, paths: { "/p": { post: { parameters: [{ $ref: "#/components/parameters/ns" }], requestBody: { $ref: "#/components/requestBodies/b" }, responses: { "200": { $ref: "#/components/responses/ok" } } } } } }, "x.json");
    const post = (doc.paths["/p"] as any).post;
    expect(post.parameters).toEqual([{ $ref: "#/parameters/ns" }, { in: "body", name: "body", required: true, schema: { $ref: LOWERED_REF } }]);
    expect(post.responses["200"]).toEqual({ description: "OK", schema: { $ref: LOWERED_REF } });
    expect(doc.parameters).toEqual({ ns: { name: "namespace", in: "path", required: true, type: "string" } });
  });

  it("turns the bearer scheme into the security definition the routes read the token header from", () => {
    const apiKey = { type: "apiKey", in: "header", name: "authorization", description: "Bearer Token authentication" };
    expect(lowerOpenApi3({ openapi: "3.0.0", paths: {}, components: { securitySchemes: { BearerToken: apiKey } } }, "x").securityDefinitions).toEqual({ BearerToken: apiKey });
    expect(lowerOpenApi3({ openapi: "3.0.0", paths: {}, components: { securitySchemes: { b: { type: "http", scheme: "bearer" } } } }, "x").securityDefinitions).toEqual({ b: { type: "apiKey", in: "header", name: "authorization" } });
  });
});

describe("reading an OpenAPI 3 document", () => {
  it.each([
    ['{"openapi":"3.1.0","paths":{}}', /^x\.json: OpenAPI 3\.1\.0 is not supported; gen-binding reads Swagger 2\.0 \(\/openapi\/v2\) and OpenAPI 3\.0 \(\/openapi\/v3\)/],
    ['{"openapi":"3.0.0"}', /^x\.json: #\/paths is missing; a Kubernetes document has an object there$/],
    ['{"openapi":"3.0.0","paths":{},"components":[]}', /^x\.json: #\/components is an array; a Kubernetes document has an object there$/],
    ['{"openapi":"3.0.0","paths":{},"components":{"schemas":"no"}}', /^x\.json: #\/components\/schemas is a string, not an object$/],
    ['{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=AB"}}}', /^x\.json: this is a cluster's index of OpenAPI v3 documents \(\/openapi\/v3\), whose links are relative to the server: give its URL/],
  ])("refuses %s with a clear message", (text, want) => {
    expect(() => parseDocument(text, "x.json")).toThrowError(want);
  });

  it("names where a schema is nested too deep, in the document as written", () => {
    const deep = '{"type":"object","properties":{"a":'.repeat(300) + "{}" + "}}".repeat(300);
    const text = `{"openapi":"3.0.0","paths":{},"components":{"schemas":{"Deep":${deep}}}}`;
    expect(() => parseDocument(text, "x.json")).toThrowError(/^x\.json: #\/components\/schemas\/Deep\/properties\/a\/properties\/a\/.*\/\.\.\. is nested more than 200 levels deep/);
  });

  it("reads YAML", () => {
    const doc = parseDocument("openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    S:\n      allOf:\n        - $ref: '#/components/schemas/T'\n      description: d\n    T:\n      type: object\n", "x.yaml");
    expect(doc.definitions).toEqual({ S: { $ref: "#/definitions/T", description: "d" }, T: { type: "object" } });
  });
});
