import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { GenBindingError } from "./errors.js";
import { type KindQuery, parseKindQueries } from "./gvk.js";
import { MANIFEST_NAME, type Manifest, inputHash, intactOutput, manifestText, readManifest, sha256 } from "./manifest.js";
import { inDocumentTerms } from "./openapi3.js";
import { parseEmitParts } from "./parts.js";
import type { RenderedFile } from "./render.js";
import type { ApiChangeReport } from "./report.js";
import { runtimeFiles, runtimeSources } from "./runtime-files.js";
import { type Selection, selectKinds } from "./select.js";
import { type SpecOptions, loadSpecs } from "./sources.js";
import { templateSources } from "./template-sources.js";
import { releaseYoungGeneration } from "./v8-flags.js";
import { type FileChange, type OutputFile, applyOutput, isWrite, planOutput, readIfPresent } from "./write.js";

/** The version of gen-binding, part of every input hash. */
export const GENERATOR_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

const DEFAULT_HANDLERS_FILE = "handlers.ts";

/** Options of a run; the CLI flags and the config file map one to one. */
export interface GenerateOptions extends SpecOptions {
  /**
   * The document: a path, an http(s) URL, or `-` for standard input; Swagger 2.0 or OpenAPI 3.0, JSON or
   * YAML. Several are merged (the group-version documents of OpenAPI v3). A cluster's `/openapi/v3` index
   * URL fetches the documents the kinds need. Required unless `fromCluster`.
   */
  spec?: string | readonly string[] | undefined;
  /** Output folder (default `out`). */
  out?: string;
  /**
   * The kinds: `Binding`, `v1/Binding`, `core/v1/Binding`, `rbac.authorization.k8s.io/v1/RoleBinding`, `*`
   * for every kind; each entry may list several, comma-separated. Default `["Binding"]`.
   */
  kinds?: readonly string[];
  /** One entry of `kinds` (`"Binding,Pod"`); both may be given. */
  kind?: string;
  /** Parts to emit: `models`, `client`, `routes`, `node` (default all; models always). */
  emit?: readonly string[];
  /** The handlers file (yours: written once), relative to the working folder; default `<out>/handlers.ts`. */
  handlers?: string;
  /** Compare only; write nothing. */
  check?: boolean;
  /**
   * Refuse a breaking change of the output's public API: write nothing (the manifest included), so that
   * every later run with it refuses again until a run without it writes the change.
   */
  failOnBreaking?: boolean;
  /** A folder of `*.hbs` files that replace built-in templates of the same name. */
  templates?: string;
}

/** What the user's handlers file got from a run. */
export interface HandlersReport {
  /** The handlers file, relative to the output folder. */
  file: string;
  /** Operations whose stub was added to the handlers file. */
  added: string[];
  /** Handler methods in the handlers file whose operation no longer exists (left in place). */
  orphaned: string[];
  /** Why the handlers file could not be updated, when it could not. */
  problem: string | undefined;
}

/** What a run produced. */
export interface GenerateResult {
  /** `core/v1/Binding`, ... sorted. */
  kinds: string[];
  outDir: string;
  operations: string[];
  models: string[];
  /** The output files as they are after the run (or would be, with `check`, or when `refused`). */
  files: Array<{ name: string; content: string }>;
  /** One entry per emitted or removed file, in a fixed order. */
  changes: FileChange[];
  /** True when some file differs from what is on disk (for `--check`: the output is stale). */
  stale: boolean;
  /** True when the manifest showed that nothing could change, and the run stopped after reading the spec. */
  noop: boolean;
  /** Public API changes against the previous output; undefined when there was none, or nothing changed. */
  report: ApiChangeReport | undefined;
  /** True when `failOnBreaking` refused a breaking change: nothing was written. */
  refused: boolean;
  handlers: HandlersReport;
}

/**
 * The pipeline: load -> select -> (same inputs as last time? stop) -> model -> emit -> format -> write.
 * Everything is computed in memory before anything is written, so a failed run leaves the output as it was.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.out ?? "out";
  const queries = parseKindQueries([...(options.kinds ?? []), ...(options.kind === undefined ? [] : [options.kind])]);
  if (queries.length === 0) queries.push({ kind: "Binding" });
  const parts = parseEmitParts(options.emit);
  const handlersFile = handlersPath(outDir, options.handlers);
  const { selection, origin } = await loadSelection(options, queries);
  stage("selected");
  const sources = templateSources(options.templates);
  const runtime = runtimeSources();
  const emitOptions = { parts: [...parts].sort(), handlersFile };
  const hash = inputHash({ generator: GENERATOR_VERSION, slice: selection, options: emitOptions, templates: sources, runtime });
  const previous = await readManifest(outDir);
  const intact = previous?.inputHash === hash ? await intactOutput(outDir, previous) : undefined;
  if (previous && intact) return noopResult(previous, outDir, intact, handlersFile);

  // Emitting pulls in TypeScript, openapi-typescript and handlebars; formatting pulls in prettier: only now.
  const { startRenderStage } = await import("./render-thread.js");
  releaseYoungGeneration();
  const selectionSize = selection.operations.length + selection.definitions.length;
  const renderStage = await startRenderStage({ templates: sources, parts: [...parts], handlersFile, routesImport: routesImport(outDir, handlersFile) }, selectionSize);
  let rendered;
  try {
    rendered = await renderStage.render(selection, origin);
  } finally {
    await renderStage.close();
  }
  stage("rendered");
  const formatted = await formatFiles(rendered.files);
  stage("formatted");
  const files = [...formatted, ...runtimeFiles(formatted, runtime).map((f) => ({ ...f, userOwned: false }))];
  const { kinds, operations, models } = rendered;
  const handlers = await mergeUserHandlers(outDir, handlersFile, files, operations, previous, () => renderStage.handlerStubs(selection, origin, rendered.reserved));
  const changes = await planOutput(outDir, files, previous ? Object.keys(previous.files) : []);
  const stale = changes.some(isWrite);
  const report = stale ? await apiReport(changes) : undefined;
  const manifest: Manifest = {
    generator: GENERATOR_VERSION,
    kinds,
    inputHash: hash,
    files: Object.fromEntries(files.filter((f) => !f.userOwned).map((f) => [f.name, sha256(f.content)])),
    userFiles: files.filter((f) => f.userOwned).map((f) => f.name),
    operations,
    models,
  };
  const refused = options.failOnBreaking === true && report?.breaking === true;
  if (!options.check && !refused) await applyOutput(outDir, changes, { name: MANIFEST_NAME, content: manifestText(manifest) });
  stage("written");
  const after = changes.filter((c) => c.action !== "remove").map((c) => ({ name: c.name, content: c.action === "kept" ? c.before! : c.after! }));
  return { kinds, outDir, operations, models: manifest.models, files: after, changes, stale, noop: false, report, refused, handlers };
}

/**
 * `GEN_BINDING_TIMING=1`: when each stage ended (seconds since the process started) and the memory then, on
 * standard error. For profiling and the bench; off, it costs nothing.
 */
function stage(name: string): void {
  if (process.env["GEN_BINDING_TIMING"] !== "1") return;
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const { rss, heapUsed } = process.memoryUsage();
  process.stderr.write(`gen-binding timing: ${name} ${(performance.now() / 1000).toFixed(3)} s, rss ${mib(rss)}, heap ${mib(heapUsed)}, peak rss ${mib(process.resourceUsage().maxRSS * 1024)}\n`);
}

/**
 * The format stage: big outputs on worker threads (see format-pool.ts), small ones here, each file in
 * batches of whole statements; the same bytes either way.
 */
async function formatFiles(files: readonly RenderedFile[]): Promise<OutputFile[]> {
  const { startFormatPool } = await import("./format-pool.js");
  const pool = startFormatPool(files.reduce((sum, f) => sum + f.content.length, 0));
  const output = (file: RenderedFile, content: string): OutputFile => ({ name: file.name, content, userOwned: file.userOwned });
  if (pool) {
    try {
      return await Promise.all(files.map(async (file) => output(file, await pool.formatModule(file.content, file.name, file.statementStarts))));
    } finally {
      await pool.close();
    }
  }
  const { formatModule } = await import("./format.js");
  const formatted: OutputFile[] = [];
  for (const file of files) formatted.push(output(file, await formatModule(file.content, file.name, file.statementStarts)));
  return formatted;
}

/** The handlers file relative to the output folder, with `/` separators (`handlers.ts`, `../src/handlers.ts`). */
function handlersPath(outDir: string, handlers: string | undefined): string {
  if (handlers === undefined) return DEFAULT_HANDLERS_FILE;
  if (!/\.(ts|mts)$/.test(handlers)) throw new GenBindingError(`--handlers ${JSON.stringify(handlers)} must name a .ts file`);
  const path = relative(resolve(outDir), resolve(handlers)).split(sep).join("/");
  if (path === "" || path.startsWith(`${MANIFEST_NAME}`)) throw new GenBindingError(`--handlers ${JSON.stringify(handlers)} cannot be that file`);
  return path;
}

/** How the handlers file imports the routes: `./routes.js`, or the relative way from where it lives. */
function routesImport(outDir: string, handlersFile: string): string {
  const from = dirname(resolve(outDir, handlersFile));
  const path = relative(from, join(resolve(outDir), "routes.js")).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

/**
 * load -> select, in a function of its own: the parsed document (tens of MB for a real one) is garbage as
 * soon as it returns, before TypeScript and prettier are loaded (peak memory). The selection keeps only the
 * slice it needs.
 */
async function loadSelection(options: GenerateOptions, queries: KindQuery[]): Promise<{ selection: Selection; origin: string }> {
  const loaded = await loadSpecs(options, queries);
  return { selection: inDocumentTerms(loaded.openapi3, () => selectKinds(loaded.document, loaded.queries, loaded.origin)), origin: loaded.origin };
}

function noopResult(manifest: Manifest, outDir: string, files: Array<{ name: string; content: string }>, handlersFile: string): GenerateResult {
  return {
    kinds: manifest.kinds,
    outDir,
    operations: manifest.operations,
    models: manifest.models,
    files,
    changes: files.map((f) => ({ name: f.name, action: f.name in manifest.files ? "unchanged" : "kept", before: f.content, after: f.content })),
    stale: false,
    noop: true,
    report: undefined,
    refused: false,
    handlers: { file: handlersFile, added: [], orphaned: [], problem: undefined },
  };
}

/**
 * The handlers file is the user's: created when absent; otherwise stubs for new operations are added (the
 * planned file then replaces it), and methods whose operation is gone are reported. ts-morph is loaded only
 * when an operation name is missing from the file or an operation disappeared.
 */
async function mergeUserHandlers(outDir: string, handlersFile: string, files: OutputFile[], operations: string[], previous: Manifest | undefined, stubs: () => Promise<(name: string) => string>): Promise<HandlersReport> {
  const report: HandlersReport = { file: handlersFile, added: [], orphaned: [], problem: undefined };
  const index = files.findIndex((f) => f.name === handlersFile);
  if (index === -1) {
    const kept = previous?.userFiles.find((name) => /(^|\/)[^/]*handlers[^/]*\.m?ts$/.test(name));
    if (kept && (await readIfPresent(join(outDir, kept))) !== undefined) {
      report.problem = `routes are no longer emitted, but ${kept} (yours) is kept and still imports them: delete it if you no longer serve the routes`;
    }
    return report;
  }
  const existing = await readIfPresent(join(outDir, handlersFile));
  if (existing === undefined) return report;
  const previousOperations = previous?.operations ?? [];
  const mentioned = (name: string) => new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(existing);
  if (operations.every(mentioned) && previousOperations.every((name) => operations.includes(name))) return report;
  const [{ mergeHandlers }, stubFor] = await Promise.all([import("./handlers-merge.js"), stubs()]);
  const merged = mergeHandlers(existing, operations, stubFor);
  if (merged.added.length) files[index] = { name: handlersFile, content: merged.content, userOwned: true, rewrite: true };
  return { ...report, added: merged.added, orphaned: merged.orphaned, problem: merged.problem };
}

/** Compares the public surface before and after with ts-morph (loaded only for runs that change files). */
async function apiReport(changes: readonly FileChange[]): Promise<ApiChangeReport | undefined> {
  const surfaceFiles = ["models.ts", "operations.ts", "client.ts", "routes.ts"];
  const relevant = changes.filter((c) => surfaceFiles.includes(c.name));
  if (!relevant.some((c) => c.before !== undefined)) return undefined;
  const [{ readSurface }, { compareSurfaces }] = await Promise.all([import("./surface.js"), import("./report.js")]);
  const side = (which: "before" | "after") => relevant.flatMap((c) => (c[which] === undefined ? [] : [{ name: c.name, content: c[which]! }]));
  return compareSurfaces(readSurface(side("before")), readSurface(side("after")));
}
