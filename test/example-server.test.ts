import type { Server } from "node:http";
import { ApiException, ApisApi, CoreApi, CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleCluster } from "../examples/server/seed.js";
import { createExampleServer, listen } from "../examples/server/server.js";
import type { ClusterStore } from "../examples/server/store.js";
import { createClient } from "../examples/k8s/client.js";

const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const binding = (name: string, node: string, metadata: Record<string, unknown> = {}) => ({ metadata: { name, ...metadata }, target: { apiVersion: "v1", kind: "Node", name: node } });

let store: ClusterStore;
let server: Server;
let baseUrl: string;

beforeEach(async () => {
  store = exampleCluster();
  server = createExampleServer(store, { token: "example-token" });
  baseUrl = await listen(server);
});
afterEach(() => {
  server.closeAllConnections();
  server.close();
});

const client = () => createClient({ baseUrl, token: "example-token", timeoutMs: 5000 });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as any);

describe("example server, through the generated client", () => {
  it("binds a pending pod: 201 Status Success, spec.nodeName and PodScheduled=True, resourceVersion moves on", async () => {
    const before = store.pod("default", "web-1")!;
    const result = await client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-b") });
    expect(result).toMatchObject({ status: 201, body: SUCCESS });
    const after = store.pod("default", "web-1")!;
    expect(after.spec?.nodeName).toBe("node-b");
    expect(after.status?.conditions).toEqual([{ type: "PodScheduled", status: "True", lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
    expect(Number(after.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
  });

  it("binds through the collection route with the pod named in metadata.name, and copies the binding's annotations", async () => {
    await client().createNamespacedBinding({ namespace: "default", body: binding("web-2", "node-a", { annotations: { "example.com/why": "least loaded" } }) });
    expect(store.pod("default", "web-2")).toMatchObject({ spec: { nodeName: "node-a" }, metadata: { annotations: { "example.com/why": "least loaded" } } });
  });

  it("answers 409 Conflict, details.kind pods/binding, when the pod is already bound", async () => {
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "db-0", body: binding("db-0", "node-b") }));
    expect(error).toMatchObject({ status: 409, reason: "Conflict", statusObject: { details: { name: "db-0", kind: "pods/binding" } } });
    expect(error.statusObject.message).toBe('Operation cannot be fulfilled on pods/binding "db-0": pod db-0 is already assigned to node "node-a"');
    expect(store.pod("default", "db-0")!.spec?.nodeName).toBe("node-a");
  });

  it("answers 404 NotFound for a missing pod", async () => {
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "ghost", body: binding("ghost", "node-a") }));
    expect(error).toMatchObject({ status: 404, reason: "NotFound", statusObject: { message: 'pods "ghost" not found', details: { name: "ghost", kind: "pods" } } });
  });

  it("answers 400 when the name in the URL differs from metadata.name, and changes nothing", async () => {
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-2", "node-a") }));
    expect(error).toMatchObject({ status: 400, reason: "BadRequest", statusObject: { message: "name in URL does not match name in Binding object" } });
    expect(store.listPods().filter((pod) => pod.spec?.nodeName)).toHaveLength(1);
  });

  it("answers 400 when metadata.namespace differs from the namespace in the URL", async () => {
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { namespace: "prod" }) }));
    expect(error).toMatchObject({ status: 400, statusObject: { message: "the namespace of the provided object does not match the namespace sent on the request" } });
  });

  it("lists pods by field selector and refuses selectors it does not know", async () => {
    const get = async (query: string) => {
      const response = await fetch(`${baseUrl}/api/v1/namespaces/default/pods?${query}`, { headers: { authorization: "Bearer example-token" } });
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
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: { metadata: { name: "web-1" }, target } }));
    expect(error).toMatchObject({ status: 422, reason: "Invalid", statusObject: { details: { name: "web-1", kind: "Binding", causes: causes.map((c) => expect.objectContaining(c)) } } });
    expect(store.pod("default", "web-1")!.spec?.nodeName).toBeUndefined();
  });

  it("honours uid and resourceVersion preconditions: 409 on mismatch, success on match", async () => {
    const pod = store.pod("default", "web-1")!;
    const wrongUid = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { uid: "other" }) }));
    expect(wrongUid).toMatchObject({ status: 409, reason: "Conflict", statusObject: { details: { kind: "pods" } } });
    expect(wrongUid.statusObject.message).toBe(`Operation cannot be fulfilled on pods "web-1": Precondition failed: UID in precondition: other, UID in object meta: ${pod.metadata?.uid}`);
    const staleVersion = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a", { resourceVersion: "1" }) }));
    expect(staleVersion.statusObject.message).toContain(`ResourceVersion in precondition: 1, ResourceVersion in object meta: ${pod.metadata?.resourceVersion}`);
    expect(store.pod("default", "web-1")!.spec?.nodeName).toBeUndefined();
    const matching = binding("web-1", "node-a", { uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion });
    await expect(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: matching })).resolves.toMatchObject({ status: 201 });
  });

  it("with dryRun=All validates and checks, but changes nothing", async () => {
    const before = store.pod("default", "web-1");
    await expect(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a"), dryRun: "All" })).resolves.toMatchObject({ status: 201, body: SUCCESS });
    expect(store.pod("default", "web-1")).toEqual(before);
    const error = await failure(client().createNamespacedPodBinding({ namespace: "default", name: "db-0", body: binding("db-0", "node-b"), dryRun: "All" }));
    expect(error.status).toBe(409);
  });

  it("serves pod and node reads through the generated routes: typed lists and objects, 404 as the apiserver words it", async () => {
    const pods = await client().listPodForAllNamespaces({ fieldSelector: "spec.nodeName=" });
    expect(pods.body.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2", "web-3"]);
    expect(pods.body).toMatchObject({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion } });
    expect((await client().listNode({})).body.items.map((node) => node.metadata?.name)).toEqual(["node-a", "node-b"]);
    expect((await client().readNode({ name: "node-a" })).body.status?.conditions).toEqual([{ type: "Ready", status: "True" }]);
    const missing = await failure(client().readNamespacedPod({ namespace: "default", name: "ghost" }));
    expect(missing).toMatchObject({ status: 404, statusObject: { message: 'pods "ghost" not found' } });
  });

  it("answers 501 for what the example does not model (writes other than bindings, watches), as its handlers file was generated", async () => {
    expect(await failure(client().deleteNamespacedPod({ namespace: "default", name: "web-1" }))).toMatchObject({ status: 501, reason: "NotImplemented", message: expect.stringContaining("deleteNamespacedPod is not implemented yet") });
    expect(await failure(client().watchNamespacedPod({ namespace: "default" })[Symbol.asyncIterator]().next())).toMatchObject({ status: 501, statusObject: { message: "watch is not implemented by this example server" } });
    expect(store.pod("default", "web-1")).toBeDefined();
  });

  it("answers 401 without the token, on bindings and reads alike", async () => {
    const anonymous = createClient({ baseUrl });
    expect(await failure(anonymous.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: binding("web-1", "node-a") }))).toMatchObject({ status: 401 });
    expect((await fetch(`${baseUrl}/api/v1/namespaces/default/pods/web-1`)).status).toBe(401);
  });
});

describe("example server, through @kubernetes/client-node 1.4.0", () => {
  const official = () => {
    const config = new KubeConfig();
    config.loadFromClusterAndUser({ name: "example", server: baseUrl, skipTLSVerify: true }, { name: "scheduler", token: "example-token" });
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
    expect(byName["pods"]?.verbs).toEqual(["get", "list"]);
    expect((await official().makeApiClient(ApisApi).getAPIVersions()).groups).toEqual([]);
    expect((await official().makeApiClient(VersionApi).getCode()).major).toBe("1");
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
