// OpenAPI v3 input beside Swagger 2.0, cold processes: Binding from the verbatim core/v1 v3 slice and from the
// v1.36 Swagger 2.0 document, each as a full run (empty output folder) and a no-op run (an up-to-date one).
//   node bench/v3.mjs [--rounds 7]     (on its own; npm run bench runs it too, as the "v3" part)
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runRounds, summarize } from "./lib/rounds.mjs";
import { markdownTable, row } from "./lib/table.mjs";

const INPUTS = { v3: "kubernetes-openapi-v3-api__v1.binding-slice.json", v2: "kubernetes-v1.36.swagger.json" };

/**
 * Medians of `rounds` rounds (after one discarded warm-up round) of four runs: full and no-op, from each
 * input; returns the table rows, or none (with a line in `skipped`) when the documents are absent.
 */
export function benchV3({ root, specs, rounds, work, log, skipped = [] }) {
  const paths = Object.fromEntries(Object.entries(INPUTS).map(([name, file]) => [name, join(specs, file)]));
  const absent = Object.values(paths).filter((path) => !existsSync(path));
  if (absent.length) {
    skipped.push(`v3: ${absent.join(", ")} absent (set GEN_BINDING_SHARED_SPECS)`);
    return [];
  }
  const cli = join(root, "dist", "cli.js");
  const tools = Object.fromEntries(
    Object.entries(paths).flatMap(([input, spec]) => [
      [`${input} full`, { args: (out) => [cli, "--spec", spec, "--out", out] }],
      [`${input} no-op`, { args: (out) => [cli, "--spec", spec, "--out", out], keepOut: true }],
    ]),
  );
  const summary = summarize(runRounds({ tools, rounds, work, log }));
  const { ratio } = summary;
  const m = (name, key) => summary[key][name];
  const slice = "Binding from the v3 slice";
  const v2 = "Binding from v1.36 (v2)";
  return [
    row(`v3 full run, ${slice}`, "s", m("v3 full", "seconds"), v2, m("v2 full", "seconds"), ratio("v3 full", "v2 full"), "(information)"),
    row(`v3 no-op run, ${slice}`, "s", m("v3 no-op", "seconds"), v2, m("v2 no-op", "seconds"), ratio("v3 no-op", "v2 no-op"), "(information)"),
    row(`v3 full run CPU time, ${slice}`, "s", m("v3 full", "cpuSeconds"), v2, m("v2 full", "cpuSeconds"), ratio("v3 full", "v2 full", "cpuSeconds"), "(information)"),
    row(`v3 full run peak RSS, ${slice}`, "MiB", m("v3 full", "rssMiB"), v2, m("v2 full", "rssMiB"), m("v3 full", "rssMiB") / m("v2 full", "rssMiB"), "(information)"),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = resolve(import.meta.dirname, "..");
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" } } });
  if (!existsSync(join(root, "dist", "cli.js"))) throw new Error("dist/cli.js is missing: run npm run build first");
  const work = join(root, ".tmp", `bench-v3-${process.pid}`);
  const skipped = [];
  try {
    const rows = benchV3({ root, specs: resolve(process.env["GEN_BINDING_SHARED_SPECS"] ?? join(root, "..", "shared", "specs")), rounds: Number(values.rounds), work, log: (line) => process.stderr.write(`${line}\n`), skipped });
    process.stdout.write(rows.length ? `${markdownTable(rows)}\n` : `skipped ${skipped.join("; ")}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
