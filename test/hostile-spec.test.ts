import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { EXAMPLE_SPEC, readTree, tempDir } from "./helpers/run.js";
import { typecheckFolders } from "./helpers/typecheck.js";

/**
 * Property-based: documents whose text, names and ids are hostile must give output that compiles, carries
 * every text faithfully (escaped), and runs nothing that came from the document.
 */

/** Appears in every payload in a position where it would run if the text escaped its comment or string. */
const CANARY = "pwned";

const FRAGMENTS = [
  "*/", "/*", "/**", "${", "`", "</script>", "{{", "}}", "{{{x}}}", "\u2028", "\u2029", "\0", "\r\n", "\n", "\r", '"', "'", "\\",
  "//", "@deprecated", "@type {any}", "<!--", "-->", "\t", "\v", "\f", "\u0007", "\u001b[31m", "é", "😀", "\ufeff", "\ud800", "\udfff", "x".repeat(2000),
  `*/ ${CANARY}(); /*`, `"); ${CANARY}(); ("`, `\n${CANARY}()\n`, `\u2028${CANARY}()`, "${" + `${CANARY}()}`, `\`+${CANARY}()+\``, `{{${CANARY}}}`,
];

/** Hostile text: fragments and random graphemes (no backslash-u, which would read as one of our escapes). */
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: "grapheme", maxLength: 6 }).filter((s) => !s.includes("\\") && !s.startsWith("u"))), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.join(""))
  .filter((text) => text.trim() !== "");

const PROPERTY_NAMES = ["x-kubernetes-foo", "$ref", "1st", "0", "default", "__proto__", "constructor", "toString", 'say "hi"', "it's", "with space", "*/", "${x}", "a\nb", "", "é"];
const ENUM_VALUES = ['a"b', "it's", "${x}", "*/", "`", "\u2028", "</script>", "{{x}}", "", "\\"];
const OPERATION_IDS = ["createCoreV1NamespacedBinding", "createNamespacedBinding", "create*/Binding", '"quoted"', "${x}", "", "a b", "__proto__", "constructor", "toString", "segment", "send", "createClient"];
const QUERY_NAMES = ["body", "contentType", "namespace", "name", "__proto__", "a-b", "1st", "constructor", "x\"y", "bodyQuery"];
const DEFINITION_NAMES = ["evil.v1.Status", "other.v1.Binding", "ApiError", "x.Handlers", "__proto__", "1x", "a b.c", "constructor", "Binding"];
const GROUPS = ["", "evil.example.com", `evil\n${CANARY}()\n`, `x"); ${CANARY}(); ("*`, "g\u2028h"];

interface HostileInput {
  texts: string[];
  title: string;
  group: string;
  properties: Array<{ name: string; enumValues: string[] }>;
  operationIds: [string, string];
  queryNames: string[];
  definitions: string[];
}

const hostileInput: fc.Arbitrary<HostileInput> = fc.record({
  texts: fc.array(hostileText, { minLength: 4, maxLength: 4 }),
  title: hostileText,
  group: fc.constantFrom(...GROUPS),
  properties: fc.uniqueArray(fc.record({ name: fc.constantFrom(...PROPERTY_NAMES), enumValues: fc.uniqueArray(fc.constantFrom(...ENUM_VALUES), { maxLength: 3 }) }), { selector: (p) => p.name, minLength: 1, maxLength: 5 }),
  operationIds: fc.tuple(fc.constantFrom(...OPERATION_IDS), fc.constantFrom(...OPERATION_IDS)),
  queryNames: fc.uniqueArray(fc.constantFrom(...QUERY_NAMES), { minLength: 1, maxLength: 4 }),
  definitions: fc.uniqueArray(fc.constantFrom(...DEFINITION_NAMES), { maxLength: 3 }),
});

const BINDING = "io.k8s.api.core.v1.Binding";

/** The example document with the hostile input put into every place that reaches the output. */
function hostileSpec(input: HostileInput): unknown {
  const spec = JSON.parse(readFileSync(EXAMPLE_SPEC, "utf8"));
  const [kindText, propertyText, operationText, parameterText] = input.texts as [string, string, string, string];
  const gvk = { group: input.group, version: "v1", kind: "Binding" };
  const binding = spec.definitions[BINDING];
  Object.assign(binding, { description: kindText, title: input.title, "x-kubernetes-group-version-kind": [gvk] });
  for (const { name, enumValues } of input.properties) {
    // defineProperty: `properties[name] = ...` would set the prototype for "__proto__" instead.
    Object.defineProperty(binding.properties, name, { value: { type: "string", description: propertyText, ...(enumValues.length && { enum: enumValues }) }, enumerable: true, writable: true, configurable: true });
  }
  for (const [index, name] of input.definitions.entries()) {
    Object.defineProperty(spec.definitions, name, { value: { type: "object", description: kindText, properties: { v: { type: "string" } } }, enumerable: true, writable: true, configurable: true });
    binding.properties[`ref${index}`] = { $ref: `#/definitions/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` };
  }
  const operations = Object.values(spec.paths as Record<string, Record<string, any>>).flatMap((item) => Object.values(item).filter((op) => op?.["x-kubernetes-group-version-kind"]?.kind === "Binding"));
  operations.forEach((op, i) => {
    Object.assign(op, { description: operationText, operationId: input.operationIds[i % 2], "x-kubernetes-group-version-kind": gvk });
    op.parameters = [...(op.parameters ?? []), ...input.queryNames.map((name) => ({ name, in: "query", type: "string", description: parameterText }))];
  });
  return spec;
}

/** Comment text as a reader sees it: comment markers, ` * ` prefixes and whitespace gone, our escapes undone. */
function commentCorpus(source: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const comments: string[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.MultiLineCommentTrivia) {
      const body = scanner.getTokenText().slice(2, -2).replace(/^\*/, "");
      // The first line follows `/**` directly; every line after a "\n" starts with the ` * ` the emitter added
      // (other line terminators inside a comment are harmless, and openapi-typescript leaves them as they are).
      comments.push(body.split(/\r?\n/).map((line, i) => (i === 0 ? line : line.replace(/^\s*\* ?/, ""))).join("\n"));
    }
  }
  return squash(comments.join("\u0000\u0000").replace(/\*\\\//g, "*/").replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

/** Drops whitespace (line layout is the formatter's) so that texts compare by their visible characters. */
function squash(text: string): string {
  return text.replace(/[\s\u2028\u2029\ufeff]+/g, "");
}

/** Every identifier, string literal text and property name in a file, read with the TypeScript parser. */
function syntax(source: string, name: string): { identifiers: Set<string>; strings: string[]; propertyNames: string[]; errors: number } {
  const file = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const identifiers = new Set<string>();
  const strings: string[] = [];
  const propertyNames: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) identifiers.add(node.text);
    if (ts.isStringLiteralLike(node)) strings.push(node.text);
    if ((ts.isPropertySignature(node) || ts.isPropertyAssignment(node)) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name))) propertyNames.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { identifiers, strings, propertyNames, errors: (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length };
}

describe("hostile documents", () => {
  const root = tempDir("hostile");
  const dirs: string[] = [];
  afterAll(() => process.env["KEEP"] || rmSync(root, { recursive: true, force: true }));

  it("give output that carries every text escaped, and has no code that came from the document", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        const dir = join(root, `run-${run++}`);
        const spec = `${dir}.json`;
        writeFileSync(spec, JSON.stringify(hostileSpec(input)));
        writeFileSync(`${dir}.input.json`, JSON.stringify(input));
        writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
        await generate({ spec, out: dir, kind: `${input.group || "core"}/v1/Binding` });
        dirs.push(dir);
        const files = readTree(dir);
        expect(() => JSON.parse(files[".gen-binding.json"]!), "the manifest is JSON").not.toThrow();
        const parsed = Object.fromEntries(Object.entries(files).filter(([name]) => name.endsWith(".ts")).map(([name, source]) => [name, syntax(source, name)]));
        for (const [name, file] of Object.entries(parsed)) {
          expect(file.errors, `${name} parses`).toBe(0);
          expect([...file.identifiers].filter((id) => id.includes(CANARY)), `${name}: identifiers from spec text`).toEqual([]);
        }
        const [kindText, propertyText, operationText, parameterText] = input.texts.map(squash) as [string, string, string, string];
        const models = commentCorpus(files["models.ts"]!);
        expect(models).toContain(kindText);
        expect(models).toContain(squash(input.title));
        expect(models).toContain(propertyText);
        for (const name of ["routes.ts", "client.ts"]) expect(commentCorpus(files[name]!)).toContain(operationText);
        // Query parameters are described once, in operations.ts, and sent by their wire names from its table.
        expect(commentCorpus(files["operations.ts"]!)).toContain(parameterText);
        const tableStrings = parsed["operations.ts"]!.strings;
        const routeStrings = parsed["routes.ts"]!.strings;
        for (const name of input.queryNames) {
          expect(tableStrings).toContain(name);
          expect([...routeStrings, ...parsed["routes.ts"]!.propertyNames], "the routes' query type").toContain(name);
        }
        for (const id of input.operationIds) expect(tableStrings).toContain(id);
        expect(tableStrings).toContain(input.group);
        const shapes = JSON.parse(routeStrings.find((s) => s.startsWith('{"'))!);
        const bindingShape = Object.values(shapes as Record<string, { p?: Record<string, unknown> }>).find((shape) => shape.p && Object.hasOwn(shape.p, "target"))!;
        for (const { name } of input.properties) expect(Object.hasOwn(bindingShape.p!, name), `validator knows property ${JSON.stringify(name)}`).toBe(true);
      }),
      { numRuns: Number(process.env["FC_RUNS"] ?? 16), seed: Number(process.env["FC_SEED"] ?? 4), endOnFailure: true },
    );
  }, 120_000);

  it("and that output compiles under the strictest settings (one program for all runs)", () => {
    expect(dirs.length).toBeGreaterThan(0);
    expect(typecheckFolders(dirs, "nodenext")).toEqual([]);
  }, 120_000);
});
