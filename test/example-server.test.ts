import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { ApiException, ApisApi, CoreApi, CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleCluster } from "../examples/server/seed.js";
import { createExampleServer, listen } from "../examples/server/server.js";
import type { ClusterStore } from "../examples/server/store.js";
import { makeServingCertificates } from "../examples/server/tls.js";
import { hasOpenssl } from "./helpers/certificates.js";
import { useExampleServer } from "./helpers/example-server.js";
import { createClient } from "../examples/k8s/client.js";

const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const binding = (name: string, node: string, metadata: Record<string, unknown> = {}) => ({ metadata: { name, ...metadata }, target: { apiVersion: "v1", kind: "Node", name: node } });

const t = useExampleServer();
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as any);

describe("example server, through the generated client", () => {
  it("binds a pending pod: 201 Status Success, spec.nodeName and PodScheduled=True, resourceVersion moves on", async () => {
    const before = t.store.pod("default", "web-1")!;
    const result = await t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-b") });
    expect(result).toMatchObject({ status: 201, body: SUCCESS });
    const after = t.store.pod("default", "web-1")!;
    expect(after.spec?.nodeName).toBe("node-b");
    expect(after.status?.conditions).toEqual([{ type: "PodScheduled", status: "True", lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
    expect(Number(after.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
  });

  it("binds through the collection route with the pod named in metadata.name, and copies the binding's annotations", async () => {
    await t.client().createNamespacedBinding({ namespace: "default", body: binding("web-2", "node-a", { annotations: { "example.com/why": "least loaded" } }) });
    expect(t.store.pod("default", "web-2")).toMatchObject({ spec: { nodeName: "node-a" }, metadata: { annotations: { "example.com/why": "least loaded" } } });
  });

  it("answers 409 Conflict, details.kind pods/binding, when the pod is already bound", async () => {
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "db-0", body: binding("db-0", "node-b") }));
    expect(error).toMatchObject({ status: 409, reason: "Conflict", statusObject: { details: { name: "db-0", kind: "pods/binding" } } });
    expect(error.statusObject.message).toBe('Operation cannot be fulfilled on pods/binding "db-0": pod db-0 is already assigned to node "node-a"');
    expect(t.store.pod("default", "db-0")!.spec?.nodeName).toBe("node-a");
  });

  it("answers 404 NotFound for a missing pod", async () => {
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "ghost", body: binding("ghost", "node-a") }));
    expect(error).toMatchObject({ status: 404, reason: "NotFound", statusObject: { message: 'pods "ghost" not found', details: { name: "ghost", kind: "pods" } } });
  });

  it("answers 400 when the name in the URL differs from metadata.name, and changes nothing", async () => {
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-2", "node-a") }));
    expect(error).toMatchObject({ status: 400, reason: "BadRequest", statusObject: { message: "name in URL does not match name in Binding object" } });
    expect(t.store.listPods().filter((pod) => pod.spec?.nodeName)).toHaveLength(1);
  });

  it("answers 400 when metadata.namespace differs from the namespace in the URL", async () => {
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { namespace: "prod" }) }));
    expect(error).toMatchObject({ status: 400, statusObject: { message: "the namespace of the provided object does not match the namespace sent on the request" } });
  });

  it("lists pods by field selector and refuses selectors it does not know", async () => {
    const get = async (query: string) => {
      const response = await fetch(`${t.baseUrl}/api/v1/namespaces/default/pods?${query}`, { headers: { authorization: "Bearer example-token" } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const bound = await get(`fieldSelector=${encodeURIComponent("spec.nodeName!=")}`);
    expect(bound.body.items.map((pod: any) => pod.metadata.name)).toEqual(["db-0"]);
    expect(bound.body.items[0]).not.toHaveProperty("kind");
    const unknown = await get("fieldSelector=spec.priority%3D5");
    expect(unknown).toMatchObject({ status: 400, body: { reason: "BadRequest", message: expect.stringContaining('"spec.priority=5" is not a known field selector') } });
  });

  it.each([
    ["target.name is missing", { kind: "Node" }, [{ field: "target.name", reason: "FieldValueRequired" }]],
    ["target.kind is not Node", { kind: "Pod", name: "node-a" }, [{ field: "target.kind", reason: "FieldValueNotSupported" }]],
    ["both", { kind: "Service" }, [{ field: "target.kind", reason: "FieldValueNotSupported" }, { field: "target.name", reason: "FieldValueRequired" }]],
  ])("answers 422 Invalid when %s", async (_name, target, causes) => {
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: { metadata: { name: "web-1" }, target } }));
    expect(error).toMatchObject({ status: 422, reason: "Invalid", statusObject: { details: { name: "web-1", kind: "Binding", causes: causes.map((c) => expect.objectContaining(c)) } } });
    expect(t.store.pod("default", "web-1")!.spec?.nodeName).toBeUndefined();
  });

  it("honours uid and resourceVersion preconditions: 409 on mismatch, success on match", async () => {
    const pod = t.store.pod("default", "web-1")!;
    const wrongUid = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { uid: "other" }) }));
    expect(wrongUid).toMatchObject({ status: 409, reason: "Conflict", statusObject: { details: { kind: "pods" } } });
    expect(wrongUid.statusObject.message).toBe(`Operation cannot be fulfilled on pods "web-1": Precondition failed: UID in precondition: other, UID in object meta: ${pod.metadata?.uid}`);
    const staleVersion = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { resourceVersion: "1" }) }));
    expect(staleVersion.statusObject.message).toContain(`ResourceVersion in precondition: 1, ResourceVersion in object meta: ${pod.metadata?.resourceVersion}`);
    expect(t.store.pod("default", "web-1")!.spec?.nodeName).toBeUndefined();
    const matching = binding("web-1", "node-a", { uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion });
    await expect(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: matching })).resolves.toMatchObject({ status: 201 });
  });

  it("with dryRun=All validates and checks, but changes nothing", async () => {
    const before = t.store.pod("default", "web-1");
    await expect(t.client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a"), dryRun: "All" })).resolves.toMatchObject({ status: 201, body: SUCCESS });
    expect(t.store.pod("default", "web-1")).toEqual(before);
    const error = await failure(t.client().createNamespacedPodBinding({ namespace: "default", name: "db-0", body: binding("db-0", "node-b"), dryRun: "All" }));
    expect(error.status).toBe(409);
  });

  it("serves pod and node reads through the generated routes: typed lists and objects, 404 as the apiserver words it", async () => {
    const pods = await t.client().listPodForAllNamespaces({ fieldSelector: "spec.nodeName=" });
    expect(pods.body.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2", "web-3"]);
    expect(pods.body).toMatchObject({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: t.store.resourceVersion } });
    expect((await t.client().listNode({})).body.items.map((node) => node.metadata?.name)).toEqual(["node-a", "node-b"]);
    expect((await t.client().readNode({ name: "node-a" })).body.status?.conditions).toEqual([{ type: "Ready", status: "True" }]);
    const missing = await failure(t.client().readNamespacedPod({ namespace: "default", name: "ghost" }));
    expect(missing).toMatchObject({ status: 404, statusObject: { message: 'pods "ghost" not found' } });
  });

  it("answers 501 for what the example does not model (writes other than bindings), as its handlers file was generated", async () => {
    expect(await failure(t.client().deleteNamespacedPod({ namespace: "default", name: "web-1" }))).toMatchObject({ status: 501, reason: "NotImplemented", message: expect.stringContaining("deleteNamespacedPod is not implemented yet") });
    expect(await failure(t.client().patchNamespacedPod({ namespace: "default", name: "web-1", patchType: "merge", body: { metadata: { labels: { a: "b" } } } }))).toMatchObject({ status: 501, reason: "NotImplemented" });
    expect(t.store.pod("default", "web-1")).toBeDefined();
  });

  it("answers 401 without the token, on bindings and reads alike", async () => {
    const anonymous = createClient({ baseUrl: t.baseUrl });
    expect(await failure(anonymous.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a") }))).toMatchObject({ status: 401 });
    expect((await fetch(`${t.baseUrl}/api/v1/namespaces/default/pods/web-1`)).status).toBe(401);
  });
});

describe("example server, through @kubernetes/client-node 1.4.0", () => {
  const official = () => {
    const config = new KubeConfig();
    config.loadFromClusterAndUser({ name: "example", server: t.baseUrl, skipTLSVerify: true }, { name: "scheduler", token: "example-token" });
    return config;
  };

  it("finds the binding resources by discovery", async () => {
    const versions = await official().makeApiClient(CoreApi).getAPIVersions();
    expect(versions.versions).toEqual(["v1"]);
    const resources = await official().makeApiClient(CoreV1Api).getAPIResources();
    expect(resources.groupVersion).toBe("v1");
    const byName = Object.fromEntries(resources.resources.map((r) => [r.name, r]));
    expect(byName["bindings"]).toMatchObject({ kind: "Binding", namespaced: true, verbs: ["create"] });
    expect(byName["pods/binding"]).toMatchObject({ kind: "Binding", namespaced: true, verbs: ["create"] });
    // Discovery lists what the routes serve (the operations of the document), as the apiserver lists its storage.
    expect(byName["pods"]).toMatchObject({ singularName: "pod", verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] });
    expect(byName["pods/status"]).toMatchObject({ kind: "Pod", verbs: ["get", "patch", "update"] });
    expect(byName["nodes"]).toMatchObject({ namespaced: false, kind: "Node" });
    expect((await official().makeApiClient(ApisApi).getAPIVersions()).groups).toEqual([]);
    expect(await official().makeApiClient(VersionApi).getCode()).toMatchObject({ major: "1", minor: "36", gitVersion: "v1.36.0-gen-binding-example", buildDate: "", goVersion: "" });
  });

  it("lists pending pods, binds one and reads the result back", async () => {
    const api = official().makeApiClient(CoreV1Api);
    const pending = await api.listNamespacedPod({ namespace: "default", fieldSelector: "spec.nodeName=" });
    expect(pending.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2", "web-3"]);
    await api.createNamespacedPodBinding({ namespace: "default", name: "web-3", body: { metadata: { name: "web-3" }, target: { kind: "Node", name: "node-b" } } });
    const pod = await api.readNamespacedPod({ namespace: "default", name: "web-3" });
    expect(pod.spec?.nodeName).toBe("node-b");
    expect(pod.status?.conditions).toEqual([expect.objectContaining({ type: "PodScheduled", status: "True" })]);
    expect(pod.status?.conditions?.[0]?.lastTransitionTime).toBeInstanceOf(Date);
  });

  it("gets 409 Conflict and 404 NotFound as ApiException with the Status", async () => {
    const api = official().makeApiClient(CoreV1Api);
    const conflict = await failure(api.createNamespacedBinding({ namespace: "default", body: { metadata: { name: "db-0" }, target: { kind: "Node", name: "node-b" } } }));
    expect(conflict).toBeInstanceOf(ApiException);
    expect(JSON.parse(conflict.body)).toMatchObject({ code: 409, reason: "Conflict", details: { kind: "pods/binding" } });
    const missing = await failure(api.readNamespacedPod({ namespace: "default", name: "ghost" }));
    expect(missing.code).toBe(404);
  });
});

/** One request over node:http or node:https (trusting the example's CA), with the body in chunks and no length. */
function request(url: string, ca: string | undefined, init: { method?: string; headers?: Record<string, string>; chunks?: string[] } = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = { method: init.method ?? "GET", headers: init.headers ?? {}, ...(ca ? { ca } : {}) };
    const req = (target.protocol === "https:" ? httpsRequest : httpRequest)(target, options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe.each(hasOpenssl() ? (["http", "https"] as const) : (["http"] as const))("example server over %s on 127.0.0.1: the wire as kube-apiserver speaks it", (scheme) => {
  let tlsStore: ClusterStore;
  let tlsServer: ReturnType<typeof createExampleServer>;
  let url: string;
  let ca: string | undefined;
  const auth = { authorization: "Bearer example-token" };
  beforeAll(() => {
    if (scheme === "https") {
      const certificates = makeServingCertificates();
      ca = certificates.ca;
      tlsServer = createExampleServer((tlsStore = exampleCluster()), { token: "example-token", tls: certificates });
    } else tlsServer = createExampleServer((tlsStore = exampleCluster()), { token: "example-token" });
  });
  beforeAll(async () => {
    url = await listen(tlsServer);
    expect(url.startsWith(`${scheme}://127.0.0.1:`)).toBe(true);
  });
  afterAll(() => {
    tlsServer.closeAllConnections();
    tlsServer.close();
  });

  it("decodes a binding sent with no Content-Type in a chunked body as JSON (what kubectl create --raw sends)", async () => {
    const body = JSON.stringify(binding("web-1", "node-a"));
    const answer = await request(`${url}/api/v1/namespaces/default/pods/web-1/binding`, ca, { method: "POST", headers: { ...auth, "transfer-encoding": "chunked" }, chunks: [body.slice(0, 7), body.slice(7)] });
    expect([answer.status, JSON.parse(answer.text)]).toEqual([201, SUCCESS]);
    expect(tlsStore.pod("default", "web-1")?.spec?.nodeName).toBe("node-a");
  });

  it("decodes a YAML binding, and answers in YAML when asked", async () => {
    const yaml = "metadata:\n  name: web-2\n  annotations:\n    example.com/why: \"yaml\"\ntarget:\n  kind: Node\n  name: node-b\n";
    const answer = await request(`${url}/api/v1/namespaces/default/pods/web-2/binding`, ca, { method: "POST", headers: { ...auth, "content-type": "application/yaml", accept: "application/yaml" }, chunks: [yaml] });
    expect([answer.status, answer.headers["content-type"], answer.text]).toEqual([201, "application/yaml", "apiVersion: v1\ncode: 201\nkind: Status\nmetadata: {}\nstatus: Success\n"]);
    expect(tlsStore.pod("default", "web-2")?.metadata?.annotations).toEqual({ "example.com/why": "yaml" });
  });

  it("accepts a Strict binding carrying metadata.finalizers and ownerReferences (the fixture has the real ObjectMeta)", async () => {
    const body = binding("web-3", "node-a", { finalizers: ["example.com/keep"], ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "web-3", uid: "pod-default-web-3", controller: true }], managedFields: [{ manager: "kubectl", operation: "Update" }] });
    const answer = await request(`${url}/api/v1/namespaces/default/pods/web-3/binding?fieldValidation=Strict`, ca, { method: "POST", headers: { ...auth, "content-type": "application/json" }, chunks: [JSON.stringify(body)] });
    expect([answer.status, JSON.parse(answer.text)]).toEqual([201, SUCCESS]);
    const typo = await request(`${url}/api/v1/namespaces/default/pods/db-0/binding?fieldValidation=Strict`, ca, { method: "POST", headers: { ...auth, "content-type": "application/json" }, chunks: [JSON.stringify(binding("db-0", "node-a", { finalizer: ["x"] }))] });
    expect(JSON.parse(typo.text)).toMatchObject({ code: 400, message: 'strict decoding error: unknown field "metadata.finalizer"' });
  });

  it.each([["/api/does-not-exist", "GET"], ["/api/v1/namespaces/default/pods", "PUT"], ["/api/v1/", "GET"]])("answers a bad token with 401 on %s (%s), before looking at the path", async (path, method) => {
    const answer = await request(`${url}${path}`, ca, { method, headers: { authorization: "Bearer wrong" } });
    expect([answer.status, JSON.parse(answer.text).reason]).toEqual([401, "Unauthorized"]);
  });

  it("answers kubectl's Table request for pods with kubectl's columns, NODE among them", async () => {
    const answer = await request(`${url}/api/v1/namespaces/default/pods`, ca, { headers: { ...auth, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json" } });
    const table = JSON.parse(answer.text);
    expect(table.columnDefinitions.map((c: any) => [c.name, c.priority])).toEqual([["Name", 0], ["Ready", 0], ["Status", 0], ["Restarts", 0], ["Age", 0], ["IP", 1], ["Node", 1], ["Nominated Node", 1], ["Readiness Gates", 1]]);
    expect(table.rows.find((r: any) => r.cells[0] === "db-0").cells).toEqual(["db-0", "0/1", "Pending", "0", expect.stringMatching(/^\d+[smhdy]$/), "<none>", "node-a", "<none>", "<none>"]);
    const nodes = JSON.parse((await request(`${url}/api/v1/nodes/node-a`, ca, { headers: { ...auth, accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).text);
    expect(nodes.rows[0].cells.slice(0, 3)).toEqual(["node-a", "Ready", "<none>"]);
  });

  it.each(["/api", "/api/v1", "/apis", "/version"])("serves %s with and without a trailing slash", async (path) => {
    const plain = await request(`${url}${path}`, ca, { headers: auth });
    const slash = await request(`${url}${path}/`, ca, { headers: auth });
    expect(plain.status).toBe(200);
    expect(JSON.parse(slash.text)).toEqual(JSON.parse(plain.text));
  });

  it("serves /openapi/v2: the fixture's slice as Swagger 2.0, with the kinds' GVK extensions", async () => {
    const document = JSON.parse((await request(`${url}/openapi/v2`, ca, { headers: { ...auth, accept: "application/json" } })).text);
    expect(document.swagger).toBe("2.0");
    expect(document.definitions["io.k8s.api.core.v1.Binding"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "", kind: "Binding", version: "v1" }]);
    expect(Object.keys(document.paths)).toContain("/api/v1/namespaces/{namespace}/pods/{name}/binding");
  });
});
