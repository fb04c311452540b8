import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, scanJson } from "../../src/runtime/json-scan.js";

const nested = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth);

describe("scanJson", () => {
  it.each([
    ["arrays exactly at the limit", nested(3), 3, false],
    ["arrays one past the limit", nested(4), 3, true],
    ["objects exactly at the limit", '{"a":{"b":{"c":1}}}', 3, false],
    ["objects one past the limit", '{"a":{"b":{"c":{}}}}', 3, true],
    ["mixed arrays and objects one past the limit", '[{"a":[{}]}]', 3, true],
    ["siblings that each stay at the limit", "[[[]],[[]],[[]]]", 3, false],
    ["braces inside strings, which do not nest", '["{{{{[[[[", "]]]]}}}}"]', 1, false],
    ["an escaped quote that does not end the string", '["\\"[[[[", 1]', 1, false],
    ["an escaped backslash before the closing quote", '["\\\\", [[]]]', 3, false],
    ["scalars", '"x"', 0, false],
  ])("%s: tooDeep is %s", (_name, text, maxDepth, tooDeep) => {
    expect(scanJson(text, maxDepth).tooDeep).toBe(tooDeep);
  });

  it("allows the apiserver's 10,000 levels by default, and refuses 10,001", () => {
    expect(MAX_JSON_DEPTH).toBe(10_000);
    expect(scanJson(nested(10_000))).toEqual({ tooDeep: false, duplicates: { items: [], omitted: 0 } });
    expect(scanJson(nested(10_001)).tooDeep).toBe(true);
  });

  it("survives a million levels without recursion", () => {
    expect(scanJson(nested(1_000_000)).tooDeep).toBe(true);
  });

  it.each([
    ["none in a valid object", '{"a":1,"b":{"a":2},"c":[{"a":3}]}', []],
    ["a top-level key", '{"a":1,"a":2}', ["a"]],
    ["a key twice repeated, once per extra time", '{"a":1,"a":2,"a":3}', ["a", "a"]],
    ["a nested key, with its path", '{"metadata":{"name":"x","labels":{},"name":"y"}}', ["metadata.name"]],
    ["a key in an array element, with its index", '{"items":[{"a":1},{"b":1,"b":2}]}', ["items[1].b"]],
    ["a key in an array of arrays", '{"m":[[{}],[{},{"k":1,"k":1}]]}', ["m[1][1].k"]],
    ["a key in a top-level array", '[1,{"a":1,"a":2}]', ["[1].a"]],
    ["keys written with escapes, compared decoded", '{"a":1,"\\u0061":2}', ["a"]],
    ["a key holding a quote and a brace", '{"a\\"{":1,"a\\"{":2}', ['a"{']],
    ["not string values equal to a key", '{"a":"a","b":"a"}', []],
    ["not the same key in sibling objects", '[{"a":1},{"a":1}]', []],
    ["a key after a nested object closes", '{"a":{"x":1},"a":2}', ["a"]],
    ["a key after an array closes", '{"a":[1,{"x":[]}],"a":2}', ["a"]],
    ["keys of an object with a few keys, and with many", `{"few":{"a":1,"b":2,"c":3,"b":4},"many":{${Array.from({ length: 20 }, (_, i) => `"k${i}":${i}`).join(",")},"k3":0,"k19":0}}`, ["few.b", "many.k3", "many.k19"]],
    ["a key repeated while an object grows past a few keys", `{${Array.from({ length: 12 }, (_, i) => `"k${i}":${i},"k0":0`).join(",")}}`, Array(12).fill("k0")],
  ])("duplicates: %s", (_name, text, want) => {
    expect(scanJson(text).duplicates).toEqual({ items: want, omitted: 0 });
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ["an unterminated string", '{"a":"x'],
    ["an unterminated object", '{"a":{'],
    ["closing brackets without openers", "]]}}"],
    ["text that is not JSON at all", "<html>{"],
    ["a lone backslash at the end", '["\\'],
  ])("tolerates %s, leaving it to JSON.parse", (_name, text) => {
    expect(scanJson(text)).toEqual({ tooDeep: false, duplicates: { items: [], omitted: 0 } });
  });
});
