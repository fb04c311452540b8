import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CLI, EXAMPLE_SPEC, ROOT, readTree, runCli, tempDir } from "./helpers/run.js";
import { BINDING_RUNTIME, CLIENT, NODE, PATCHES, SERVER, STREAMS, runtimeModules } from "./helpers/runtime-lists.js";

/** The runtime modules every full output gets, copied verbatim. */
const RUNTIME = BINDING_RUNTIME;
const FILES = ["client.ts", "handlers.ts", "index.ts", "models.ts", "node.ts", "operations.ts", "routes.ts", ...RUNTIME];
const WRITTEN = [".gen-binding.json", ...FILES];
const CREATED = ["models.ts", "operations.ts", "client.ts", "routes.ts", "handlers.ts", "index.ts", "node.ts", ...RUNTIME].map((f) => `created ${f}`).join(", ");

describe("gen-binding CLI", () => {
  it("prints usage with --help and the package version with --version", () => {
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: gen-binding --spec <file|url|->");
    const version = runCli(["--version"]);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it.each([
    [[], "gen-binding: missing --spec <file|url|-> (see gen-binding --help)"],
    [["--spec"], "gen-binding: Option '--spec <value>' argument missing (see gen-binding --help)"],
    [["--spec", "x", "--frobnicate"], "gen-binding: Unknown option '--frobnicate' (see gen-binding --help)"],
    [["--spec", "does-not-exist.json"], "gen-binding: cannot read spec does-not-exist.json: no such file"],
    [["--spec", EXAMPLE_SPEC, "--kind", "a/b/c/d"], 'gen-binding: --kind "a/b/c/d" is not a kind: use Kind, version/Kind, group/version/Kind or *'],
    [["--spec", EXAMPLE_SPEC, "--kind", "Binding,,Pod"], 'gen-binding: --kind "" is not a kind: use Kind, version/Kind, group/version/Kind or *'],
    [["--spec", EXAMPLE_SPEC, "--emit", "client,server"], 'gen-binding: --emit "server" is not a part: use models, client, routes, node, discovery (comma-separated)'],
    [["--spec", EXAMPLE_SPEC, "--handlers", "handlers.js"], 'gen-binding: --handlers "handlers.js" must name a .ts file'],
    [["--from-cluster", "--spec", EXAMPLE_SPEC], "gen-binding: give --spec or --from-cluster, not both"],
    [["--spec", EXAMPLE_SPEC, "--kubeconfig", "kubeconfig"], "gen-binding: --kubeconfig and --context are for --from-cluster or a URL --spec (https://<server>/openapi/v3)"],
    [["--spec", EXAMPLE_SPEC, "--context", "kind-dev"], "gen-binding: --kubeconfig and --context are for --from-cluster or a URL --spec (https://<server>/openapi/v3)"],
    [["--from-cluster", "--kubeconfig", "no-such-kubeconfig"], "gen-binding: kubeconfig: cannot read no-such-kubeconfig: ENOENT"],
    [["--spec", EXAMPLE_SPEC, "--timeout", "0"], 'gen-binding: --timeout must be a positive number of seconds, not "0"'],
    [["--spec", "-", "--spec", "-"], "gen-binding: --spec - (standard input) can be given once"],
    [["--from-cluster", "--watch"], "gen-binding: --watch watches files: it cannot be combined with --from-cluster or a URL --spec"],
    [["--spec", "https://127.0.0.1:1/openapi/v3", "--watch"], "gen-binding: --watch watches files: it cannot be combined with --from-cluster or a URL --spec"],
  ])("exits 2 with one clear line for %j", (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  it("generates every file into --out and reports what it wrote", () => {
    const out = tempDir("cli");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`gen-binding: core/v1/Binding, 2 operations, 13 models -> ${out}: ${CREATED}\n`);
    expect(Object.keys(readTree(out))).toEqual(WRITTEN);
  });

  it("gives the same bytes for the same input, and says nothing changed on a re-run", () => {
    const [a, b] = [tempDir("det"), tempDir("det")];
    runCli(["--spec", EXAMPLE_SPEC, "--out", a]);
    runCli(["--spec", EXAMPLE_SPEC, "--out", b]);
    expect(readTree(a)).toEqual(readTree(b));
    const again = runCli(["--spec", EXAMPLE_SPEC, "--out", a]);
    expect(again.stdout).toMatch(/: nothing changed\n$/);
  });

  it("reads the document from standard input and from YAML", () => {
    const out = tempDir("stdin");
    const json = readFileSync(EXAMPLE_SPEC, "utf8");
    expect(runCli(["--spec", "-", "--out", out], { input: json }).status).toBe(0);
    const yamlOut = tempDir("yaml");
    const yamlFile = join(yamlOut, "..", `${yamlOut.split("/").pop()}.yaml`);
    writeFileSync(yamlFile, stringify(JSON.parse(json)));
    expect(runCli(["--spec", yamlFile, "--out", yamlOut]).status).toBe(0);
    expect(readTree(yamlOut)).toEqual(readTree(out));
  });

  it("reads the document from an http URL, and says what the answer was when it is an error status or an HTML page", async () => {
    const text = readFileSync(EXAMPLE_SPEC, "utf8");
    const page = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>...</body></html>\n";
    const server = createServer((req, res) => {
      if (req.url === "/openapi/v2") return res.end(text);
      if (req.url === "/login") return res.writeHead(200, { "content-type": "text/html" }).end(page);
      if (req.url === "/busy") return res.writeHead(503, { "content-type": "text/html" }).end(page);
      if (req.url === "/broken") return res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: "etcdserver: request timed out", code: 500 }));
      return res.writeHead(404).end("no");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
    try {
      const out = tempDir("url");
      expect(await run(["--spec", `${base}/openapi/v2`, "--out", out])).toEqual({ code: 0, stderr: "" });
      expect(existsSync(join(out, "client.ts"))).toBe(true);
      expect(await run(["--spec", `${base}/nope`, "--out", out])).toEqual({ code: 2, stderr: `gen-binding: cannot fetch spec ${base}/nope: HTTP 404 Not Found\n` });
      expect(await run(["--spec", `${base}/busy`, "--out", out])).toEqual({ code: 2, stderr: `gen-binding: cannot fetch spec ${base}/busy: HTTP 503 Service Unavailable\n` });
      expect(await run(["--spec", `${base}/broken`, "--out", out])).toEqual({ code: 2, stderr: `gen-binding: cannot fetch spec ${base}/broken: HTTP 500 Internal Server Error: etcdserver: request timed out\n` });
      expect(await run(["--spec", `${base}/login`, "--out", out])).toEqual({
        code: 2,
        stderr: `gen-binding: ${base}/login: the server answered with an HTML page, not a JSON or YAML document: check the URL (a cluster serves its documents at /openapi/v2 and /openapi/v3; a proxy or login page may have answered)\n`,
      });
    } finally {
      server.close();
    }
  });

  it("runs as `npx --no-install gen-binding` inside the repository", () => {
    const result = spawnSync("npx", ["--no-install", "gen-binding", "--version"], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it("--check exits 0 when the output is fresh and 1 when stale, and writes nothing", () => {
    const out = tempDir("check");
    const missing = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--check"]);
    expect(missing.status).toBe(1);
    expect(existsSync(join(out, "models.ts"))).toBe(false);
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--check"]).status).toBe(0);
    writeFileSync(join(out, "client.ts"), "// edited\n");
    const stale = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--check"]);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain("changed: client.ts");
    expect(readFileSync(join(out, "client.ts"), "utf8")).toBe("// edited\n");
  });

  it("never overwrites handlers.ts, which belongs to the user", () => {
    const out = tempDir("handlers");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    writeFileSync(join(out, "handlers.ts"), "// mine\n");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    expect(readFileSync(join(out, "handlers.ts"), "utf8")).toBe("// mine\n");
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--check"]).status).toBe(0);
  });

  it("leaves an existing output folder exactly as it was when a run fails", () => {
    const out = tempDir("failed");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    const before = readTree(out);
    const mtimes = FILES.map((f) => statSync(join(out, f)).mtimeMs);
    const broken = join(out, "..", "broken.json");
    writeFileSync(broken, readFileSync(EXAMPLE_SPEC, "utf8").replace('"$ref": "#/definitions/io.k8s.api.core.v1.ObjectReference"', '"$ref": "#/definitions/Nope"'));
    const result = runCli(["--spec", broken, "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/dangling \$ref at #\/definitions\/io\.k8s\.api\.core\.v1\.Binding\/properties\/target\/\$ref/);
    expect(readTree(out)).toEqual(before);
    expect(FILES.map((f) => statSync(join(out, f)).mtimeMs)).toEqual(mtimes);
  });

  it.each([
    ["repeated", ["--kind", "Pod", "--kind", "Node", "--kind", "Binding"]],
    ["comma-separated", ["--kind", "Binding,Pod,Node"]],
    ["mixed, with a kind twice", ["--kind", "Pod, core/v1/Binding", "--kind", "v1/Node,Pod"]],
  ])("generates one output for several kinds given %s, none dropped", (_name, kindArgs) => {
    const out = tempDir("kinds");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, ...kindArgs]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^gen-binding: core\/v1\/Binding, core\/v1\/Node, core\/v1\/Pod, 33 operations, 165 models -> /);
    const manifest = JSON.parse(readFileSync(join(out, ".gen-binding.json"), "utf8"));
    expect(manifest.kinds).toEqual(["core/v1/Binding", "core/v1/Node", "core/v1/Pod"]);
    expect(manifest.operations).toEqual(expect.arrayContaining(["createNamespacedPodBinding", "listNode", "listPodForAllNamespaces"]));
  });

  it("names an unknown kind in a list, with the closest matches, and writes nothing", () => {
    const out = join(tempDir("unknown-kind"), "sub");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--kind", "Binding,Nodes,Pod"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-binding: kind Nodes not found in .*binding\.swagger\.json \(no definition has it in x-kubernetes-group-version-kind\); closest: core\/v1\/Node\b/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ["models", ["index.ts", "models.ts"]],
    ["client", ["client.ts", "index.ts", "models.ts", "operations.ts", ...runtimeModules(CLIENT, STREAMS, PATCHES)]],
    ["routes", ["handlers.ts", "index.ts", "models.ts", "operations.ts", "routes.ts", ...runtimeModules(SERVER)]],
    ["client,node", ["client.ts", "index.ts", "models.ts", "node.ts", "operations.ts", ...runtimeModules(CLIENT, STREAMS, PATCHES, NODE)]],
  ])("--emit %s writes only those parts, and the runtime modules they import, and they compile", async (parts, want) => {
    const out = tempDir("emit");
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--kind", "Binding,Pod,Node", "--emit", parts]).status).toBe(0);
    expect(Object.keys(readTree(out)).filter((name) => name !== ".gen-binding.json")).toEqual(want);
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    const { typecheck } = await import("./helpers/typecheck.js");
    expect(typecheck(out, "nodenext")).toEqual([]);
  });

  it("--emit without routes removes the generated route files of an earlier run but keeps the user's handlers file, saying so", () => {
    const out = tempDir("emit-less");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out]);
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--emit", "client"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("removed routes.ts");
    expect(result.stdout).toContain("removed runtime/server.ts");
    expect(result.stderr).toBe("gen-binding: warning: routes are no longer emitted, but handlers.ts (yours) is kept and still imports them: delete it if you no longer serve the routes\n");
    expect(existsSync(join(out, "handlers.ts"))).toBe(true);
    expect(existsSync(join(out, "routes.ts"))).toBe(false);
  });

  it("--handlers puts the user's handlers file outside the output folder, importing the routes from there", () => {
    const project = tempDir("handlers-outside");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", join(project, "src", "k8s"), "--handlers", join(project, "src", "server", "handlers.ts")]);
    expect(result.status).toBe(0);
    expect(existsSync(join(project, "src", "k8s", "handlers.ts"))).toBe(false);
    const handlers = readFileSync(join(project, "src", "server", "handlers.ts"), "utf8");
    expect(handlers).toContain('import { statusAnswer, type Handlers } from "../k8s/routes.js";');
    expect(JSON.parse(readFileSync(join(project, "src", "k8s", ".gen-binding.json"), "utf8")).userFiles).toEqual(["../server/handlers.ts"]);
    // The output folder can be wiped and regenerated: the handlers survive, untouched.
    writeFileSync(join(project, "src", "server", "handlers.ts"), `${handlers}// mine\n`);
    rmSync(join(project, "src", "k8s"), { recursive: true });
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", join(project, "src", "k8s"), "--handlers", join(project, "src", "server", "handlers.ts")]).status).toBe(0);
    expect(readFileSync(join(project, "src", "server", "handlers.ts"), "utf8")).toBe(`${handlers}// mine\n`);
  });

  it("reports handlers whose kind was dropped from the output, and the project still compiles", async () => {
    const out = tempDir("kinds-change");
    runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--kind", "Binding,Node"]);
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", out, "--kind", "Binding"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/handlers\.ts has handlers for operations this output no longer has \(they still compile; remove them when you like\): createNode, deleteCollectionNode, deleteNode, listNode, /);
    writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
    const { typecheck } = await import("./helpers/typecheck.js");
    expect(typecheck(out, "bundler")).toEqual([]);
  });

  it("does not write into a folder when the kind is not in the document", () => {
    const out = tempDir("nokind");
    const result = runCli(["--spec", EXAMPLE_SPEC, "--out", join(out, "sub"), "--kind", "Deployment"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-binding: kind Deployment not found in .*binding\.swagger\.json/);
    expect(existsSync(join(out, "sub"))).toBe(false);
  });

  it("keeps the committed examples/k8s up to date with examples/gen-binding.config.json (three kinds, handlers outside)", () => {
    const result = runCli(["--check"], { cwd: join(ROOT, "examples") });
    expect(result.stdout + result.stderr).toBe(`gen-binding: ${join(ROOT, "examples", "k8s")} is up to date (core/v1/Binding, core/v1/Node, core/v1/Pod)\n`);
    expect(result.status).toBe(0);
  });

  it("keeps the committed out/ equal to the README's quick-start output", () => {
    const fresh = tempDir("committed");
    runCli(["--spec", "specs/binding.swagger.json", "--out", fresh]);
    const result = runCli(["--spec", "specs/binding.swagger.json", "--out", "out", "--check"]);
    expect(result.stdout + result.stderr).toBe("gen-binding: out is up to date (core/v1/Binding)\n");
    expect(readTree(join(ROOT, "out"))).toEqual(readTree(fresh));
  });
});
