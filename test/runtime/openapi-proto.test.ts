import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openApiV2Protobuf } from "../../src/runtime/openapi-proto.js";

/** Protobuf wire format read back: field number -> values (varints, doubles, or raw bytes for length-delimited fields). */
type Fields = Map<number, Array<number | Uint8Array>>;
function decode(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) value = (at += 8, new DataView(bytes.buffer, bytes.byteOffset + at - 8, 8).getFloat64(0, true));
    else if (wire === 2) {
      const length = varint();
      value = bytes.subarray(at, (at += length));
    } else throw new Error(`wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
const text = (value: number | Uint8Array | undefined) => new TextDecoder().decode(value as Uint8Array);
const message = (fields: Fields, field: number, index = 0) => decode(fields.get(field)![index] as Uint8Array);
/** A `Named*` map: name (1) -> value (2). */
const named = (entries: Fields | undefined, field: number) => new Map((entries?.get(field) ?? []).map((e) => decode(e as Uint8Array)).map((e) => [text(e.get(1)![0]), e.get(2) ? decode(e.get(2)![0] as Uint8Array) : new Map()] as const));

const DOCUMENT = {
  swagger: "2.0",
  info: { title: "Kubernetes", version: "v1.36.0" },
  paths: {
    "/api/v1/namespaces/{namespace}/pods/{name}": {
      patch: {
        operationId: "patchCoreV1NamespacedPod",
        consumes: ["application/merge-patch+json"],
        parameters: [
          { name: "body", in: "body", required: true, schema: { type: "object" } },
          { name: "fieldValidation", in: "query", type: "string", uniqueItems: true },
          { name: "name", in: "path", required: true, type: "string" },
        ],
        responses: { "200": { description: "OK", schema: { $ref: "#/definitions/io.k8s.api.core.v1.Pod" } } },
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: "", kind: "Pod", version: "v1" },
      },
    },
  },
  definitions: {
    "io.k8s.api.core.v1.Pod": {
      type: "object",
      required: ["spec"],
      properties: { spec: { $ref: "#/definitions/io.k8s.api.core.v1.PodSpec" }, labels: { type: "object", additionalProperties: { type: "string" } }, replicas: { type: "integer", format: "int32", minimum: 0.5 } },
      "x-kubernetes-group-version-kind": [{ group: "", kind: "Pod", version: "v1" }],
    },
  },
  securityDefinitions: { BearerToken: { type: "apiKey", in: "header", name: "authorization" } },
  security: [{ BearerToken: [] }],
};

describe("openApiV2Protobuf: a Swagger document as gnostic's openapi.v2.Document", () => {
  const document = decode(openApiV2Protobuf(DOCUMENT));

  it("writes the document's fields under OpenAPIv2.proto's numbers", () => {
    expect(text(document.get(1)![0])).toBe("2.0");
    expect([...message(document, 2).entries()].map(([f, v]) => [f, text(v[0])])).toEqual([[1, "Kubernetes"], [2, "v1.36.0"]]);
    const security = named(message(document, 13), 1).get("BearerToken")!;
    expect([...message(security, 2).entries()].map(([f, v]) => [f, text(v[0])])).toEqual([[1, "apiKey"], [2, "authorization"], [3, "header"]]);
    expect(named(decode(document.get(12)![0] as Uint8Array), 1).has("BearerToken")).toBe(true);
  });

  it("writes schemas: $ref, type, required, properties, additionalProperties, numbers, and extensions as YAML", () => {
    const pod = named(message(document, 9), 1).get("io.k8s.api.core.v1.Pod")!;
    expect(text(message(pod, 22).get(1)![0])).toBe("object");
    expect(text(pod.get(19)![0])).toBe("spec");
    const properties = named(message(pod, 25), 1);
    expect(text(properties.get("spec")!.get(1)![0])).toBe("#/definitions/io.k8s.api.core.v1.PodSpec");
    expect(text(message(message(properties.get("labels")!, 21), 1).get(22)![0])).toContain("string");
    expect(properties.get("replicas")!.get(9)).toEqual([0.5]);
    const extension = decode(pod.get(31)![0] as Uint8Array);
    expect(text(extension.get(1)![0])).toBe("x-kubernetes-group-version-kind");
    expect(parse(text(decode(extension.get(2)![0] as Uint8Array).get(2)![0]))).toEqual([{ group: "", kind: "Pod", version: "v1" }]);
  });

  it("writes operations with body, query and path parameters where kubectl looks for fieldValidation", () => {
    const paths = named(message(document, 8), 2);
    const patch = message(paths.get("/api/v1/namespaces/{namespace}/pods/{name}")!, 8);
    expect(text(patch.get(5)![0])).toBe("patchCoreV1NamespacedPod");
    const [body, query, path] = patch.get(8)!.map((item) => decode(decode(item as Uint8Array).get(1)![0] as Uint8Array));
    expect(text(message(body!, 1).get(2)![0])).toBe("body");
    const querySub = message(message(query!, 2), 3);
    expect([text(querySub.get(2)![0]), text(querySub.get(4)![0]), text(querySub.get(6)![0]), querySub.get(20)]).toEqual(["query", "fieldValidation", "string", [1]]);
    const pathSub = message(message(path!, 2), 4);
    expect([pathSub.get(1), text(pathSub.get(4)![0]), text(pathSub.get(5)![0])]).toEqual([[1], "name", "string"]);
    const gvk = patch.get(13)!.map((e) => decode(e as Uint8Array)).find((e) => text(e.get(1)![0]) === "x-kubernetes-group-version-kind")!;
    expect(parse(text(decode(gvk.get(2)![0] as Uint8Array).get(2)![0]))).toEqual({ group: "", kind: "Pod", version: "v1" });
  });
});
