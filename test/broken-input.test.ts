import { existsSync, readFileSync, truncateSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { loadDocument } from "../src/load.js";
import { EXAMPLE_SPEC, runCli, tempDir } from "./helpers/run.js";
import { typecheck } from "./helpers/typecheck.js";

type Swagger = { definitions: Record<string, any>; paths: Record<string, any>; parameters: Record<string, any> };
const BINDING = "io.k8s.api.core.v1.Binding";

/** The example document, changed by `edit`, as text. */
function exampleWith(edit: (spec: Swagger) => void): string {
  const spec = JSON.parse(readFileSync(EXAMPLE_SPEC, "utf8")) as Swagger;
  edit(spec);
  return JSON.stringify(spec);
}

/** `{"type":"object","properties":{"a": ... }}` nested `levels` times, as text (JSON.stringify would recurse). */
function nestedSchema(levels: number): string {
  return '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string"}' + "}}".repeat(levels);
}

const cases: Array<[name: string, content: () => string | Buffer, want: RegExp]> = [
  ["an empty file", () => "", /: the file is empty$/],
  ["truncated JSON", () => readFileSync(EXAMPLE_SPEC, "utf8").slice(0, 500), /: not valid JSON at line \d+, column \d+: /],
  ["binary data", () => Buffer.from([0x7b, 0x22, 0x00, 0xff, 0xfe, 0x01]), /: binary data \(NUL byte at offset 2\), not a JSON or YAML document$/],
  ["invalid UTF-8", () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), /: not valid UTF-8 text, so not a JSON or YAML document$/],
  ["YAML flow sequences nested 100,000 deep", () => 'swagger: "2.0"\nx: ' + "[".repeat(100_000) + "]".repeat(100_000), /: neither JSON nor valid YAML at line 2, column \d+: /],
  ["JSON arrays nested 200,000 deep", () => "[".repeat(200_000) + "]".repeat(200_000), /: not a Swagger\/OpenAPI document \(the top level is an array/],
  [
    "a schema nested 5,000 deep",
    () => {
      const text = readFileSync(EXAMPLE_SPEC, "utf8");
      const at = text.indexOf('"properties": {', text.indexOf(`"${BINDING}": {`)) + '"properties": {'.length;
      return `${text.slice(0, at)}"deep": ${nestedSchema(5000)},${text.slice(at)}`;
    },
    /: #\/definitions\/io\.k8s\.api\.core\.v1\.Binding\/properties\/deep\/properties\/a\/.*\/\.\.\. is nested more than 200 levels deep/,
  ],
  [
    "a $ref cycle with nothing in between",
    () => exampleWith((s) => {
      s.definitions["A"] = { $ref: "#/definitions/B" };
      s.definitions["B"] = { allOf: [{ $ref: "#/definitions/A" }] };
      s.definitions[BINDING].properties.loop = { $ref: "#/definitions/A" };
    }),
    /: \$ref cycle with no object in between, which no type can express: #\/definitions\/A -> #\/definitions\/B -> #\/definitions\/A$/,
  ],
  [
    "a $ref to a missing definition",
    () => exampleWith((s) => void (s.definitions[BINDING].properties.gone = { $ref: "#/definitions/Gone" })),
    /: dangling \$ref at #\/definitions\/io\.k8s\.api\.core\.v1\.Binding\/properties\/gone\/\$ref: "#\/definitions\/Gone" points to nothing in the document$/,
  ],
  [
    "a $ref to __proto__",
    () => exampleWith((s) => void (s.definitions[BINDING].properties.proto = { $ref: "#/definitions/__proto__" })),
    /: dangling \$ref at .*"#\/definitions\/__proto__" points to nothing/,
  ],
  [
    "a remote $ref over https",
    () => exampleWith((s) => void (s.definitions[BINDING].properties.far = { $ref: "https://127.0.0.1:1/evil.json#/definitions/X" })),
    /: remote \$ref refused at #\/definitions\/io\.k8s\.api\.core\.v1\.Binding\/properties\/far\/\$ref: .* \(gen-binding never fetches a \$ref; inline it or use a bundled document\)$/,
  ],
  [
    "a $ref to another file",
    () => exampleWith((s) => void (s.definitions[BINDING].properties.far = { $ref: "../../etc/passwd#/x" })),
    /: remote \$ref refused at .*"\.\.\/\.\.\/etc\/passwd#\/x" \(gen-binding never fetches a \$ref/,
  ],
  [
    "a remote parameter $ref",
    () => exampleWith((s) => void Object.values(s.paths)[0].parameters.push({ $ref: "http://127.0.0.1:1/p.json" })),
    /: remote \$ref refused at #\/paths\/~1api~1v1~1namespaces~1\{namespace\}~1bindings\/parameters\/\d+\/\$ref/,
  ],
];

describe("broken input documents", () => {
  it.each(cases)("%s: exit 2, one clear line, nothing written", (_name, content, want) => {
    const dir = tempDir("broken");
    const spec = join(dir, "spec.json");
    writeFileSync(spec, content());
    const out = join(dir, "out");
    const result = runCli(["--spec", spec, "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^gen-binding: [^\n]*\n$/);
    expect(result.stderr.slice("gen-binding: ".length, -1)).toMatch(want);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a 200 MB file from its size, without reading it into memory", async () => {
    const dir = tempDir("huge");
    const spec = join(dir, "huge.json");
    writeFileSync(spec, '{"swagger": "2.0", "x": "');
    truncateSync(spec, 200 * 1024 * 1024); // sparse: instant, and takes no disk
    try {
      const before = process.memoryUsage();
      await expect(loadDocument(spec)).rejects.toThrow(/: 200\.0 MiB is larger than the 64 MiB limit for an API document$/);
      const after = process.memoryUsage();
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
      expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
      const result = runCli(["--spec", spec, "--out", join(dir, "out")]);
      expect([result.status, result.stderr]).toEqual([2, `gen-binding: ${spec}: 200.0 MiB is larger than the 64 MiB limit for an API document\n`]);
      expect(existsSync(join(dir, "out"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts a schema that refers to itself through a property, as a recursive interface that compiles", async () => {
    const dir = tempDir("recursive");
    const spec = join(dir, "spec.json");
    writeFileSync(spec, exampleWith((s) => void (s.definitions[BINDING].properties.children = { type: "array", items: { $ref: `#/definitions/${BINDING}` } })));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    await generate({ spec, out: dir });
    expect(readFileSync(join(dir, "models.ts"), "utf8")).toMatch(/children\?: Binding\[\];/);
    expect(typecheck(dir, "nodenext")).toEqual([]);
  });
});
