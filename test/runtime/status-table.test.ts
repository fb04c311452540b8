import { describe, expect, it } from "vitest";
import { isStatus, statusObject } from "../../src/runtime/status.js";
import { type QueryParamRef, queryParam } from "../../src/runtime/table.js";

describe("statusObject", () => {
  it.each([
    [201, "Success"],
    [399, "Success"],
    [400, "Failure"],
    [503, "Failure"],
  ])("%i is a %s", (code, status) => {
    expect(statusObject(code, "Reason", "message")).toStrictEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status, message: "message", reason: "Reason", code });
  });

  it("carries details only when given", () => {
    expect(statusObject(404, "NotFound", 'pods "x" not found', { name: "x", kind: "pods" }).details).toEqual({ name: "x", kind: "pods" });
    expect(Object.hasOwn(statusObject(404, "NotFound", "x"), "details")).toBe(false);
  });
});

describe("isStatus", () => {
  it.each([
    [{ kind: "Status" }, true],
    [statusObject(201, "", ""), true],
    [{ kind: "status" }, false],
    [{ kind: "Binding", status: "Success" }, false],
    ["Status", false],
    [null, false],
    [undefined, false],
    [[{ kind: "Status" }], false],
  ])("%j: %s", (value, want) => {
    expect(isStatus(value)).toBe(want);
  });
});

describe("queryParam", () => {
  const table = { query: { dryRun: { type: "string", enum: ["All"] }, limit: { type: "integer" } } } as const;
  it.each([
    ["a wire name the table describes", "dryRun", { wire: "dryRun", key: "dryRun", spec: { type: "string", enum: ["All"] } }],
    ["a wire name the table does not describe, as a string", "pretty", { wire: "pretty", key: "pretty", spec: { type: "string" } }],
    ["a name inherited from Object.prototype, as a string", "constructor", { wire: "constructor", key: "constructor", spec: { type: "string" } }],
    ["an entry with its own key", { name: "path", key: "pathQuery" }, { wire: "path", key: "pathQuery", spec: { type: "string" } }],
    ["an entry with its own type", { name: "limit", spec: { type: "number" } }, { wire: "limit", key: "limit", spec: { type: "number" } }],
    ["an entry that only names a described parameter", { name: "limit" }, { wire: "limit", key: "limit", spec: { type: "integer" } }],
  ] as Array<[string, QueryParamRef, unknown]>)("resolves %s", (_name, ref, want) => {
    expect(queryParam(ref, table)).toStrictEqual(want);
  });
});
