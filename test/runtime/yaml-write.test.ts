import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { toYaml } from "../../src/runtime/yaml-write.js";

describe("toYaml", () => {
  it.each([
    ["a mapping, keys sorted, nested mappings indented, sequences not", { kind: "Pod", apiVersion: "v1", spec: { containers: [{ name: "a", image: "x" }], tolerations: [] }, metadata: {} }, "apiVersion: v1\nkind: Pod\nmetadata: {}\nspec:\n  containers:\n  - image: x\n    name: a\n  tolerations: []\n"],
    ["a sequence of sequences", [[1, 2], [], ["a"]], "- - 1\n  - 2\n- []\n- - a\n"],
    ["scalars at the top", "plain", "plain\n"],
    ["null, booleans and numbers", { a: null, b: true, c: 1.5, d: -0, e: 1e21 }, "a: null\nb: true\nc: 1.5\nd: 0\ne: 1e+21\n"],
    ["strings a reader would take for something else, quoted", { a: "true", b: "yes", c: "N", d: "1", e: "0x1F", f: "", g: " x", h: "a: b", i: "- x", j: "#x", k: "2026-01-01T00:00:00Z", l: "null", m: "~", o: "1.36", p: "e5", y: "y" }, 'a: "true"\nb: "yes"\nc: "N"\nd: "1"\ne: "0x1F"\nf: ""\ng: " x"\nh: "a: b"\ni: "- x"\nj: "#x"\nk: "2026-01-01T00:00:00Z"\nl: "null"\nm: "~"\no: "1.36"\np: "e5"\n"y": "y"\n'],
    ["names, paths and images, plain", { a: "node-a", b: "example.com/why", c: "registry.k8s.io/pause:3.10", d: "system:kube-scheduler" }, "a: node-a\nb: example.com/why\nc: registry.k8s.io/pause:3.10\nd: system:kube-scheduler\n"],
    ["keys that need quotes", { "1": 1, "a b": 2, "": 3 }, '"": 3\n"1": 1\n"a b": 2\n'],
    ["control characters, line separators, DEL and a BOM, escaped", { a: "x\ny\t\u0000\u007f\u0085\u2028\ufeff" }, 'a: "x\\ny\\t\\u0000\\u007f\\u0085\\u2028\\ufeff"\n'],
    ["a lone surrogate, as U+FFFD (a backslash before it stays one)", { a: "\ud800", b: "\\ud800" }, 'a: "\\ufffd"\nb: "\\\\ud800"\n'],
  ])("writes %s", (_name, value, want) => {
    expect(toYaml(value)).toBe(want);
  });

  it("reads back as the same value, in YAML 1.2 and 1.1, for any JSON value", () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(json, (value) => {
        const text = toYaml(value);
        expect(parse(text)).toEqual(value);
        expect(parse(text, { version: "1.1" })).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });
});
