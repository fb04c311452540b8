import { createRequire } from "node:module";
import { join } from "node:path";
import { GenBindingError } from "./errors.js";
import { type KindQuery, parseKindQuery } from "./gvk.js";
import { loadDocument } from "./load.js";
import { MANIFEST_NAME, type Manifest, inputHash, intactOutput, manifestText, readManifest, sha256 } from "./manifest.js";
import { buildModel } from "./model.js";
import type { ApiChangeReport } from "./report.js";
import { type Selection, selectKind } from "./select.js";
import { templateSources } from "./template-sources.js";
import { type FileChange, type OutputFile, applyOutput, isWrite, planOutput, readIfPresent } from "./write.js";

/** The version of gen-binding, part of every input hash. */
export const GENERATOR_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

const HANDLERS_FILE = "handlers.ts";

/** Options of a run; the CLI flags and the config file map one to one. */
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

/** What the user's handlers file got from a run. */
export interface HandlersReport {
  /** Operations whose stub was appended to handlers.ts. */
  added: string[];
  /** Handler methods in handlers.ts whose operation no longer exists (left in place). */
  orphaned: string[];
  /** Why handlers.ts could not be updated, when it could not. */
  problem: string | undefined;
}

/** What a run produced. */
export interface GenerateResult {
  /** `core/v1/Binding` */
  kind: string;
  outDir: string;
  operations: string[];
  models: string[];
  /** The output files as they are after the run (or would be, with `check`). */
  files: Array<{ name: string; content: string }>;
  /** One entry per emitted or removed file, in a fixed order. */
  changes: FileChange[];
  /** True when some file differs from what is on disk (for `--check`: the output is stale). */
  stale: boolean;
  /** True when the manifest showed that nothing could change, and the run stopped after reading the spec. */
  noop: boolean;
  /** Public API changes against the previous output; undefined when there was none, or nothing changed. */
  report: ApiChangeReport | undefined;
  handlers: HandlersReport;
}

/**
 * The pipeline: load -> select -> (same inputs as last time? stop) -> model -> emit -> format -> write.
 * Everything is computed in memory before anything is written, so a failed run leaves the output as it was.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.out ?? "out";
  const query = parseKindQuery(options.kind ?? "Binding");
  if (!query) throw new GenBindingError(`--kind ${JSON.stringify(options.kind)} is not a kind: use Kind, version/Kind or group/version/Kind`);
  const { selection, origin } = await loadSelection(options, query);
  const sources = templateSources(options.templates);
  const hash = inputHash({ generator: GENERATOR_VERSION, slice: selection, templates: sources });
  const previous = await readManifest(outDir);
  const intact = previous?.inputHash === hash ? await intactOutput(outDir, previous) : undefined;
  if (previous && intact) return noopResult(previous, outDir, intact);

  const model = buildModel(selection, origin);
  // Emitters pull in TypeScript, openapi-typescript, handlebars and prettier: load them only now.
  const [{ emitAll, emitHandlerStub }, { compileTemplates }, { formatTypeScript }] = await Promise.all([
    import("./emit/index.js"),
    import("./templates.js"),
    import("./format.js"),
  ]);
  const templates = compileTemplates(sources);
  const emitted = emitAll(model, templates);
  const files: OutputFile[] = await Promise.all(emitted.map(async (file) => ({ ...file, content: await formatTypeScript(file.content, file.name) })));
  const operations = model.operations.map((op) => op.name);
  const handlers = await mergeUserHandlers(outDir, files, operations, previous?.operations ?? [], (name) => emitHandlerStub(model, templates, name));
  const changes = await planOutput(outDir, files, previous ? [...Object.keys(previous.files), ...previous.userFiles] : []);
  const stale = changes.some(isWrite);
  const report = stale ? await apiReport(changes) : undefined;
  const manifest: Manifest = {
    generator: GENERATOR_VERSION,
    kind: model.kind.id,
    inputHash: hash,
    files: Object.fromEntries(files.filter((f) => f.name !== HANDLERS_FILE).map((f) => [f.name, sha256(f.content)])),
    userFiles: [HANDLERS_FILE],
    operations,
    models: model.schemas.map((s) => s.name),
  };
  if (!options.check) await applyOutput(outDir, changes, { name: MANIFEST_NAME, content: manifestText(manifest) });
  const after = changes.filter((c) => c.action !== "remove").map((c) => ({ name: c.name, content: c.action === "kept" ? c.before! : c.after! }));
  return { kind: model.kind.id, outDir, operations, models: manifest.models, files: after, changes, stale, noop: false, report, handlers };
}

/**
 * load -> select, in a function of its own: the parsed document (tens of MB for a real one) is garbage as
 * soon as it returns, before TypeScript and prettier are loaded (peak memory). The selection keeps only the
 * slice it needs.
 */
async function loadSelection(options: GenerateOptions, query: KindQuery): Promise<{ selection: Selection; origin: string }> {
  const loaded = await loadDocument(options.spec, options.stdin);
  return { selection: selectKind(loaded.document, query, loaded.origin), origin: loaded.origin };
}

function noopResult(manifest: Manifest, outDir: string, files: Array<{ name: string; content: string }>): GenerateResult {
  return {
    kind: manifest.kind,
    outDir,
    operations: manifest.operations,
    models: manifest.models,
    files,
    changes: files.map((f) => ({ name: f.name, action: f.name in manifest.files ? "unchanged" : "kept", before: f.content, after: f.content })),
    stale: false,
    noop: true,
    report: undefined,
    handlers: { added: [], orphaned: [], problem: undefined },
  };
}

/**
 * handlers.ts is the user's: created when absent; otherwise stubs for new operations are appended (the
 * planned file then replaces it), and methods whose operation is gone are reported. ts-morph is loaded only
 * when an operation name is missing from the file or an operation disappeared.
 */
async function mergeUserHandlers(outDir: string, files: OutputFile[], operations: string[], previousOperations: string[], stubFor: (name: string) => string): Promise<HandlersReport> {
  const index = files.findIndex((f) => f.name === HANDLERS_FILE);
  const existing = await readIfPresent(join(outDir, HANDLERS_FILE));
  if (existing === undefined || index === -1) return { added: [], orphaned: [], problem: undefined };
  const mentioned = (name: string) => new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(existing);
  if (operations.every(mentioned) && previousOperations.every((name) => operations.includes(name))) return { added: [], orphaned: [], problem: undefined };
  const { mergeHandlers } = await import("./handlers-merge.js");
  const merged = mergeHandlers(existing, operations, stubFor);
  if (merged.added.length) files[index] = { name: HANDLERS_FILE, content: merged.content, userOwned: false };
  return { added: merged.added, orphaned: merged.orphaned, problem: merged.problem };
}

/** Compares the public surface before and after with ts-morph (loaded only for runs that change files). */
async function apiReport(changes: readonly FileChange[]): Promise<ApiChangeReport | undefined> {
  const surfaceFiles = ["models.ts", "client.ts", "routes.ts"];
  const relevant = changes.filter((c) => surfaceFiles.includes(c.name));
  if (!relevant.some((c) => c.before !== undefined)) return undefined;
  const [{ readSurface }, { compareSurfaces }] = await Promise.all([import("./surface.js"), import("./report.js")]);
  const side = (which: "before" | "after") => relevant.flatMap((c) => (c[which] === undefined ? [] : [{ name: c.name, content: c[which]! }]));
  return compareSurfaces(readSurface(side("before")), readSurface(side("after")));
}
