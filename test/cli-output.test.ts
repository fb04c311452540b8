import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, EXAMPLE_SPEC, runCli, tempDir } from "./helpers/run.js";

// Item 5 of issue 12: what the CLI prints, and where: pipe-safe, --quiet, --verbose, colour, plurals.

const ESC = "\u001b[";

/** The CLI with the given environment added (test/setup-env.ts has removed the colour variables). */
function runWithEnv(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const hasBash = spawnSync("bash", ["-c", "true"]).status === 0;
const hasScript = spawnSync("script", ["-qc", "true", "/dev/null"]).status === 0;
if (!hasBash) process.stderr.write("cli-output.test.ts: no bash here: the shell pipeline tests are skipped (the destroyed-pipe test still runs)\n");
if (!hasScript) process.stderr.write("cli-output.test.ts: no script(1) here: the terminal colour test is skipped\n");

let stale: string;
let breakingSpec: string;
beforeAll(() => {
  // An output that is up to date for EXAMPLE_SPEC, and a spec that changes it in a breaking way: --check
  // against it prints diffs and a [BREAKING] report, and writes nothing, so every test can use it.
  const dir = tempDir("output");
  stale = join(dir, "out");
  expect(runCli(["--spec", EXAMPLE_SPEC, "--out", stale]).status).toBe(0);
  const document = JSON.parse(readFileSync(EXAMPLE_SPEC, "utf8"));
  delete document.definitions["io.k8s.api.core.v1.ObjectReference"].properties.fieldPath;
  breakingSpec = join(dir, "breaking.json");
  writeFileSync(breakingSpec, JSON.stringify(document));
});

describe("a reader that goes away early", () => {
  // An output folder that does not exist: --check lists every file as missing, 84 kB of text, more than a
  // pipe holds (64 kB), so that the writes after the first line meet a closed pipe.
  const missing = () => join(tempDir("pipe"), "none");

  // `| true`: the reader is gone before the CLI's first write (it starts in 0.1 s), so even one small
  // write (the JSON report) meets a closed pipe.
  it.skipIf(!hasBash).each([
    ["--check | head -1", "--check", "head -1", 1, /^gen-binding: \S+ is stale \(core\/v1\/Binding\); run gen-binding to update:\n$/, ""],
    ["--report json | head -c 10", "--report json", "head -c 10", 0, /^\{\n {2}"kinds$/, ""],
    // A Binding output is 31 files: 7 of its own and 24 runtime modules (bounds.ts and watch-answer.ts with the routes).
    ["--check --report json | true", "--check --report json", "true", 1, /^$/, "is stale: 31 files would change\n"],
    ["--report json | true (a run that writes)", "--report json", "true", 0, /^$/, ""],
  ])("%s: ends quietly, with the run's own exit status", (_name, flags, reader, status, stdout, stderrEnd) => {
    const out = missing();
    const shell = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${CLI}" --spec "${EXAMPLE_SPEC}" --out "${out}" ${flags} | ${reader}`], { encoding: "utf8" });
    expect(shell.stdout).toMatch(stdout);
    expect(shell.stderr).not.toMatch(/EPIPE|Error|at /);
    if (stderrEnd) expect(shell.stderr.endsWith(stderrEnd)).toBe(true);
    else expect(shell.stderr).toBe("");
    expect(shell.status).toBe(status);
    if (!flags.includes("--check")) expect(readFileSync(join(out, "models.ts"), "utf8")).toContain("export interface Binding");
  });

  it("a child whose standard output is closed before it writes: no stack trace, exit 1 for a stale --check", async () => {
    const child = spawn(process.execPath, [CLI, "--spec", EXAMPLE_SPEC, "--out", missing(), "--check"]);
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const status = await new Promise((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(status).toBe(1);
  });
});

describe("--quiet and --verbose", () => {
  it("--quiet prints nothing on a run that writes, and still writes", () => {
    const out = join(tempDir("quiet"), "out");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--quiet"]);
    expect(result).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(readFileSync(join(out, "models.ts"), "utf8")).toContain("export interface Binding");
  });

  it("--quiet keeps errors, and says on standard error why --check exits 1", () => {
    expect(runCli(["--spec", "nope.json", "-q"])).toEqual({ status: 2, stdout: "", stderr: "gen-binding: cannot read spec nope.json: no such file\n" });
    expect(runCli(["--spec", breakingSpec, "--out", stale, "--check", "--quiet"])).toEqual({ status: 1, stdout: "", stderr: `gen-binding: ${stale} is stale: 2 files would change\n` });
    expect(runCli(["--spec", breakingSpec, "--out", stale, "--fail-on-breaking", "--quiet"])).toEqual({
      status: 1,
      stdout: "",
      stderr: "gen-binding: breaking API change of core/v1/Binding: nothing written (--fail-on-breaking); to accept it, run gen-binding --accept-breaking\n",
    });
  });

  it("--verbose tells where the settings came from and when each stage ended, on standard error", () => {
    const out = join(tempDir("verbose"), "out");
    const full = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--verbose"]);
    expect(full.status).toBe(0);
    expect(full.stdout).toMatch(/^gen-binding: core\/v1\/Binding, 2 operations, 13 models -> .*: created models\.ts/);
    const lines = full.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("gen-binding: settings from the command line only");
    expect(lines.slice(1).map((line) => line.replace(/ [\d.]+ s, rss \d+ MiB, heap \d+ MiB, peak rss \d+ MiB$/, ""))).toEqual(["selected", "rendered", "formatted", "written"].map((stage) => `gen-binding timing: ${stage}`));
    const seconds = lines.slice(1).map((line) => Number(/ ([\d.]+) s,/.exec(line)![1]));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    // A run that changes nothing stops after reading the spec.
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--verbose"]).stderr).toMatch(/^gen-binding: settings from the command line only\ngen-binding timing: selected [^\n]*\n$/);
  });

  it("refuses --quiet with --verbose", () => {
    expect(runCli(["--spec", EXAMPLE_SPEC, "--quiet", "--verbose"])).toEqual({ status: 2, stdout: "", stderr: "gen-binding: --quiet and --verbose cannot be combined\n" });
  });
});

describe("colour", () => {
  const check = () => ["--spec", breakingSpec, "--out", stale, "--check"];

  it("is off on a pipe, on with FORCE_COLOR, and off with NO_COLOR even beside FORCE_COLOR", () => {
    const plain = runWithEnv(check(), {});
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain("  - field ObjectReference.fieldPath: field removed  [BREAKING]\n");
    expect(plain.stdout).not.toContain(ESC);
    const forced = runWithEnv(check(), { FORCE_COLOR: "1" });
    expect(forced.stdout).toContain(`field removed  ${ESC}31m[BREAKING]${ESC}39m\n`);
    expect(forced.stdout).toMatch(/\u001b\[31m-\s+fieldPath\?: string;\u001b\[39m\n/);
    expect(forced.stdout).toContain(`${ESC}36m@@ `);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, "")).toBe(plain.stdout);
    for (const env of [{ NO_COLOR: "1" }, { NO_COLOR: "1", FORCE_COLOR: "1" }]) expect(runWithEnv(check(), env).stdout, JSON.stringify(env)).toBe(plain.stdout);
  });

  it.skipIf(!hasScript)("is on in a terminal, and off there with NO_COLOR", () => {
    // script(1) runs the CLI on a pseudo-terminal: standard output and error are both a TTY.
    const inTerminal = (env: Record<string, string>) => {
      const command = `"${process.execPath}" "${CLI}" ${check().map((arg) => `"${arg}"`).join(" ")}`;
      return runScript(command, env);
    };
    expect(inTerminal({})).toContain(`${ESC}31m[BREAKING]${ESC}39m`);
    const noColor = inTerminal({ NO_COLOR: "1" });
    expect(noColor).toContain("[BREAKING]");
    expect(noColor).not.toContain(ESC);
    // Node's own rule, which gen-binding follows: a terminal under a CI it does not know is not assumed
    // to show colour.
    expect(inTerminal({ CI: "true" })).not.toContain(ESC);
  });
});

/**
 * The output of `command` run on a pseudo-terminal by script(1), in an environment of PATH, HOME and TERM
 * only: Node decides on colour by more than the terminal (CI, TMUX, COLORTERM, TEAMCITY_VERSION, ...), and
 * the environment this suite runs in must not decide the outcome.
 */
function runScript(command: string, env: Record<string, string>): string {
  const base = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", TERM: "xterm-256color" };
  return spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...base, ...env } }).stdout;
}

describe("plurals", () => {
  it("counts one operation, one change and one file in the singular", () => {
    // One kind with one operation (the models are never one: Status and its parts always come along).
    const dir = tempDir("plurals");
    const widget = { type: "object", properties: { size: { type: "integer" }, apiVersion: { type: "string" }, kind: { type: "string" } }, "x-kubernetes-group-version-kind": [{ group: "example.com", version: "v1", kind: "Widget" }] };
    const spec = (properties: object) => ({
      swagger: "2.0",
      info: { title: "Kubernetes", version: "v1.36.0" },
      paths: {
        "/apis/example.com/v1/widgets/{name}": {
          get: {
            operationId: "readExampleComV1Widget",
            parameters: [{ name: "name", in: "path", required: true, type: "string" }],
            responses: { "200": { description: "OK", schema: { $ref: "#/definitions/com.example.v1.Widget" } } },
            "x-kubernetes-action": "get",
            "x-kubernetes-group-version-kind": { group: "example.com", version: "v1", kind: "Widget" },
          },
        },
      },
      definitions: { "com.example.v1.Widget": { ...widget, properties: { ...widget.properties, ...properties } } },
    });
    writeFileSync(join(dir, "widget.json"), JSON.stringify(spec({})));
    const args = ["--spec", join(dir, "widget.json"), "--out", join(dir, "out"), "--kind", "Widget", "--emit", "client"];
    expect(runCli(args).stdout).toMatch(/^gen-binding: example\.com\/v1\/Widget, 1 operation, 4 models -> /);
    writeFileSync(join(dir, "widget.json"), JSON.stringify(spec({ colour: { type: "string" } })));
    const grown = runCli([...args, "--check", "--report", "json"]);
    expect(grown.stderr).toBe(`gen-binding: ${join(dir, "out")} is stale: 1 file would change\n`);
    const text = runCli(args);
    expect(text.stdout).toContain("API changes of example.com/v1/Widget (1 change, 0 breaking):\n");
  });
});
