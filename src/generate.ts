import { type ApiModel, buildModel } from "./model.js";
import { GenBindingError } from "./errors.js";
import { type KindQuery, parseKindQuery } from "./gvk.js";
import { loadDocument } from "./load.js";
import { selectKind } from "./select.js";
import { type FileChange, applyOutput, planOutput } from "./write.js";

/** Options of a run; the CLI flags map one to one. */
export interface GenerateOptions {
  /** Path, http(s) URL, or `-` for standard input. */
  spec: string;
  /** Output folder (default `out`). */
  out?: string;
  /** `Binding`, `v1/Binding`, `core/v1/Binding`, `rbac.authorization.k8s.io/v1/RoleBinding` (default `Binding`). */
  kind?: string;
  /** Compare only; write nothing. */
  check?: boolean;
  /** A folder of `*.hbs` files that replace built-in templates of the same name. */
  templates?: string;
  /** Stream read for `spec: "-"` (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** What a run produced. */
export interface GenerateResult {
  /** `core/v1/Binding` */
  kind: string;
  outDir: string;
  operations: string[];
  models: string[];
  /** One entry per emitted file, in a fixed order. */
  changes: FileChange[];
  /** True when some file differs from what is on disk (for `--check`: the output is stale). */
  stale: boolean;
}

/**
 * load -> select -> model, in a function of its own: the parsed document (tens of MB for a real one) is
 * garbage as soon as it returns, before TypeScript and prettier are loaded (peak memory).
 */
async function loadModel(options: GenerateOptions, query: KindQuery): Promise<ApiModel> {
  const loaded = await loadDocument(options.spec, options.stdin);
  return buildModel(selectKind(loaded.document, query, loaded.origin), loaded.origin);
}

/**
 * The pipeline: load -> select -> model -> emit -> format -> write. Everything is computed in memory
 * before anything is written, so a run that fails leaves the output folder as it was.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.out ?? "out";
  const query = parseKindQuery(options.kind ?? "Binding");
  if (!query) throw new GenBindingError(`--kind ${JSON.stringify(options.kind)} is not a kind: use Kind, version/Kind or group/version/Kind`);
  const model = await loadModel(options, query);
  // Emitters pull in TypeScript, openapi-typescript, handlebars and prettier: load them only now.
  const [{ emitAll }, { loadTemplates }, { formatTypeScript }] = await Promise.all([import("./emit/index.js"), import("./templates.js"), import("./format.js")]);
  const emitted = emitAll(model, loadTemplates(options.templates));
  const files = await Promise.all(emitted.map(async (file) => ({ ...file, content: await formatTypeScript(file.content, file.name) })));
  const changes = await planOutput(outDir, files);
  if (!options.check) await applyOutput(outDir, changes);
  return {
    kind: model.kind.id,
    outDir,
    operations: model.operations.map((op) => op.name),
    models: model.schemas.map((s) => s.name),
    changes,
    stale: changes.some((c) => c.action === "create" || c.action === "update"),
  };
}
