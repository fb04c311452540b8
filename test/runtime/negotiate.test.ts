import { describe, expect, it } from "vitest";
import { bodyMediaType, negotiateOutput, parseAccept } from "../../src/runtime/negotiate.js";

describe("parseAccept", () => {
  it("orders clauses by q, then concrete types before wildcards, keeping the order of equals", () => {
    expect(parseAccept("*/*;q=0.8, application/*, application/yaml;q=0.9, application/json, text/html;q=0").map((m) => m.type)).toEqual(["application/json", "application/*", "application/yaml", "*/*"]);
  });

  it("keeps a clause's parameters, lower-cased names, unquoted values, and drops what does not parse", () => {
    expect(parseAccept('application/json;AS=Table;v="v1";g=meta.k8s.io, nonsense, a/b;c')).toEqual([{ type: "application/json", params: { as: "Table", v: "v1", g: "meta.k8s.io" }, q: 1 }]);
  });
});

describe("negotiateOutput", () => {
  const table = { table: true };
  it.each([
    ["kubectl get's Table request", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", table, { type: "application/json", pretty: false, table: "v1" }],
    ["a Table where the endpoint has none: the next clause", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", { table: false }, { type: "application/json", pretty: false }],
    ["a Table of another group: the next clause", "application/json;as=Table;v=v1;g=example.com,application/yaml", table, { type: "application/yaml", pretty: false }],
    ["PartialObjectMetadata, which we do not write: the next clause", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json", table, { type: "application/json", pretty: false }],
    ["application/*", "application/*", table, { type: "application/json", pretty: false }],
    ["an unknown parameter, ignored", "application/json;charset=utf-8", table, { type: "application/json", pretty: false }],
  ] as const)("%s", (_name, accept, restrictions, want) => {
    expect(negotiateOutput(accept, restrictions, null, undefined)).toEqual(want);
  });

  it.each([["text/html"], ["application/vnd.kubernetes.protobuf"], ["application/json;as=Table;v=v2;g=meta.k8s.io"]])("answers 406 for %s", (accept) => {
    expect(negotiateOutput(accept, table, null, undefined)).toMatchObject({ error: { code: 406, reason: "NotAcceptable" } });
  });

  it("gives an extra media type of the endpoint when asked for it", () => {
    expect(negotiateOutput("application/com.github.proto-openapi.spec.v2@v1.0+protobuf", { table: false, extra: ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf"] }, null, undefined)).toMatchObject({ extra: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" });
  });
});

describe("bodyMediaType", () => {
  it.each([
    [undefined, "application/json"],
    ["", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    ["application/yaml", "application/yaml"],
    ["application/jsonx", undefined],
    ["application/json;charset", undefined],
  ])("reads %j as %j", (contentType, want) => {
    expect(bodyMediaType(contentType, ["application/json", "application/yaml"], "application/json")).toBe(want);
  });
});
