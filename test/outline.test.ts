import { describe, expect, it } from "vitest";
import { emitAll } from "../src/emit/index.js";
import { scanOutline } from "../src/emit/outline-scan.js";
import { outlineModule, parseOutline } from "../src/emit/scope.js";
import { parseKindQueries } from "../src/gvk.js";
import { loadDocument } from "../src/load.js";
import { buildModel } from "../src/model.js";
import { parseEmitParts } from "../src/parts.js";
import { runtimeSources } from "../src/runtime-files.js";
import { selectKinds } from "../src/select.js";
import { templateSources } from "../src/template-sources.js";
import { compileTemplates } from "../src/templates.js";
import { requireTypeScript } from "../src/typescript-peer.js";
import { EXAMPLE_SPEC, realSpecs } from "./helpers/run.js";

const ts = requireTypeScript();
const scan = (text: string) => scanOutline(ts, text);
const sorted = (names: Iterable<string>) => [...names].sort();

const newest = realSpecs().at(-1);
const outputs: Array<[string, string, string]> = [
  ["the example", EXAMPLE_SPEC, "Binding"],
  ...(newest ? ([[`${newest[0]}, every kind`, newest[1], "*"]] as Array<[string, string, string]>) : []),
];

async function emitted(spec: string, kinds: string) {
  const loaded = await loadDocument(spec);
  const model = buildModel(selectKinds(loaded.document, parseKindQueries([kinds]), spec), spec);
  return emitAll(model, compileTemplates(templateSources()), { parts: parseEmitParts(undefined), handlersFile: "handlers.ts", routesImport: "./routes.js" });
}

describe("outlining a module with the scanner", () => {
  // What the scanner answers must be what the parser answers: the declared names exactly, and statement
  // starts among the parser's (a cut anywhere else would change the formatted bytes).
  it.each(outputs)("reads every file emitted for %s as the parser does, all statements included", async (_name, spec, kinds) => {
    for (const file of await emitted(spec, kinds)) {
      const scanned = scan(file.content);
      const parsed = parseOutline(file.name, file.content);
      expect(scanned, `${file.name}: the scanner gave up`).toBeDefined();
      expect(sorted(scanned!.declared), file.name).toEqual(sorted(parsed.declared));
      expect(scanned!.statementStarts, file.name).toEqual(parsed.statementStarts);
    }
  });

  it.each([...runtimeSources().keys()])("reads src/runtime/%s as the parser does, or gives up", (file) => {
    const text = runtimeSources().get(file)!;
    const scanned = scan(text);
    if (scanned === undefined) return;
    const parsed = parseOutline(file, text);
    expect(sorted(scanned.declared)).toEqual(sorted(parsed.declared));
    expect(scanned.statementStarts.every((start) => parsed.statementStarts.includes(start))).toBe(true);
  });

  const names: Array<[string, string, string[]]> = [
    ["imports, except from ./models.js", 'import { a, b as c, type d, type e as f } from "./x.js";\nimport type * as ns from "y";\nimport D, { m } from "./models.js";\nimport "side-effect";\n', ["a", "c", "d", "f", "ns"]],
    ["default and namespace imports", 'import D, * as all from "z";\n', ["D", "all"]],
    ["re-exports", 'export { a as b, c } from "./models.js";\nexport * as ns from "x";\nexport * from "y";\nexport type { T as U } from "z";\n', ["U", "b", "c", "ns"]],
    [
      "declarations",
      "export const a = 1;\nexport function f() {}\nexport async function* g() {}\nexport class C {}\nexport interface I {}\nexport type T = 1;\nexport enum E { A }\nexport const enum K { B }\nexport declare namespace N.M {}\ndeclare module \"m\" {}\nlet local = 2;\n",
      ["C", "E", "I", "K", "N", "T", "a", "f", "g", "local"],
    ],
    ["default exports", "export default function named() {}\n", ["named"]],
    ["anonymous default exports", "export default class extends Base {}\n", []],
    ["regular expressions and templates", "export const re = /[{;]`/g;\nexport const t = `a${`b${1}}`}c`;\nexport const half = 1 / 2;\n", ["half", "re", "t"]],
    ["contextual keywords as names", "export const type = 1;\nexport function as() {}\n", ["as", "type"]],
  ];
  it.each(names)("finds the names of %s, as the parser does", (_name, text, want) => {
    expect(sorted(scan(text)!.declared)).toEqual(want);
    expect(sorted(parseOutline("x.ts", text).declared)).toEqual(want);
    expect(scan(text)!.statementStarts).toEqual(parseOutline("x.ts", text).statementStarts);
  });

  const unsure: Array<[string, string]> = [
    ["destructuring", "export const { a, b } = x;\n"],
    ["two declarators", "export const a = 1, b = 2;\n"],
    ["decorators", "@sealed\nexport class A {}\n"],
    ["import x = require()", 'import x = require("y");\n'],
    ["two statements on one line after a }", "function f() {} function g() {}\n"],
    ["a statement that automatic semicolon insertion ends", "const a = b\nexport const c = 1;\n"],
    ["unbalanced brackets", "export const a = (1;\n"],
  ];
  it.each(unsure)("gives up on %s, and outlineModule parses", (_name, text) => {
    expect(scan(text)).toBeUndefined();
    const outline = outlineModule("x.ts", text);
    expect(outline.statementStarts).toEqual(parseOutline("x.ts", text).statementStarts);
  });

  it("cuts after a } that a new line and a new statement follow, with the comments before that statement", () => {
    const text = "export function f() {\n  return 1;\n}\n\n/** Docs. */\nexport interface I {\n  a: string;\n}\n";
    expect(scan(text)!.statementStarts).toEqual([0, text.indexOf("}\n\n") + 1]);
    expect(scan(text)!.statementStarts).toEqual(parseOutline("x.ts", text).statementStarts);
  });
});
