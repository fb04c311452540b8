import { execFile, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exampleCluster } from "../examples/server/seed.js";
import { type ExampleServerOptions, createExampleServer, listen } from "../examples/server/server.js";
import type { ClusterStore } from "../examples/server/store.js";
import { type ServingCertificates, kubeconfigText, makeServingCertificates } from "../examples/server/tls.js";
import { hasOpenssl } from "./helpers/certificates.js";
import { eventually } from "./helpers/http.js";
import { tempDir } from "./helpers/run.js";

/**
 * kubectl and the official Python client against the example server, over HTTPS (with the certificate and
 * kubeconfig `npm run example:server -- --tls --kubeconfig` makes, and a bearer token) and over plain HTTP.
 * They are Debian packages (`kubernetes-client`, `python3-kubernetes`): where absent, these tests are
 * skipped with a message (CI has only the npm registry).
 */
const run = promisify(execFile);

function found(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "pipe", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const PYTHON = "/usr/bin/python3";
const haveKubectl = found("kubectl", ["version", "--client"]);
const havePython = found(PYTHON, ["-c", "import kubernetes"]);
const haveOpenssl = hasOpenssl();
if (!haveKubectl) console.warn("real-clients.test.ts: kubectl is not installed (Debian: kubernetes-client); skipping the kubectl tests");
if (!havePython) console.warn(`real-clients.test.ts: ${PYTHON} cannot import kubernetes (Debian: python3-kubernetes); skipping the Python client tests`);
if (!haveOpenssl) console.warn("real-clients.test.ts: openssl is not installed; skipping the HTTPS tests");

const BINDING_YAML = "apiVersion: v1\nkind: Binding\nmetadata:\n  name: web-1\ntarget:\n  apiVersion: v1\n  kind: Node\n  name: node-b\n";
const TOKEN = "real-client-token";

interface Target {
  store: ClusterStore;
  url: string;
  kubeconfig: string;
  dir: string;
}

/** An example server (HTTPS with a token, or plain HTTP without) and a kubeconfig for it, fresh per test. */
function target(scheme: "https" | "http", options: ExampleServerOptions = {}) {
  let server: Server | HttpsServer;
  let certificates: ServingCertificates | undefined;
  const t = {} as Target;
  beforeAll(() => {
    if (scheme === "https") certificates = makeServingCertificates();
  });
  beforeEach(async () => {
    t.store = exampleCluster();
    server = createExampleServer(t.store, { ...options, ...(scheme === "https" ? { token: TOKEN, tls: certificates! } : {}) });
    t.url = await listen(server);
    t.dir = tempDir("kubectl");
    t.kubeconfig = join(t.dir, "kubeconfig");
    writeFileSync(t.kubeconfig, kubeconfigText(t.url, certificates?.ca, scheme === "https" ? TOKEN : undefined));
    return () => {
      server.closeAllConnections();
      server.close();
    };
  });
  return t;
}

/** kubectl with the target's kubeconfig, a cache of its own, and no other configuration. */
async function kubectl(t: Target, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env["PATH"] ?? "", HOME: t.dir, KUBECONFIG: t.kubeconfig };
  const child = run("kubectl", ["--cache-dir", join(t.dir, "cache"), "--request-timeout", "20s", ...args], { env, timeout: 30_000 });
  if (input !== undefined) child.child.stdin!.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** The rows of a kubectl table: header names to cells. */
function rows(table: string): Array<Record<string, string>> {
  const [header, ...lines] = table.trimEnd().split("\n");
  const starts = [...header!.matchAll(/\S+(?: \S+)*/g)].map((m) => [m.index!, m[0]] as const);
  return lines.map((line) => Object.fromEntries(starts.map(([at, name], i) => [name, line.slice(at, starts[i + 1]?.[0] ?? line.length).trim()])));
}

describe.skipIf(!haveKubectl || !haveOpenssl)("kubectl against the example server over HTTPS (kubeconfig with the CA and a token)", () => {
  const t = target("https");

  it("version: the server's version.Info from the document", async () => {
    const result = await kubectl(t, ["version", "-o", "json"]);
    expect(JSON.parse(result.stdout).serverVersion).toMatchObject({ major: "1", minor: "36", gitVersion: "v1.36.0-gen-binding-example" });
  });

  it("api-resources: the kinds of the output, found by discovery", async () => {
    const result = await kubectl(t, ["api-resources"]);
    expect(result.code).toBe(0);
    expect(rows(result.stdout).map((r) => [r["NAME"], r["APIVERSION"], r["NAMESPACED"], r["KIND"]])).toEqual([
      ["bindings", "v1", "true", "Binding"],
      ["nodes", "v1", "false", "Node"],
      ["pods", "v1", "true", "Pod"],
    ]);
  });

  it("get pods -o wide shows kubectl's columns, and the NODE of a pod after create -f binding.yaml (validated)", async () => {
    const before = rows((await kubectl(t, ["get", "pods", "-o", "wide"])).stdout);
    expect(Object.keys(before[0]!)).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(before.map((r) => [r["NAME"], r["NODE"]])).toEqual([["db-0", "node-a"], ["web-1", "<none>"], ["web-2", "<none>"], ["web-3", "<none>"]]);
    writeFileSync(join(t.dir, "binding.yaml"), BINDING_YAML);
    const created = await kubectl(t, ["create", "-f", join(t.dir, "binding.yaml")]);
    expect([created.code, created.stderr]).toEqual([0, ""]);
    const after = rows((await kubectl(t, ["get", "pods", "-o", "wide"])).stdout);
    expect(after.find((r) => r["NAME"] === "web-1")?.["NODE"]).toBe("node-b");
    expect(t.store.pod("default", "web-1")?.spec?.nodeName).toBe("node-b");
  });

  it("create -f validates against /openapi/v2: unknown fields stop it before anything is sent", async () => {
    writeFileSync(join(t.dir, "typo.yaml"), BINDING_YAML.replace("  name: node-b", "  nmae: node-b"));
    const result = await kubectl(t, ["create", "-f", join(t.dir, "typo.yaml")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown field "nmae" in io.k8s.api.core.v1.ObjectReference');
    expect(t.store.pod("default", "web-1")?.spec?.nodeName).toBeUndefined();
  });

  it("get pods -w: the table, then a row for each change the server's watch streams", async () => {
    const env = { PATH: process.env["PATH"] ?? "", HOME: t.dir, KUBECONFIG: t.kubeconfig };
    const child = spawn("kubectl", ["--cache-dir", join(t.dir, "cache"), "get", "pods", "-w"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = () => stdout.trimEnd().split("\n").filter(Boolean);
    const until = (count: number) => eventually(() => lines().length >= count, 20_000);
    try {
      await until(5);
      // The list is printed; the watch is open once the server has a subscriber.
      await eventually(() => t.store.watchers > 0, 20_000);
      t.store.bindPod("default", "web-2", "node-a", {});
      await until(6);
    } finally {
      child.kill();
    }
    expect(stderr).toBe("");
    expect(rows(lines().join("\n")).map((r) => [r["NAME"], r["STATUS"]])).toEqual([["db-0", "Pending"], ["web-1", "Pending"], ["web-2", "Pending"], ["web-3", "Pending"], ["web-2", "Pending"]]);
    expect(await new Promise((resolve) => setTimeout(() => resolve(t.store.watchers), 500))).toBe(0);
  });

  it("get nodes shows STATUS, ROLES, AGE and VERSION", async () => {
    const result = rows((await kubectl(t, ["get", "nodes"])).stdout);
    expect(result.map((r) => [r["NAME"], r["STATUS"], r["ROLES"]])).toEqual([["node-a", "Ready", "<none>"], ["node-b", "Ready", "<none>"]]);
    expect(Object.keys(result[0]!)).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
  });

  it("create --raw sends the binding with no Content-Type, chunked, and gets the apiserver's Status", async () => {
    writeFileSync(join(t.dir, "binding.json"), JSON.stringify({ apiVersion: "v1", kind: "Binding", metadata: { name: "web-2" }, target: { kind: "Node", name: "node-a" } }));
    const result = await kubectl(t, ["create", "--raw", "/api/v1/namespaces/default/pods/web-2/binding", "-f", join(t.dir, "binding.json")]);
    expect(JSON.parse(result.stdout)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    expect(t.store.pod("default", "web-2")?.spec?.nodeName).toBe("node-a");
  });

  it("get pod -o yaml reads the pod; a conflict is reported in the apiserver's words", async () => {
    expect((await kubectl(t, ["get", "pod", "db-0", "-o", "yaml"])).stdout).toMatch(/^apiVersion: v1\nkind: Pod\n[\s\S]*nodeName: node-a/);
    writeFileSync(join(t.dir, "db.yaml"), BINDING_YAML.replace("name: web-1", "name: db-0"));
    const conflict = await kubectl(t, ["create", "-f", join(t.dir, "db.yaml")]);
    expect(conflict.stderr).toContain('Error from server (Conflict): error when creating "' + join(t.dir, "db.yaml") + '": Operation cannot be fulfilled on pods/binding "db-0": pod db-0 is already assigned to node "node-a"');
  });

  it("a wrong token is refused on every path", async () => {
    writeFileSync(t.kubeconfig, kubeconfigText(t.url, caOf(t), "wrong"));
    const result = await kubectl(t, ["get", "pods"]);
    // What kubectl says to a real apiserver too, before its discovery cache exists.
    expect(result.stderr).toContain("error: You must be logged in to the server (the server has asked for the client to provide credentials)");
  });
});

/** The CA of the target's kubeconfig, read back from it. */
function caOf(t: Target): string {
  const data = /certificate-authority-data: (\S+)/.exec(readFileSync(t.kubeconfig, "utf8"))![1]!;
  return Buffer.from(data, "base64").toString("utf8");
}

describe.skipIf(!haveKubectl)("kubectl against the example server over plain HTTP (no token: kubectl sends none to http://)", () => {
  const t = target("http");

  it("lists pods with kubectl's columns and binds one with create -f", async () => {
    writeFileSync(join(t.dir, "binding.yaml"), BINDING_YAML);
    expect((await kubectl(t, ["create", "-f", join(t.dir, "binding.yaml")])).code).toBe(0);
    const pods = rows((await kubectl(t, ["get", "pods", "-o", "wide"])).stdout);
    expect(pods.find((r) => r["NAME"] === "web-1")?.["NODE"]).toBe("node-b");
  });
});

/** Runs a Python script with the official client; it prints one JSON line. */
async function python(script: string, args: string[]): Promise<any> {
  const { stdout } = await run(PYTHON, ["-c", script, ...args], { timeout: 60_000, env: { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" } });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

const PYTHON_SCRIPT = String.raw`
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
kubeconfig = sys.argv[1]
config.load_kube_config(config_file=kubeconfig)
v1 = client.CoreV1Api()
out = {}
out["resources"] = sorted(r.name for r in v1.get_api_resources().resources)
out["version"] = client.VersionApi().get_code().to_dict()
out["pending"] = [p.metadata.name for p in v1.list_namespaced_pod("default", field_selector="spec.nodeName=").items]
body = client.V1Binding(metadata=client.V1ObjectMeta(name="web-3", finalizers=["example.com/keep"], owner_references=[client.V1OwnerReference(api_version="v1", kind="Pod", name="web-3", uid="pod-default-web-3")]), target=client.V1ObjectReference(kind="Node", name="node-a"))
# The apiserver answers a binding with a Status, which the client cannot read as the V1Binding it expects.
answer = v1.create_namespaced_pod_binding("web-3", "default", body, _preload_content=False)
out["bound"] = [answer.status, json.loads(answer.data)]
out["node"] = v1.read_namespaced_pod("web-3", "default").spec.node_name
try:
    v1.create_namespaced_pod_binding("db-0", "default", client.V1Binding(metadata=client.V1ObjectMeta(name="db-0"), target=client.V1ObjectReference(kind="Node", name="node-b")))
except ApiException as e:
    out["conflict"] = [e.status, json.loads(e.body)["reason"]]
print(json.dumps(out))
`;

/**
 * `kubernetes.watch.Watch().stream(...)` on the pods of "default" from a resourceVersion, with bookmarks and a
 * timeoutSeconds: prints one JSON line per event as it comes (objects as the client decoded them), then a
 * last line with when the stream ended and what a watch from resourceVersion 1 raised.
 */
const PYTHON_WATCH_SCRIPT = String.raw`
import json, sys, time
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
started = time.monotonic()
stream = watch.Watch().stream(v1.list_namespaced_pod, "default", resource_version=sys.argv[2], timeout_seconds=int(sys.argv[3]), allow_watch_bookmarks=True)
for event in stream:
    pod = event["object"]
    if event["type"] == "BOOKMARK":
        line = {"type": "BOOKMARK", "object": event["raw_object"]}
    else:
        line = {"type": event["type"], "class": type(pod).__name__, "name": pod.metadata.name, "resourceVersion": pod.metadata.resource_version,
                "created": pod.metadata.creation_timestamp.isoformat(), "nodeName": pod.spec.node_name, "image": pod.spec.containers[0].image,
                "phase": pod.status.phase, "conditions": [[c.type, c.status] for c in pod.status.conditions or []]}
    line["at"] = time.monotonic() - started
    print(json.dumps(line), flush=True)
out = {"ended": time.monotonic() - started}
try:
    for event in watch.Watch().stream(v1.list_namespaced_pod, "default", resource_version="1", timeout_seconds=5):
        pass
except ApiException as e:
    out["expired"] = [e.status, e.reason]
print(json.dumps(out))
`;

describe.skipIf(!havePython)("the official Python client against the example server", () => {
  for (const scheme of haveOpenssl ? (["https", "http"] as const) : (["http"] as const)) {
    describe(scheme, () => {
      const t = target(scheme, { bookmarkIntervalMs: 500 });

      it("discovery (GET /api/v1/), /version, a field-selected list, a binding with finalizers and ownerReferences, a conflict", async () => {
        const out = await python(PYTHON_SCRIPT, [t.kubeconfig]);
        expect(out.resources).toEqual(expect.arrayContaining(["bindings", "nodes", "pods", "pods/binding", "pods/status"]));
        expect(out.version).toMatchObject({ major: "1", minor: "36", git_version: "v1.36.0-gen-binding-example", build_date: "", go_version: "", compiler: "" });
        expect(out.pending).toEqual(["web-1", "web-2", "web-3"]);
        expect(out.bound).toEqual([201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 }]);
        expect(out.node).toBe("node-a");
        expect(out.conflict).toEqual([409, "Conflict"]);
      });

      it("Watch().stream(list_namespaced_pod, timeout_seconds=4, allow_watch_bookmarks=True) decodes ADDED, MODIFIED and DELETED into V1Pod, gets BOOKMARKs, and ends at 4 s", async () => {
        const from = t.store.resourceVersion;
        const env = { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" };
        const child = spawn(PYTHON, ["-c", PYTHON_WATCH_SCRIPT, t.kubeconfig, from, "4"], { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
        try {
          await eventually(() => t.store.watchers > 0, 20_000);
          expect(t.store.watchers).toBe(1);
          t.store.addPod({ name: "web-4", schedulerName: "example-scheduler" });
          t.store.bindPod("default", "web-1", "node-b", {});
          t.store.deletePod("default", "web-4");
          // Enough changes that resourceVersion 1 is forgotten: the second watch gets 410.
          for (let i = 0; i < 1001; i++) t.store.addNode(`node-${i}`);
          expect([await exited, stderr]).toEqual([0, ""]);
        } finally {
          child.kill();
        }
        const [last, ...events] = stdout.trimEnd().split("\n").map((line) => JSON.parse(line)).reverse();
        events.reverse();
        const pod = { class: "V1Pod", created: "2026-01-01T00:00:00+00:00", image: "registry.k8s.io/pause:3.10", phase: "Pending" };
        const version = (n: number) => String(Number(from) + n);
        expect(events.slice(0, 3).map(({ at: _at, ...event }) => event)).toEqual([
          { type: "ADDED", name: "web-4", resourceVersion: version(1), nodeName: null, conditions: [], ...pod },
          { type: "MODIFIED", name: "web-1", resourceVersion: version(2), nodeName: "node-b", conditions: [["PodScheduled", "True"]], ...pod },
          { type: "DELETED", name: "web-4", resourceVersion: version(3), nodeName: null, conditions: [], ...pod },
        ]);
        // Every 500 ms, the last 2 s before the deadline (the apiserver's watch cache): at 0.5, 1, 1.5 and 2 s.
        const bookmarks = events.slice(3);
        expect(bookmarks.length).toBeGreaterThanOrEqual(2);
        expect(bookmarks.map(({ at: _at, ...event }) => event)).toEqual(bookmarks.map(() => ({ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: t.store.resourceVersion } } })));
        expect(bookmarks.at(-1).at).toBeLessThan(3);
        expect(last.ended).toBeGreaterThanOrEqual(3.9);
        expect(last.ended).toBeLessThan(6);
        expect(last.expired).toEqual([410, expect.stringMatching(/^Expired: too old resource version: 1 \(\d+\)$/)]);
      });
    });
  }
});
