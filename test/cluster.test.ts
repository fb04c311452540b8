import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpServer } from "node:http";
import { type Server, createServer } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { hasOpenssl, makeTestPki, type TestPki } from "./helpers/certificates.js";
import { listenLoopback, stopServer } from "./helpers/loopback.js";
import { deriveOpenApi3 } from "./helpers/openapi3.js";
import { CLI, ROOT, SHARED_SPECS, readTree, tempDir } from "./helpers/run.js";

/**
 * Straight from a cluster: a local HTTPS server on 127.0.0.1, with a certificate made for this run, plays
 * kube-apiserver's /openapi/v3: it authenticates every request first (401 for a bad token, on any path),
 * serves the index (`serverRelativeURL` with `?hash=`), the verbatim core/v1 slice as `api/v1`, and v3
 * documents derived here from v1.36 for other groups (test/helpers/openapi3.ts), some of them slow.
 */
const SLICE = join(SHARED_SPECS, "kubernetes-openapi-v3-api__v1.binding-slice.json");
const V136 = join(SHARED_SPECS, "kubernetes-v1.36.swagger.json");
const OPENSSL = hasOpenssl();
const ready = OPENSSL && existsSync(SLICE) && existsSync(V136);
if (!ready) console.warn(`SKIPPED: ${OPENSSL ? `${SLICE} or ${V136} is absent (set GEN_BINDING_SHARED_SPECS)` : "the openssl command is missing"}; fetching from a cluster is not tested`);

const TOKEN = "s3cret";
const UNAUTHORIZED = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };

/** What the fake apiserver serves, by group-version path; `slow` ones answer after `slowMs`. */
const cluster = {
  documents: new Map<string, string>(),
  /** Listed in the index, answered 404 (a group-version that went away between the two requests). */
  missing: new Set<string>(),
  slow: new Set<string>(),
  slowMs: 0,
  /** Each document answer waits until this many document requests are under way (or 3 s pass). */
  holdUntil: 0,
  seen: [] as Array<{ url: string; authorization: string | undefined }>,
  inFlight: 0,
  maxInFlight: 0,
  waiters: [] as Array<() => void>,
};

let pki: TestPki;
let server: Server;
let base = "";
let work = "";
let kubeconfig = "";
let v136: any;

const hash = (text: string) => createHash("sha512").update(text).digest("hex").slice(0, 64).toUpperCase();

function serve(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "";
  cluster.seen.push({ url, authorization: req.headers.authorization });
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  // kube-apiserver authenticates before it routes.
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return answer(401, UNAUTHORIZED);
  if (url === "/openapi/v3") {
    const paths: Record<string, { serverRelativeURL: string }> = { apis: { serverRelativeURL: "/openapi/v3/apis?hash=00" }, version: { serverRelativeURL: "/openapi/v3/version?hash=00" } };
    for (const [gv, text] of cluster.documents) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash(text)}` };
    for (const gv of cluster.missing) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=0A` };
    return answer(200, { paths });
  }
  const match = /^\/openapi\/v3\/(.+)\?hash=([0-9A-F]+)$/.exec(url);
  const text = match ? cluster.documents.get(match[1]!) : undefined;
  if (!match || text === undefined || match[2] !== hash(text)) return answer(404, { kind: "Status", apiVersion: "v1", status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
  cluster.inFlight++;
  cluster.maxInFlight = Math.max(cluster.maxInFlight, cluster.inFlight);
  cluster.waiters.splice(0).forEach((wake) => wake());
  const send = () => {
    cluster.inFlight--;
    answer(200, text);
  };
  const held = new Promise<void>((resolve) => {
    const check = () => (cluster.inFlight >= cluster.holdUntil ? resolve() : cluster.waiters.push(check));
    check();
    setTimeout(resolve, 3000);
  });
  void held.then(() => setTimeout(send, cluster.slow.has(match[1]!) ? cluster.slowMs : 0));
}

/** A kubeconfig (JSON, which kubectl reads too) with a good and a bad context for the test server. */
function writeKubeconfig(dir: string, server: string, current = "bad"): string {
  const path = join(dir, "kubeconfig.json");
  const ca = join(dir, "ca.crt");
  writeFileSync(ca, pki.ca);
  const context = (name: string, user: string) => ({ name, context: { cluster: "test", user } });
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": current,
      clusters: [{ name: "test", cluster: { server, "certificate-authority": "ca.crt" } }],
      users: [
        { name: "scheduler", user: { token: TOKEN } },
        { name: "stranger", user: { token: "wrong" } },
      ],
      contexts: [context("good", "scheduler"), context("bad", "stranger")],
    }),
  );
  return path;
}

/** The CLI in its own process (the server answers from this one), with how long it took; no kubeconfig but the one it is given. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, KUBECONFIG: "/nonexistent/kubeconfig" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (status) => resolve({ status, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

let initialDocuments = new Map<string, string>();
const documentUrls = () => cluster.seen.map((s) => s.url).filter((url) => url !== "/openapi/v3");

beforeAll(async () => {
  if (!ready) return;
  pki = makeTestPki();
  work = tempDir("cluster");
  v136 = JSON.parse(readFileSync(V136, "utf8"));
  // The documents the cluster serves at first, made once: each test gets a copy to change.
  initialDocuments = new Map([
    ["api/v1", readFileSync(SLICE, "utf8")],
    ["apis/apps/v1", derivedLikeSlice("apis/apps/v1")],
    ["apis/batch/v1", derivedLikeSlice("apis/batch/v1")],
  ]);
  server = createServer({ key: pki.serverKey, cert: pki.serverCert }, serve);
  base = await listenLoopback(server as never, "https");
  kubeconfig = writeKubeconfig(work, base);
});

afterAll(() => {
  if (server) stopServer(server as never);
});

/**
 * A group-version's document derived from v1.36, with the definitions it shares with the slice (ObjectMeta,
 * Status, ...) as the slice has them: one cluster serves one release, and gen-binding refuses a mix.
 */
function derivedLikeSlice(groupVersion: string): string {
  const document = deriveOpenApi3(v136, groupVersion);
  const slice = JSON.parse(readFileSync(SLICE, "utf8")).components.schemas;
  for (const name of Object.keys(document.components.schemas)) if (slice[name]) document.components.schemas[name] = slice[name];
  return JSON.stringify(document);
}

beforeEach(() => {
  cluster.documents = new Map(initialDocuments);
  cluster.missing = new Set();
  cluster.slow = new Set();
  cluster.holdUntil = 0;
  cluster.seen = [];
  cluster.maxInFlight = 0;
});

describe.skipIf(!ready)("gen-binding --spec https://<cluster>/openapi/v3", () => {
  it("fetches the index and only the documents the kinds need, in parallel, with the kubeconfig's token and CA", async () => {
    cluster.holdUntil = 2;
    const out = tempDir("cluster-out");
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--kubeconfig", kubeconfig, "--context", "good", "--kind", "Binding,apps/v1/Deployment", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^gen-binding: apps\/v1\/Deployment, core\/v1\/Binding, 15 operations, \d+ models -> /);
    expect(documentUrls().sort()).toEqual([`/openapi/v3/api/v1?hash=${hash(cluster.documents.get("api/v1")!)}`, `/openapi/v3/apis/apps/v1?hash=${hash(cluster.documents.get("apis/apps/v1")!)}`]);
    expect(new Set(cluster.seen.map((s) => s.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    // Both documents were asked for before either was answered.
    expect(cluster.maxInFlight).toBe(2);
    // The same output as from the documents as files.
    const files = tempDir("cluster-files");
    const core = join(work, "core.json");
    const apps = join(work, "apps.json");
    writeFileSync(core, cluster.documents.get("api/v1")!);
    writeFileSync(apps, cluster.documents.get("apis/apps/v1")!);
    await generate({ spec: [core, apps], out: files, kinds: ["Binding", "apps/v1/Deployment"] });
    expect(readTree(out)).toEqual(readTree(files));
  });

  it("--from-cluster takes the server from the kubeconfig context, and --check compares with it (exit 1 when stale)", async () => {
    const out = tempDir("from-cluster");
    const args = ["--from-cluster", "--kubeconfig", kubeconfig, "--context", "good", "--out", out];
    expect((await runCli(args)).status).toBe(0);
    expect(documentUrls()).toEqual([`/openapi/v3/api/v1?hash=${hash(cluster.documents.get("api/v1")!)}`]);
    const fresh = await runCli([...args, "--check"]);
    expect(fresh.stdout).toBe(`gen-binding: ${out} is up to date (core/v1/Binding)\n`);
    expect(fresh.status).toBe(0);
    // The cluster's core/v1 changes (a new hash in the index): the output is now stale.
    const slice = JSON.parse(cluster.documents.get("api/v1")!);
    slice.components.schemas["io.k8s.api.core.v1.Binding"].description = "Binding, as a newer cluster describes it.";
    cluster.documents.set("api/v1", JSON.stringify(slice));
    const stale = await runCli([...args, "--check"]);
    expect(stale.stdout).toMatch(new RegExp(`^gen-binding: ${out} is stale \\(core/v1/Binding\\); run gen-binding to update:\\n  changed: models\\.ts\\n`));
    expect(stale.status).toBe(1);
  });

  it("finds an unqualified kind in the first group-version that serves it: core first, then groups by name", async () => {
    const out = tempDir("cluster-search");
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--kubeconfig", kubeconfig, "--context", "good", "--kind", "Deployment", "--out", out]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(out, ".gen-binding.json"), "utf8")).kinds).toEqual(["apps/v1/Deployment"]);
    expect(documentUrls()[0]).toMatch(/^\/openapi\/v3\/api\/v1\?/);
  });

  it("gives a kind served only as a subresource of other groups all its operations, as the v2 document does", async () => {
    cluster.documents.set("api/v1", JSON.stringify(deriveOpenApi3(v136, "api/v1")));
    cluster.documents.set("apis/policy/v1", JSON.stringify(deriveOpenApi3(v136, "apis/policy/v1")));
    const out = tempDir("cluster-eviction");
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--kubeconfig", kubeconfig, "--context", "good", "--kind", "policy/v1/Eviction", "--out", out]);
    expect(result.stderr).toBe("");
    const fromV2 = await generate({ spec: V136, out: tempDir("v2-eviction"), kinds: ["policy/v1/Eviction"] });
    expect(JSON.parse(readFileSync(join(out, ".gen-binding.json"), "utf8")).operations).toEqual(fromV2.operations);
    expect(fromV2.operations).toEqual(["createNamespacedPodEviction"]);
  });

  it("names a group-version the cluster does not serve, and one it lists but cannot give", async () => {
    const out = join(tempDir("cluster-missing"), "out");
    const flags = ["--spec", `${base}/openapi/v3`, "--kubeconfig", kubeconfig, "--context", "good", "--out", out];
    const absent = await runCli([...flags, "--kind", "Binding,networking.k8s.io/v1/Ingress"]);
    expect(absent.stderr).toBe(`gen-binding: ${base}/openapi/v3 lists no apis/networking.k8s.io/v1 document, which kind networking.k8s.io/v1/Ingress needs (it serves no version of the group networking.k8s.io)\n`);
    expect(absent.status).toBe(2);
    const otherVersion = await runCli([...flags, "--kind", "apps/v1beta2/Deployment"]);
    expect(otherVersion.stderr).toBe(`gen-binding: ${base}/openapi/v3 lists no apis/apps/v1beta2 document, which kind apps/v1beta2/Deployment needs (of that group it serves apis/apps/v1)\n`);
    // A fetch still under way when another query fails is cancelled: the run ends now, not when it answers.
    cluster.slow.add("apis/apps/v1");
    cluster.slowMs = 8000;
    const pending = await runCli([...flags, "--kind", "apps/v1/Deployment,networking.k8s.io/v1/Ingress"]);
    expect(pending.stderr).toMatch(/lists no apis\/networking\.k8s\.io\/v1 document/);
    expect(pending.seconds).toBeLessThan(5);
    cluster.missing.add("apis/storage.k8s.io/v1");
    const gone = await runCli([...flags, "--kind", "storage.k8s.io/v1/StorageClass"]);
    expect(gone.stderr).toBe(`gen-binding: cannot fetch spec ${base}/openapi/v3/apis/storage.k8s.io/v1?hash=0A: HTTP 404 Not Found: the server could not find the requested resource\n`);
    expect(existsSync(out)).toBe(false);
  });

  it("says when the token was refused (401), and writes nothing", async () => {
    const out = join(tempDir("cluster-401"), "out");
    const result = await runCli(["--from-cluster", "--kubeconfig", kubeconfig, "--out", out]);
    expect(result.stderr).toBe(`gen-binding: cannot fetch spec ${base}/openapi/v3: HTTP 401 Unauthorized: Unauthorized (the token of the kubeconfig's current context (${kubeconfig}) was refused)\n`);
    expect(result.status).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(cluster.seen.map((s) => s.authorization)).toEqual(["Bearer wrong"]);
  });

  it("stops waiting for a slow document after --timeout, naming it", async () => {
    cluster.slow.add("apis/apps/v1");
    cluster.slowMs = 8000;
    const out = join(tempDir("cluster-slow"), "out");
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--kubeconfig", kubeconfig, "--context", "good", "--kind", "Binding,apps/v1/Deployment", "--timeout", "1", "--out", out]);
    expect(result.stderr).toBe(`gen-binding: cannot fetch spec ${base}/openapi/v3/apis/apps/v1?hash=${hash(cluster.documents.get("apis/apps/v1")!)}: no answer within 1 s (--timeout)\n`);
    expect(result.status).toBe(2);
    expect(result.seconds).toBeLessThan(6);
    expect(existsSync(out)).toBe(false);
  });

  it("without a kubeconfig sends no token and trusts only the system CAs, and says what to add", async () => {
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--out", join(tempDir("cluster-noconfig"), "out")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^gen-binding: cannot fetch spec ${base}/openapi/v3: .*\\(to trust a cluster's own CA, add --kubeconfig\\)\\n$`));
    expect(cluster.seen).toEqual([]);
  });

  it("takes a cluster's index alone: it gives every document the kinds need", async () => {
    const result = await runCli(["--spec", `${base}/openapi/v3`, "--spec", SLICE, "--kubeconfig", kubeconfig, "--context", "good", "--out", join(tempDir("cluster-and-file"), "out")]);
    expect(result.stderr).toBe(`gen-binding: --spec ${base}/openapi/v3 is a cluster's index (/openapi/v3), which gives every document the kinds need: give it alone\n`);
    expect(result.status).toBe(2);
  });

  it("refuses to send the kubeconfig's token to another server", async () => {
    const result = await runCli(["--spec", "https://127.0.0.2:1/openapi/v3", "--kubeconfig", kubeconfig, "--out", join(tempDir("cluster-elsewhere"), "out")]);
    expect(result.stderr).toBe(`gen-binding: --spec https://127.0.0.2:1/openapi/v3 is not on the server of the kubeconfig's current context (${kubeconfig}) (${base}); its token is only sent there\n`);
    expect(result.status).toBe(2);
  });
});

describe.skipIf(!ready)("a kubeconfig whose server is plain http", () => {
  it("sends no token there, as kubectl does not, and says so on the 401", async () => {
    const plain = createHttpServer(serve);
    const url = await listenLoopback(plain);
    try {
      const config = writeKubeconfig(tempDir("cluster-http"), url, "good");
      const result = await runCli(["--from-cluster", "--kubeconfig", config, "--out", join(work, "http-out")]);
      expect(result.stderr).toBe(`gen-binding: cannot fetch spec ${url}/openapi/v3: HTTP 401 Unauthorized: Unauthorized (the kubeconfig's token is not sent over http://, as kubectl does not send it)\n`);
      expect(cluster.seen).toEqual([{ url: "/openapi/v3", authorization: undefined }]);
    } finally {
      stopServer(plain);
    }
  });
});

describe("a kubeconfig whose credentials come from a plugin", () => {
  it("is refused with what to do instead, before anything is fetched", async () => {
    const dir = tempDir("cluster-exec");
    const config = join(dir, "kubeconfig.json");
    const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] };
    writeFileSync(config, JSON.stringify({ "current-context": "eks", clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }], users: [{ name: "u", user: { exec } }], contexts: [{ name: "eks", context: { cluster: "c", user: "u" } }] }));
    const result = await runCli(["--from-cluster", "--kubeconfig", config, "--out", join(dir, "out")]);
    expect(result.stderr).toBe('gen-binding: kubeconfig: user "u" gets its credentials from an exec plugin ("aws"), which this client does not run; instead, save the documents with kubectl (kubectl get --raw /openapi/v3/api/v1 > api__v1.json) and give them to --spec\n');
    expect(result.status).toBe(2);
  });

  it("names the file it cannot read, and gives no advice meant for programs", async () => {
    const dir = tempDir("cluster-ca");
    const config = join(dir, "kubeconfig.json");
    writeFileSync(config, JSON.stringify({ "current-context": "x", clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1", "certificate-authority": "ca.crt" } }], contexts: [{ name: "x", context: { cluster: "c" } }] }));
    const result = await runCli(["--from-cluster", "--kubeconfig", config, "--out", join(dir, "out")]);
    expect(result.stderr).toBe(`gen-binding: kubeconfig: cannot read the certificate-authority of cluster "c", ${join(dir, "ca.crt")}: ENOENT\n`);
    expect(result.status).toBe(2);
  });
});
