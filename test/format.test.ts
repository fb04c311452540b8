import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { emitAll } from "../src/emit/index.js";
import { outlineModule } from "../src/emit/scope.js";
import { formatModule, formatTypeScript } from "../src/format.js";
import { parseKindQueries } from "../src/gvk.js";
import { loadDocument } from "../src/load.js";
import { buildModel } from "../src/model.js";
import { parseEmitParts } from "../src/parts.js";
import { runtimeSources } from "../src/runtime-files.js";
import { selectKinds } from "../src/select.js";
import { templateSources } from "../src/template-sources.js";
import { compileTemplates } from "../src/templates.js";
import { EXAMPLE_SPEC, realSpecs } from "./helpers/run.js";

const newest = realSpecs().at(-1);
const cases: Array<[string, string, string]> = [
  ["the example", EXAMPLE_SPEC, "Binding"],
  ["the example's scheduler kinds", EXAMPLE_SPEC, "Binding,Pod,Node"],
  ...(newest ? ([[`${newest[0]} Binding`, newest[1], "Binding"], [`${newest[0]} Pod, Node and the apps group`, newest[1], "Pod,Node,Deployment,StatefulSet,DaemonSet,ReplicaSet"]] as Array<[string, string, string]>) : []),
];
if (!newest) console.warn("format.test.ts: ../shared/specs is absent; checking the example only");

async function emitted(spec: string, kinds: string) {
  const loaded = await loadDocument(spec);
  const model = buildModel(selectKinds(loaded.document, parseKindQueries([kinds]), spec), spec);
  return emitAll(model, compileTemplates(templateSources()), { parts: parseEmitParts(undefined), handlersFile: "handlers.ts", routesImport: "./routes.js" });
}

const PRETTIER_OPTIONS = { printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const;

describe("formatting emitted files", () => {
  // formatTypeScript uses prettier's babel-ts parser because it is much faster cold; it must give the bytes
  // that prettier's typescript parser gives, or a prettier upgrade could change the output unnoticed.
  it.each(cases)("%s: babel-ts gives the same bytes as the typescript parser", async (_name, spec, kinds) => {
    for (const file of await emitted(spec, kinds)) {
      expect(await formatTypeScript(file.content, file.name), file.name).toBe(await format(file.content, { ...PRETTIER_OPTIONS, filepath: file.name, parser: "typescript" }));
    }
  });

  // Large outputs are formatted a batch of statements at a time (memory); the bytes must not change.
  it.each(cases)("%s: formatting in batches of statements gives the bytes of formatting each file at once", async (_name, spec, kinds) => {
    let batched = 0;
    for (const file of await emitted(spec, kinds)) {
      const { statementStarts } = outlineModule(file.name, file.content);
      if (file.content.length > 64 * 1024) batched++;
      expect(await formatModule(file.content, file.name, statementStarts), file.name).toBe(await formatTypeScript(file.content, file.name));
    }
    if (kinds.includes("Deployment")) expect(batched).toBeGreaterThan(1);
  });

  // The runtime is copied into outputs verbatim, beside files prettier formatted: it is kept in the same form.
  it.each([...runtimeSources().keys()])("src/runtime/%s is formatted as the generated files are", async (file) => {
    const text = runtimeSources().get(file)!;
    expect(await formatTypeScript(text, file)).toBe(text);
  });
});
