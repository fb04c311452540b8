import { describe, expect, it } from "vitest";
import { parseQuery, queryValueProblem } from "../../src/runtime/query.js";
import type { QueryParamSpec } from "../../src/runtime/table.js";

const specs: Array<readonly [string, QueryParamSpec]> = [
  ["watch", { type: "boolean" }],
  ["limit", { type: "integer" }],
  ["ratio", { type: "number" }],
  ["dryRun", { type: "string", enum: ["All"] }],
  ["fieldManager", { type: "string" }],
];

describe("parseQuery", () => {
  it.each([
    ...["1", "t", "T", "true", "TRUE", "True"].map((raw) => [`watch=${raw}`, { watch: true }] as const),
    ...["0", "f", "F", "false", "FALSE", "False"].map((raw) => [`watch=${raw}`, { watch: false }] as const),
    ["limit=500", { limit: 500 }],
    ["limit=-3", { limit: -3 }],
    ["ratio=0.25", { ratio: 0.25 }],
    ["ratio=7", { ratio: 7 }],
    ["dryRun=All", { dryRun: "All" }],
    ["fieldManager=a+b%20c", { fieldManager: "a b c" }],
    ["fieldManager=", { fieldManager: "" }],
    ["", {}],
    ["?limit=1", { limit: 1 }],
  ] as Array<[string, Record<string, unknown>]>)("reads %j as %j", (search, want) => {
    expect(parseQuery(new URLSearchParams(search), specs)).toStrictEqual(want);
  });

  it.each([
    ["unknown parameters", "pretty=true&labelSelector=a%3Db&limit=2", { limit: 2 }],
    ["repeated values after the first", "limit=1&limit=2&dryRun=All&dryRun=All", { limit: 1, dryRun: "All" }],
  ])("ignores %s", (_name, search, want) => {
    expect(parseQuery(new URLSearchParams(search), specs)).toStrictEqual(want);
  });

  it.each([
    ["a boolean spelled otherwise", "watch=yes", 'invalid value for query parameter "watch": "yes" is not a boolean'],
    ["an empty boolean", "watch", 'invalid value for query parameter "watch": "" is not a boolean'],
    ["a fraction for an integer", "limit=1.5", 'invalid value for query parameter "limit": "1.5" is not an integer'],
    ["an empty integer", "limit=", 'invalid value for query parameter "limit": "" is not an integer'],
    ["blanks for an integer", "limit=%20%20", 'invalid value for query parameter "limit": "  " is not an integer'],
    ["text for a number", "ratio=half", 'invalid value for query parameter "ratio": "half" is not a number'],
    ["an infinite number", "ratio=Infinity", 'invalid value for query parameter "ratio": "Infinity" is not a number'],
    ["a value outside the enum", "dryRun=None", 'invalid value for query parameter "dryRun": "None"; supported values: "All"'],
    ["an enum value in another case", "dryRun=all", 'invalid value for query parameter "dryRun": "all"; supported values: "All"'],
    ["a bad value repeated after a good one", "limit=1&limit=x", 'invalid value for query parameter "limit": "x" is not an integer'],
    ["a bad enum value repeated after a good one", "dryRun=All&dryRun=Some", 'invalid value for query parameter "dryRun": "Some"; supported values: "All"'],
  ])("refuses %s", (_name, search, message) => {
    expect(parseQuery(new URLSearchParams(search), specs)).toBe(message);
  });

  it("keeps a parameter named __proto__ as an own property, touching no prototype", () => {
    const query = parseQuery(new URLSearchParams("__proto__=x&constructor=y"), [["__proto__", { type: "string" }], ["constructor", { type: "string" }]]);
    expect(typeof query).toBe("object");
    const result = query as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.entries(result)).toEqual([["__proto__", "x"], ["constructor", "y"]]);
  });

  it("gives nothing for a declared parameter the request leaves out", () => {
    expect(Object.hasOwn(parseQuery(new URLSearchParams("limit=1"), specs) as object, "watch")).toBe(false);
  });

  // Regression (found by these tests, fixed): integer parameters accept what Number() reads (1e3, 0x10, 5.0, " 5") where the apiserver's strconv.ParseInt answers 400.
  it.each([["1e3"], ["0x10"], ["0b1"], ["5.0"], ["%205"], ["5%20"], ["99999999999999999999"]])("refuses the integer spelling %s, as the apiserver does", (raw) => {
    expect(parseQuery(new URLSearchParams(`limit=${raw}`), specs)).toBe(`invalid value for query parameter "limit": ${JSON.stringify(decodeURIComponent(raw))} is not an integer`);
  });

  it.each([["+5", 5], ["-7", -7], ["007", 7]])("reads the integer spelling %s as %d, as strconv.ParseInt does", (raw, want) => {
    expect(parseQuery(new URLSearchParams(`limit=${encodeURIComponent(raw)}`), specs)).toStrictEqual({ limit: want });
  });
});

describe("queryValueProblem", () => {
  it.each([
    [{ type: "string" } as QueryParamSpec, "anything at all", undefined],
    [{ type: "string", enum: ["Ignore", "Warn", "Strict"] } as QueryParamSpec, "Warn", undefined],
    [{ type: "string", enum: ["Ignore", "Warn", "Strict"] } as QueryParamSpec, "warn", 'invalid value for query parameter "p": "warn"; supported values: "Ignore", "Warn", "Strict"'],
    [{ type: "boolean" } as QueryParamSpec, "True", undefined],
    [{ type: "boolean" } as QueryParamSpec, "tRUE", 'invalid value for query parameter "p": "tRUE" is not a boolean'],
    [{ type: "integer" } as QueryParamSpec, "12", undefined],
    [{ type: "number" } as QueryParamSpec, "1.5", undefined],
  ])("%j with %j: %j", (spec, raw, want) => {
    expect(queryValueProblem("p", raw, spec)).toBe(want);
  });
});
