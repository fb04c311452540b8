#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { GenBindingError } from "./errors.js";
import { generate } from "./generate.js";

// A run is over in about half a second: V8's optimising compiler would spend more CPU on its background
// thread than its code saves (measured: -25% CPU time and -10 MiB peak memory; see BENCHMARKS.md).
// (--no-turbofan, not its older alias --no-opt, which newer V8 versions may not know.)
setFlagsFromString("--no-turbofan");

const USAGE = `Usage: gen-binding --spec <file|url|-> [options]

Generates TypeScript models, a fetch client and route stubs for one Kubernetes kind
from the Kubernetes OpenAPI document (Swagger 2.0: kubectl get --raw /openapi/v2).

Options:
  --spec <file|url|->  the document: a path, an http(s) URL, or - for standard input (JSON or YAML)
  --out <dir>          output folder (default: out)
  --kind <kind>        Binding (default), v1/Binding, core/v1/Binding,
                       rbac.authorization.k8s.io/v1/RoleBinding, ...
  --check              write nothing; exit 1 if the output folder is stale
  --templates <dir>    a folder of .hbs templates that replace the built-in ones
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 success, 1 --check found stale output, 2 bad usage or bad input.`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: "string" },
        out: { type: "string" },
        kind: { type: "string" },
        check: { type: "boolean" },
        templates: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message} (see gen-binding --help)`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (!values.spec) return fail("missing --spec <file|url|-> (see gen-binding --help)");
  const result = await generate({
    spec: values.spec,
    ...(values.out !== undefined && { out: values.out }),
    ...(values.kind !== undefined && { kind: values.kind }),
    ...(values.templates !== undefined && { templates: values.templates }),
    check: values.check === true,
  });
  const changed = result.changes.filter((c) => c.action === "create" || c.action === "update");
  if (values.check) {
    if (!result.stale) {
      process.stdout.write(`gen-binding: ${result.outDir} is up to date (${result.kind})\n`);
      return 0;
    }
    process.stdout.write(`gen-binding: ${result.outDir} is stale (${result.kind}); run gen-binding to update:\n`);
    for (const change of changed) process.stdout.write(`  ${change.action === "create" ? "missing" : "changed"}: ${change.name}\n`);
    return 1;
  }
  const summary = changed.length ? changed.map((c) => `${c.action === "create" ? "created" : "updated"} ${c.name}`).join(", ") : "nothing changed";
  process.stdout.write(`gen-binding: ${result.kind}, ${result.operations.length} operations, ${result.models.length} models -> ${result.outDir}: ${summary}\n`);
  return 0;
}

function fail(message: string, code = 2): number {
  process.stderr.write(`gen-binding: ${message}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GenBindingError) process.exitCode = fail(error.message, error.exitCode);
    else process.exitCode = fail(`internal error: ${(error as Error)?.stack ?? String(error)}`, 1);
  },
);
