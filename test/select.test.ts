import { describe, expect, it } from "vitest";
import { GenBindingError } from "../src/errors.js";
import { parseKindQuery } from "../src/gvk.js";
import { parseDocument } from "../src/load.js";
import { buildModel } from "../src/model.js";
import { selectKind } from "../src/select.js";
import { assignTypeNames, operationName } from "../src/names.js";

/** A minimal Kubernetes-style document; `patch` edits a copy. */
function spec(patch: (doc: any) => void = () => {}) {
  const doc: any = {
    swagger: "2.0",
    info: { title: "t", version: "v" },
    parameters: { "ns-x": { name: "namespace", in: "path", required: true, type: "string" } },
    paths: {
      "/api/v1/namespaces/{namespace}/bindings": {
        parameters: [{ $ref: "#/parameters/ns-x" }, { name: "pretty", in: "query", type: "string" }],
        post: {
          operationId: "createCoreV1NamespacedBinding",
          parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/io.k8s.api.core.v1.Binding" } }],
          responses: { "201": { description: "Created", schema: { $ref: "#/definitions/io.k8s.api.core.v1.Binding" } } },
          "x-kubernetes-action": "post",
          "x-kubernetes-group-version-kind": { group: "", version: "v1", kind: "Binding" },
        },
      },
      "/api/v1/namespaces/{namespace}/pods": {
        parameters: [{ $ref: "#/parameters/ns-x" }],
        get: {
          operationId: "listCoreV1NamespacedPod",
          responses: { "200": { description: "OK", schema: { $ref: "#/definitions/io.k8s.api.core.v1.Pod" } } },
          "x-kubernetes-action": "list",
          "x-kubernetes-group-version-kind": { group: "", version: "v1", kind: "Pod" },
        },
      },
    },
    definitions: {
      "io.k8s.api.core.v1.Binding": {
        type: "object",
        required: ["target"],
        properties: { metadata: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }, target: { $ref: "#/definitions/io.k8s.api.core.v1.ObjectReference" } },
        "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Binding" }],
      },
      "io.k8s.api.core.v1.ObjectReference": { type: "object", properties: { name: { type: "string" } } },
      "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": { type: "object", properties: { name: { type: "string" } } },
      "io.k8s.api.core.v1.Pod": { type: "object", "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Pod" }] },
      "io.k8s.apimachinery.pkg.apis.meta.v1.Status": { type: "object", properties: { code: { type: "integer" } }, "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Status" }] },
      "io.k8s.api.rbac.v1.RoleBinding": { type: "object", "x-kubernetes-group-version-kind": [{ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding" }] },
    },
  };
  patch(doc);
  return doc;
}

const select = (doc: any, kind = "Binding") => selectKind(doc, parseKindQuery(kind)!, "spec.json");
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GenBindingError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
};

describe("selectKind", () => {
  it("finds the kind by x-kubernetes-group-version-kind and keeps only its operations", () => {
    const selection = select(spec());
    expect(selection.kinds.map((k) => k.definitionName)).toEqual(["io.k8s.api.core.v1.Binding"]);
    expect(selection.operations.map((o) => o.operationId)).toEqual(["createCoreV1NamespacedBinding"]);
  });

  it("collects exactly the $ref closure of the kind, its operations and Status", () => {
    expect(select(spec()).definitions.map(([name]) => name)).toEqual([
      "io.k8s.api.core.v1.Binding",
      "io.k8s.api.core.v1.ObjectReference",
      "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
      "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
    ]);
  });

  it("merges shared and path-level parameters into each operation", () => {
    const [op] = select(spec()).operations;
    expect(op!.parameters.map((p) => `${p["in"]}:${p["name"]}`)).toEqual(["path:namespace", "query:pretty", "body:body"]);
  });

  it("lets an operation-level parameter override a path-level one of the same name", () => {
    const doc = spec((d) => d.paths["/api/v1/namespaces/{namespace}/bindings"].post.parameters.push({ name: "pretty", in: "query", type: "boolean" }));
    const pretty = select(doc).operations[0]!.parameters.find((p) => p["name"] === "pretty");
    expect(pretty!["type"]).toBe("boolean");
  });

  it.each([
    ["Binding", "core/v1/Binding"],
    ["v1/Binding", "core/v1/Binding"],
    ["core/v1/Binding", "core/v1/Binding"],
    ["rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/RoleBinding"],
    ["RoleBinding", "rbac.authorization.k8s.io/v1/RoleBinding"],
  ])("--kind %s selects %s", (kind, want) => {
    const model = buildModel(select(spec(), kind));
    expect(model.kinds.map((k) => k.id)).toEqual([want]);
  });

  it("works when definitions and operationIds are named differently (v1.Binding, createNamespacedBinding)", () => {
    const doc = spec((d) => {
      const text = JSON.stringify(d).replaceAll("io.k8s.api.core.v1.", "v1.").replaceAll("io.k8s.apimachinery.pkg.apis.meta.v1.", "meta.v1.").replace("createCoreV1NamespacedBinding", "createNamespacedBinding");
      Object.assign(d, JSON.parse(text));
    });
    const model = buildModel(select(doc));
    expect(model.kinds[0]!.typeName).toBe("Binding");
    expect(model.operations.map((o) => o.name)).toEqual(["createNamespacedBinding"]);
    expect(model.schemas.map((s) => s.name)).toEqual(["Binding", "ObjectMeta", "ObjectReference", "Status"]);
  });

  it("follows a deprecated alias definition to the real one", () => {
    const doc = spec((d) => {
      d.definitions["v1.Binding"] = { $ref: "#/definitions/io.k8s.api.core.v1.Binding", "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Binding" }] };
    });
    expect(select(doc).kinds[0]!.definitionName).toBe("io.k8s.api.core.v1.Binding");
  });

  it("names the closest kinds when the kind is not found", () => {
    expect(errorOf(() => select(spec(), "Bindin"))).toBe(
      "kind Bindin not found in spec.json (no definition has it in x-kubernetes-group-version-kind); closest: core/v1/Binding, rbac.authorization.k8s.io/v1/RoleBinding",
    );
  });

  it.each([
    ["pod", "core/v1/Pod"],
    ["BINDING", "core/v1/Binding"],
    ["RBAC.authorization.k8s.io/V1/rolebinding", "rbac.authorization.k8s.io/v1/RoleBinding"],
  ])("finds kind %s in another case when no kind has that exact name: %s", (kind, want) => {
    const selected = select(spec(), kind).kinds.map((k) => `${k.gvk.group || "core"}/${k.gvk.version}/${k.gvk.kind}`);
    expect(selected).toEqual([want]);
  });

  it("refuses a kind in another case when kinds of the document differ only in case, naming them", () => {
    const doc = spec((d) => (d.definitions["x.example.v1.BINDING"] = { type: "object", "x-kubernetes-group-version-kind": [{ group: "x.example", version: "v1", kind: "BINDING" }] }));
    expect(select(doc, "Binding").kinds[0]!.gvk.kind).toBe("Binding");
    expect(errorOf(() => select(doc, "binding"))).toBe("kind binding not found in spec.json; kinds that differ from it only in case: core/v1/Binding, x.example/v1/BINDING: give one as it is spelled");
  });

  it("reports a dangling $ref with its JSON pointer", () => {
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.uid = { $ref: "#/definitions/missing.Uid" }));
    expect(errorOf(() => select(doc))).toBe(
      'spec.json: dangling $ref at #/definitions/io.k8s.api.core.v1.ObjectReference/properties/uid/$ref: "#/definitions/missing.Uid" points to nothing in the document',
    );
  });

  it("refuses remote $refs instead of fetching them", () => {
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.uid = { $ref: "https://example.com/x.json#/Uid" }));
    expect(errorOf(() => select(doc))).toMatch(/^spec\.json: remote \$ref refused at #\/definitions\/io\.k8s\.api\.core\.v1\.ObjectReference\/properties\/uid\/\$ref/);
  });

  it("survives $ref cycles", () => {
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.self = { $ref: "#/definitions/io.k8s.api.core.v1.ObjectReference" }));
    expect(select(doc).definitions).toHaveLength(4);
  });
});

describe("buildModel", () => {
  it("marks the kind deprecated when its description says so, and only then", () => {
    const deprecated = spec((d) => (d.definitions["io.k8s.api.core.v1.Binding"].description = "Binding ties one object to another. Deprecated in 1.7, please use the bindings subresource of pods instead."));
    expect(buildModel(select(deprecated)).schemas.find((s) => s.name === "Binding")!.deprecated).toBe(true);
    expect(buildModel(select(spec())).schemas.find((s) => s.name === "Binding")!.deprecated).toBe(false);
  });

  it("types the success answer of a binding as Binding or Status, since the apiserver answers with a Status", () => {
    const [op] = buildModel(select(spec())).operations;
    expect(op!.responses).toEqual([{ status: 201, description: "Created", typeNames: ["Binding", "Status"] }]);
  });

  it("restricts dryRun and fieldValidation to the values Kubernetes accepts", () => {
    const doc = spec((d) => d.paths["/api/v1/namespaces/{namespace}/bindings"].parameters.push({ name: "dryRun", in: "query", type: "string" }, { name: "fieldValidation", in: "query", type: "string" }));
    const query = buildModel(select(doc)).operations[0]!.queryParams;
    expect(query.map((q) => [q.name, q.enum])).toEqual([
      ["dryRun", ["All"]],
      ["fieldValidation", ["Ignore", "Warn", "Strict"]],
      ["pretty", undefined],
    ]);
  });

  it("follows a $ref under a property whose name starts with x- or is a keyword (JSONSchemaProps x-kubernetes-validations, default, enum)", () => {
    const doc = spec((d) => {
      d.definitions["io.k8s.api.core.v1.ObjectReference"].properties = {
        "x-kubernetes-validations": { type: "array", items: { $ref: "#/definitions/x.v1.ValidationRule" } },
        default: { $ref: "#/definitions/x.v1.JSON" },
        enum: { type: "array", items: { $ref: "#/definitions/x.v1.JSON" } },
      };
      d.definitions["x.v1.ValidationRule"] = { type: "object", required: ["rule"], properties: { rule: { type: "string" } } };
      d.definitions["x.v1.JSON"] = { description: "any JSON value" };
    });
    const model = buildModel(select(doc));
    expect(model.schemas.map((s) => s.name)).toEqual(expect.arrayContaining(["ModelJSON", "JsonValue", "ValidationRule"]));
    expect(model.schemas.find((s) => s.name === "ObjectReference")!.schema["properties"]).toEqual({
      "x-kubernetes-validations": { type: "array", items: { $ref: "#/components/schemas/ValidationRule" } },
      default: { $ref: "#/components/schemas/ModelJSON" },
      enum: { type: "array", items: { $ref: "#/components/schemas/ModelJSON" } },
    });
    expect(model.schemas.find((s) => s.name === "ModelJSON")!.schema).toEqual({ description: "any JSON value", $ref: "#/components/schemas/JsonValue" });
  });

  it("types an object without properties as an object of JSON values, and declares JsonValue only when used", () => {
    expect(buildModel(select(spec())).schemas.map((s) => s.name)).not.toContain("JsonValue");
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.fieldsV1 = { type: "object" }));
    const reference = buildModel(select(doc)).schemas.find((s) => s.name === "ObjectReference")!;
    expect((reference.schema["properties"] as any).fieldsV1).toEqual({ type: "object", additionalProperties: { $ref: "#/components/schemas/JsonValue" } });
  });

  it("regression (property test): a required timestamp is a plain Time, an optional one may be null (the zero time marshals as null)", () => {
    const doc = spec((d) => {
      d.definitions["io.k8s.api.core.v1.ObjectReference"] = {
        type: "object",
        required: ["eventTime"],
        properties: { eventTime: { $ref: "#/definitions/meta.v1.Time" }, lastProbeTime: { $ref: "#/definitions/meta.v1.Time", description: "when" } },
      };
      d.definitions["meta.v1.Time"] = { type: "string", format: "date-time" };
    });
    const model = buildModel(select(doc));
    expect(model.schemas.find((s) => s.name === "ObjectReference")!.schema["properties"]).toEqual({
      eventTime: { $ref: "#/components/schemas/Time" },
      lastProbeTime: { description: "when", allOf: [{ $ref: "#/components/schemas/Time" }], nullable: true },
    });
    expect(model.schemas.find((s) => s.name === "Time")!.schema).toEqual({ type: "string", format: "date-time" });
  });

  it("gives a kind's apiVersion and kind as literals (every GVK of a shared definition), beside the schema", () => {
    const doc = spec((d) => {
      d.definitions["io.k8s.api.core.v1.Binding"].properties.apiVersion = { type: "string" };
      d.definitions["io.k8s.api.core.v1.Binding"].properties.kind = { type: "string" };
      d.definitions["io.k8s.api.core.v1.Binding"]["x-kubernetes-group-version-kind"].push({ group: "x.k8s.io", version: "v2", kind: "Binding" });
    });
    const binding = buildModel(select(doc, "core/v1/Binding")).schemas.find((s) => s.name === "Binding")!;
    expect(binding.literals).toEqual({ apiVersion: ["v1", "x.k8s.io/v2"], kind: ["Binding"] });
    expect((binding.schema["properties"] as any).apiVersion).toEqual({ type: "string" });
  });

  it.each([
    ["The phase.\n\nPossible enum values:\n - `\"Unknown\"` means nothing. Deprecated: It isn't being set since 2015.", false],
    ["deprecated indicates this version of the custom resource API is deprecated.", false],
    ["Deprecated: use spec.x instead.", true],
    ["Binding ties one object to another. Deprecated in 1.7, please use the bindings subresource of pods instead.", true],
    ["DEPRECATED - this field is ignored.", true],
    ["Deprecated. Not all kubelets will set this field.", true],
  ])("regression: %j is deprecated: %s", (description, deprecated) => {
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.phase = { type: "string", description }));
    const reference = buildModel(select(doc)).schemas.find((s) => s.name === "ObjectReference")!;
    expect((reference.schema["properties"] as any).phase.deprecated === true).toBe(deprecated);
  });

  it("gives each list that takes watch a watch operation on its path, and drops the deprecated /watch/ operations", () => {
    const doc = spec((d) => {
      d.paths["/api/v1/namespaces/{namespace}/pods"].get.parameters = [{ name: "watch", in: "query", type: "boolean" }, { name: "allowWatchBookmarks", in: "query", type: "boolean" }];
      d.paths["/api/v1/watch/namespaces/{namespace}/pods"] = {
        get: { operationId: "watchCoreV1NamespacedPodList", responses: { "200": { description: "OK" } }, "x-kubernetes-action": "watchlist", "x-kubernetes-group-version-kind": { group: "", version: "v1", kind: "Pod" } },
      };
    });
    const operations = buildModel(select(doc, "Pod")).operations;
    expect(operations.map((o) => [o.name, o.action, o.path, o.answer, o.queryParams.map((p) => p.name).join(",")])).toEqual([
      ["listNamespacedPod", "list", "/api/v1/namespaces/{namespace}/pods", "json", "allowWatchBookmarks,watch"],
      ["watchNamespacedPod", "watchlist", "/api/v1/namespaces/{namespace}/pods", "watch", "allowWatchBookmarks"],
    ]);
    expect(operations[0]!.watchedBy).toBe("watchNamespacedPod");
    expect(operations[1]!.responses).toEqual([{ status: 200, description: "OK", typeNames: ["Pod"] }]);
  });

  it("maps int-or-string to a union", () => {
    const doc = spec((d) => (d.definitions["io.k8s.api.core.v1.ObjectReference"].properties.port = { type: "string", format: "int-or-string" }));
    const reference = buildModel(select(doc)).schemas.find((s) => s.name === "ObjectReference")!;
    expect((reference.schema["properties"] as any).port).toEqual({ format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] });
  });
});

describe("names", () => {
  it.each([
    [["io.k8s.api.core.v1.Binding", "io.k8s.api.core.v1.ObjectReference"], ["Binding", "ObjectReference"]],
    [["io.k8s.api.core.v1.Event", "io.k8s.api.events.v1.Event"], ["CoreV1Event", "EventsV1Event"]],
    [["v1.Binding", "v1beta1.Binding"], ["V1Binding", "V1beta1Binding"]],
    [["io.k8s.api.core.v1.Record"], ["ModelRecord"]],
    [["io.k8s.x.v1.1st"], ["Model1st"]],
  ])("assignTypeNames(%j) gives readable, unique names %j", (input, want) => {
    const names = assignTypeNames(input);
    expect(input.map((n) => names.get(n))).toEqual(want);
  });

  it("keeps the emitted code's own names free", () => {
    expect(assignTypeNames(["io.k8s.x.v1.Client"], new Set(["Client"])).get("io.k8s.x.v1.Client")).toBe("V1Client");
  });

  it.each([
    ["createCoreV1NamespacedBinding", { group: "", version: "v1", kind: "Binding" }, "createNamespacedBinding"],
    ["createNamespacedBinding", { group: "", version: "v1", kind: "Binding" }, "createNamespacedBinding"],
    ["listRbacAuthorizationV1NamespacedRoleBinding", { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding" }, "listNamespacedRoleBinding"],
    ["weird-op id", { group: "", version: "v1", kind: "X" }, "weirdOpId"],
  ])("operationName(%s) is %s", (id, gvk, want) => {
    expect(operationName(id, gvk)).toBe(want);
  });
});

describe("parseDocument", () => {
  it.each([
    ["", /./],
    ["{", /^x\.json: not valid JSON at line 1, column 2/],
    ["[1]", /^x\.json: not a Swagger\/OpenAPI document \(the top level is an array, not an object\)$/],
    ['{"openapi":"3.0.0"}', /^x\.json: #\/paths is missing; a Kubernetes document has an object there$/],
    ['{"hello":1}', /^x\.json: not a Swagger 2\.0 document \(no "swagger" field; expected "swagger": "2\.0"\)$/],
    ["a: [", /^x\.json: neither JSON nor valid YAML at line 1/],
    ["\n<!DOCTYPE html>\n<html><body>Sign in</body></html>", /^x\.json: an HTML page, not a JSON or YAML document$/],
    ["<?xml version='1.0'?><error/>", /^x\.json: markup \(XML or HTML\), not a JSON or YAML document$/],
  ])("rejects %j with a clear message", (text, want) => {
    expect(errorOf(() => parseDocument(text, "x.json"))).toMatch(want);
  });

  it("reads YAML", () => {
    expect(parseDocument("swagger: '2.0'\npaths: {}\ndefinitions: {}\n", "x.yaml").swagger).toBe("2.0");
  });
});
