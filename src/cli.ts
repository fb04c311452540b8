#!/usr/bin/env node
import { parseArgs } from "node:util";
import { loadConfig } from "./config.js";
import { GenBindingError } from "./errors.js";
import { GENERATOR_VERSION, type GenerateOptions, type GenerateResult, generate } from "./generate.js";
import { tuneForShortRun } from "./v8-flags.js";
import { isUrl } from "./load.js";
import { isWrite } from "./write.js";
import { type CliOutput, cliOutput } from "./cli-output.js";

// A run of one kind is over in about half a second: V8 is tuned for that (see v8-flags.ts and BENCHMARKS.md);
// a big output gets back what pays for itself in a longer run.
tuneForShortRun();

const USAGE = `Usage: gen-binding --spec <file|url|-> [options]
       gen-binding --from-cluster [--kubeconfig <file>] [--context <name>] [options]
       gen-binding [options]     (settings from gen-binding.config.* or package.json)

Generates TypeScript models, a fetch client and route stubs for Kubernetes kinds
from the Kubernetes OpenAPI documents: Swagger 2.0 (kubectl get --raw /openapi/v2)
or OpenAPI 3.0 (one per group-version: kubectl get --raw /openapi/v3/api/v1).

Options:
  --spec <file|url|->  a document: a path, an http(s) URL, or - for standard input (JSON or YAML);
                       repeat it for several (shared definitions come out once); or a cluster's
                       index, https://<server>/openapi/v3, to fetch the documents the kinds need
  --from-cluster       fetch from the server of the kubeconfig's current context (or --context)
  --kubeconfig <file>  the kubeconfig whose server, CA, client certificate and token are used
                       (default: $KUBECONFIG, else ~/.kube/config) with --from-cluster or a URL --spec
  --context <name>     the kubeconfig context to use (default: its current-context)
  --timeout <seconds>  longest wait for each fetched document (default: 30)
  --out <dir>          output folder (default: out)
  --kind <kinds>       Binding (default), v1/Binding, core/v1/Binding,
                       rbac.authorization.k8s.io/v1/RoleBinding, ..., or * for every kind;
                       repeat it or separate kinds by commas: --kind Binding,Pod,Node
  --emit <parts>       what to emit, comma-separated: models,client,routes,node (the default),
                       discovery (models always)
  --handlers <file>    where your handlers file lives (default: <out>/handlers.ts)
  --check              write nothing; exit 1 and show what would change if the output is stale
  --watch              regenerate whenever a spec file or a template changes, until Ctrl-C
  --templates <dir>    a folder of .hbs templates that replace the built-in ones
  --report <text|json> how to print the run's outcome and API change report (default: text)
  --fail-on-breaking   when the public API of the output changed in a breaking way, write nothing
                       and exit 1 (on every run, until the change is accepted)
  --accept-breaking    write a breaking change all the same (wins over --fail-on-breaking)
  --config <file>      the config file (default: gen-binding.config.{ts,mts,js,mjs,json}, else the
                       "gen-binding" key of package.json, in the working folder)
  -q, --quiet          nothing on standard output; errors and warnings still on standard error
  --verbose            where the settings came from and stage timings, on standard error
  -h, --help           show this help
  -v, --version        show the version

Settings in a config file have the names of the flags: spec or specs, out, kinds, emit, handlers,
templates, report, failOnBreaking; flags win. In TypeScript:
  import { defineConfig } from "gen-binding";
  export default defineConfig({ spec: "swagger.json", out: "src/k8s", kinds: ["Binding", "Pod"] });

Colour only on a terminal, never with NO_COLOR set.

Exit status: 0 success, 1 stale output with --check or a breaking change refused by --fail-on-breaking,
2 bad usage, a bad config file or bad input.`;

interface CliOptions extends GenerateOptions {
  watch: boolean;
  report: "text" | "json";
  failOnBreaking: boolean;
  acceptBreaking: boolean;
}

async function main(argv: string[], io: CliOutput): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: "string", multiple: true },
        "from-cluster": { type: "boolean" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        timeout: { type: "string" },
        out: { type: "string" },
        kind: { type: "string", multiple: true },
        emit: { type: "string", multiple: true },
        handlers: { type: "string" },
        check: { type: "boolean" },
        watch: { type: "boolean" },
        templates: { type: "string" },
        report: { type: "string" },
        "fail-on-breaking": { type: "boolean" },
        "accept-breaking": { type: "boolean" },
        config: { type: "string" },
        quiet: { type: "boolean", short: "q" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    }));
  } catch (error) {
    return fail(io, `${(error as Error).message.split(". ")[0]!.replace(/\.$/, "")} (see gen-binding --help)`);
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    io.out(`${GENERATOR_VERSION}\n`);
    return 0;
  }
  if (values.quiet && values.verbose) return fail(io, "--quiet and --verbose cannot be combined");
  io.quiet = values.quiet === true;
  // The stage hook of generate() prints when each stage ended, on standard error.
  if (values.verbose) process.env["GEN_BINDING_TIMING"] = "1";
  const loaded = await loadConfig(process.cwd(), values.config);
  if (values.verbose) io.err(`gen-binding: settings from ${loaded?.source ?? "the command line only"}\n`);
  const config = loaded?.config ?? {};
  const report = values.report ?? config.report ?? "text";
  if (report !== "text" && report !== "json") return fail(io, `--report must be text or json, not ${JSON.stringify(report)}`);
  const fromCluster = values["from-cluster"] === true;
  const spec = values.spec ?? (fromCluster ? undefined : (config.specs ?? config.spec));
  if (!spec && !fromCluster) return fail(io, `missing --spec <file|url|->${loaded ? `: ${loaded.source} gives no "spec" or "specs"` : ""} (see gen-binding --help)`);
  const acceptBreaking = values["accept-breaking"] === true;
  const options: CliOptions = {
    spec,
    fromCluster,
    check: values.check === true,
    watch: values.watch === true,
    report,
    // --accept-breaking wins over --fail-on-breaking, so that `npm run prebuild -- --accept-breaking` accepts.
    failOnBreaking: !acceptBreaking && (values["fail-on-breaking"] ?? config.failOnBreaking ?? false),
    acceptBreaking,
  };
  for (const key of ["out", "templates", "handlers"] as const) {
    const value = values[key] ?? config[key];
    if (value !== undefined) options[key] = value;
  }
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  if (values.context !== undefined) options.context = values.context;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!(seconds > 0) || !Number.isFinite(seconds)) return fail(io, `--timeout must be a positive number of seconds, not ${JSON.stringify(values.timeout)}`);
    options.timeoutMs = seconds * 1000;
  }
  const kinds = values.kind ?? config.kinds;
  if (kinds !== undefined) options.kinds = kinds;
  const emit = values.emit ?? config.emit;
  if (emit !== undefined) options.emit = emit;
  const specs = typeof spec === "string" ? [spec] : (spec ?? []);
  if (options.check && acceptBreaking) return fail(io, "--accept-breaking writes the output: it cannot be combined with --check");
  if (options.watch && (options.check || specs.includes("-"))) return fail(io, "--watch cannot be combined with --check or --spec -");
  if (options.watch && (fromCluster || specs.some(isUrl))) return fail(io, "--watch watches files: it cannot be combined with --from-cluster or a URL --spec");
  if (options.watch) {
    const { watchAndRegenerate } = await import("./watch.js");
    await watchAndRegenerate({ specs, templates: options.templates, log: (line) => io.err(`gen-binding: ${line}\n`), run: () => runOnce(options, io).then(() => undefined) });
    return 0;
  }
  return runOnce(options, io);
}

/** One run: generate, print, and the exit status. In watch mode bad input is reported, not fatal. */
async function runOnce(options: CliOptions, io: CliOutput): Promise<number> {
  let result: GenerateResult;
  try {
    result = await generate(options);
  } catch (error) {
    if (options.watch && error instanceof GenBindingError) return fail(io, `${error.message} (keeping the last good output)`, error.exitCode);
    throw error;
  }
  if (options.report === "json") io.out(`${JSON.stringify(jsonReport(result, options), null, 2)}\n`);
  else await printText(result, options, io);
  if (options.check && result.stale) {
    // The stale files are listed on standard output; with --quiet, one line on standard error still says why the exit is 1.
    if (options.report === "json" || io.quiet) io.err(`gen-binding: ${result.outDir} is stale: ${count(result.changes.filter(isWrite).length, "file")} would change\n`);
    return 1;
  }
  if (result.refused) {
    io.err(`${io.paintErr("red", "gen-binding:")} breaking API change of ${kindsText(result.kinds)}: nothing written (--fail-on-breaking); to accept it, run gen-binding --accept-breaking\n`);
    return 1;
  }
  return 0;
}

async function printText(result: GenerateResult, options: CliOptions, io: CliOutput): Promise<void> {
  const { out } = io;
  const changed = result.changes.filter(isWrite);
  if (options.check) {
    if (!result.stale) return out(`gen-binding: ${result.outDir} is up to date (${kindsText(result.kinds)})\n`);
    out(`gen-binding: ${result.outDir} is stale (${kindsText(result.kinds)}); run gen-binding to update:\n`);
    const { shortDiff } = await import("./diff.js");
    for (const change of changed) out(`  ${change.action === "create" ? "missing" : change.action === "remove" ? "no longer generated" : "changed"}: ${change.name}\n${indent(paintDiff(shortDiff(change), io))}\n`);
  } else {
    const verbs = result.refused ? ({ create: "would create", update: "would update", remove: "would remove" } as const) : ({ create: "created", update: "updated", remove: "removed" } as const);
    const summary = changed.length ? changed.map((c) => `${verbs[c.action as keyof typeof verbs]} ${c.name}`).join(", ") : "nothing changed";
    const outcome = result.refused ? `nothing written, breaking API change (${summary})` : summary;
    out(`gen-binding: ${kindsText(result.kinds)}, ${count(result.operations.length, "operation")}, ${count(result.models.length, "model")} -> ${result.outDir}: ${outcome}\n`);
  }
  if (result.report) {
    const { formatReport } = await import("./report.js");
    out(formatReport(result.report, kindsText(result.kinds), (text) => io.paintOut("red", text)));
    if (result.report.breaking && options.acceptBreaking && !options.check) out("gen-binding: breaking API change accepted (--accept-breaking)\n");
  }
  if (result.refused) return;
  const handlersFile = result.handlers.file;
  if (result.handlers.added.length) out(`gen-binding: added handler stubs to ${handlersFile}: ${result.handlers.added.join(", ")}\n`);
  if (result.handlers.orphaned.length) {
    out(`gen-binding: ${handlersFile} has handlers for operations this output no longer has (they still compile; remove them when you like): ${result.handlers.orphaned.join(", ")}\n`);
  }
  if (result.handlers.problem) io.err(`gen-binding: ${io.paintErr("yellow", "warning:")} ${result.handlers.problem}\n`);
}

/** A unified diff with added lines green, removed ones red and hunk headers cyan, where colour is on. */
function paintDiff(diff: string, io: CliOutput): string {
  return diff
    .split("\n")
    .map((line) => (/^(\+\+\+|---) /.test(line) ? io.paintOut("bold", line) : line.startsWith("+") ? io.paintOut("green", line) : line.startsWith("-") ? io.paintOut("red", line) : line.startsWith("@@") ? io.paintOut("cyan", line) : line))
    .join("\n");
}

/** `core/v1/Binding`, `core/v1/Binding, core/v1/Node, core/v1/Pod`, or `311 kinds`. */
function kindsText(kinds: readonly string[]): string {
  return kinds.length <= 3 ? kinds.join(", ") : count(kinds.length, "kind");
}

/** `1 operation`, `2 operations`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function jsonReport(result: GenerateResult, options: CliOptions) {
  return {
    kinds: result.kinds,
    outDir: result.outDir,
    check: options.check === true,
    stale: result.stale,
    noop: result.noop,
    refused: result.refused,
    files: result.changes.map((c) => ({ name: c.name, action: c.action })),
    apiChanges: result.report ?? { changes: [], breaking: false },
    handlers: result.handlers,
  };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

function fail(io: CliOutput, message: string, code = 2): number {
  io.err(`${io.paintErr("red", "gen-binding:")} ${message}\n`);
  return code;
}

const io = cliOutput();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GenBindingError) process.exitCode = fail(io, error.message, error.exitCode);
    else process.exitCode = fail(io, `internal error: ${(error as Error)?.stack ?? String(error)}`, 1);
  },
);
