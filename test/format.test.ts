import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { emitAll } from "../src/emit/index.js";
import { formatTypeScript } from "../src/format.js";
import { parseKindQuery } from "../src/gvk.js";
import { loadDocument } from "../src/load.js";
import { buildModel } from "../src/model.js";
import { selectKind } from "../src/select.js";
import { templateSources } from "../src/template-sources.js";
import { compileTemplates } from "../src/templates.js";
import { EXAMPLE_SPEC, realSpecs } from "./helpers/run.js";

// formatTypeScript uses prettier's babel-ts parser because it is much faster cold; it must give the bytes
// that prettier's typescript parser gives, or a prettier upgrade could change the output unnoticed.
const newest = realSpecs().at(-1);
const cases: Array<[string, string, string]> = [
  ["the example", EXAMPLE_SPEC, "Binding"],
  ...(newest ? ([[`${newest[0]} Binding`, newest[1], "Binding"], [`${newest[0]} Pod`, newest[1], "Pod"]] as Array<[string, string, string]>) : []),
];
if (!newest) console.warn("format.test.ts: ../shared/specs is absent; checking the example only");

describe("formatting emitted files", () => {
  it.each(cases)("%s: babel-ts gives the same bytes as the typescript parser", async (_name, spec, kind) => {
    const loaded = await loadDocument(spec);
    const model = buildModel(selectKind(loaded.document, parseKindQuery(kind)!, spec), spec);
    for (const file of emitAll(model, compileTemplates(templateSources()))) {
      const options = { filepath: file.name, printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const;
      expect(await formatTypeScript(file.content, file.name), file.name).toBe(await format(file.content, { ...options, parser: "typescript" }));
    }
  });
});
