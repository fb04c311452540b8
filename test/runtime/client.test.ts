import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/runtime/api-error.js";
import { type ApiResponse, type ClientOptions, type ClientTable, createClient, requestSpec, segment } from "../../src/runtime/client.js";
import { patchMediaType } from "../../src/runtime/patch.js";

const table: ClientTable = {
  authHeader: "authorization",
  query: { dryRun: { type: "string", enum: ["All"] }, watch: { type: "boolean" }, limit: { type: "integer" }, labelSelector: { type: "string" } },
  operations: {
    listPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "list", kind: 0, query: ["labelSelector", "watch", "limit"], status: 200 },
    createPodBinding: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods/{name}/binding", operationId: "createCoreV1NamespacedPodBinding", action: "post", kind: 0, query: ["dryRun"], body: { type: "Binding", required: true }, status: 201 },
    patchPod: { method: "PATCH", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "patchCoreV1NamespacedPod", action: "patch", kind: 0, query: [], body: { type: "Patch", required: true, contentTypes: ["application/merge-patch+json", "application/json-patch+json"] }, status: 200 },
    deletePod: { method: "DELETE", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "deleteCoreV1NamespacedPod", action: "delete", kind: 0, query: [], body: { type: "DeleteOptions", required: false }, status: 200 },
    proxyNode: { method: "GET", path: "/api/v1/nodes/{name}/proxy/{path}", operationId: "connectCoreV1GetNodeProxyWithPath", action: "connect", kind: 0, query: [{ name: "path", key: "pathQuery" }], status: 200 },
    readVersion: { method: "GET", path: "/version", operationId: "getCodeVersion", action: "get", kind: 0, query: [], status: 200 },
    readLog: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods/{name}/log", operationId: "readCoreV1NamespacedPodLog", action: "get", kind: 0, query: [], status: 200, answer: "text" },
  },
};
const op = (name: string) => table.operations[name]!;

type Call = (params?: Record<string, unknown>, init?: RequestInit) => Promise<ApiResponse<unknown>>;
type Client = Record<string, Call>;

/** A client whose fetch records each request and answers with `answer` (default: 200 `{}`). */
function fakeClient(options: Partial<ClientOptions> = {}, answer: (url: string, init: RequestInit, attempt: number) => Response | Promise<Response> = () => Response.json({})) {
  const requests: Array<{ url: string; init: RequestInit; headers: Record<string, string> }> = [];
  const fetch = async (url: string, init: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    requests.push({ url, init, headers });
    return answer(url, init, requests.length);
  };
  const client = createClient<Client>(table, { baseUrl: "https://k8s.test:6443", fetch, ...options }, { patchMediaType });
  return { client, requests };
}

/** The ApiError a call fails with. */
async function failure(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the call to fail");
}

/** A fetch that never answers, and rejects with the signal's reason once it aborts (at once if it already has), as fetch does. */
function hang(init: RequestInit): Promise<Response> {
  const signal = init.signal!;
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason));
  });
}

const BINDING = { metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const BIND = { namespace: "default", name: "web-1", body: BINDING };

describe("requestSpec", () => {
  it.each([
    ["path parameters in place, query parameters in the operation's order", "listPods", { namespace: "a", limit: 5, watch: true }, { method: "GET", path: "/api/v1/namespaces/a/pods", query: [["labelSelector", undefined], ["watch", true], ["limit", 5]] }],
    ["an operation without parameters", "readVersion", {}, { method: "GET", path: "/version", query: [] }],
    ["a body with the JSON content type", "createPodBinding", { namespace: "a", name: "b", body: BINDING, dryRun: "All" }, { method: "POST", path: "/api/v1/namespaces/a/pods/b/binding", query: [["dryRun", "All"]], body: BINDING, contentType: "application/json" }],
    ["a patch with its first media type by default", "patchPod", { namespace: "a", name: "b", body: { spec: {} } }, { method: "PATCH", path: "/api/v1/namespaces/a/pods/b", query: [], body: { spec: {} }, contentType: "application/merge-patch+json" }],
    ["a patch with the media type of the patch type the call names", "patchPod", { namespace: "a", name: "b", body: [], patchType: "json" }, { method: "PATCH", path: "/api/v1/namespaces/a/pods/b", query: [], body: [], contentType: "application/json-patch+json" }],
    ["an optional body left out", "deletePod", { namespace: "a", name: "b" }, { method: "DELETE", path: "/api/v1/namespaces/a/pods/b", query: [], body: undefined, contentType: "application/json" }],
    ["a query parameter read from its own key beside a path parameter of the same wire name", "proxyNode", { name: "n", path: "logs/kubelet.log", pathQuery: "q" }, { method: "GET", path: "/api/v1/nodes/n/proxy/logs%2Fkubelet.log", query: [["path", "q"]] }],
  ])("gives %s", (_name, operation, params, want) => {
    expect(requestSpec(op(operation), params, table, patchMediaType)).toStrictEqual(want);
  });

  it.each([
    ["a b", "a%20b"],
    ["a/b", "a%2Fb"],
    ["ü", "%C3%BC"],
    ["a?b#c", "a%3Fb%23c"],
    ["%2F", "%252F"],
    ["...", "..."],
    [0, "0"],
  ])("encodes the name %j as %s", (name, want) => {
    expect(requestSpec(op("patchPod"), { namespace: "a", name }, table, patchMediaType).path).toBe(`/api/v1/namespaces/a/pods/${want}`);
  });

  it.each([[""], ["."], [".."], [undefined], [null]])("refuses the name %j with an ApiError of status 0, before anything is sent", (name) => {
    let error: unknown;
    try {
      requestSpec(op("patchPod"), { namespace: "a", name }, table, patchMediaType);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, message: 'name must be a non-empty name other than "." and ".."' });
  });

  it("reads only the call's own params, never inherited ones", () => {
    const params = Object.create({ namespace: "inherited", limit: 1 }) as Record<string, unknown>;
    expect(() => requestSpec(op("listPods"), params, table)).toThrow('namespace must be a non-empty name other than "." and ".."');
    expect(requestSpec(op("listPods"), Object.assign(Object.create({ limit: 1 }), { namespace: "a" }), table).query).toEqual([["labelSelector", undefined], ["watch", undefined], ["limit", undefined]]);
  });
});

describe("features an output brings only when its operations need them", () => {
  it("a table with a patch needs patchMediaType, and one with a watch needs the streams: an internal error, not a silent request", () => {
    expect(() => requestSpec(op("patchPod"), { namespace: "a", name: "b", body: {} }, table)).toThrow("internal error: patchCoreV1NamespacedPod takes patches, and the client has none");
    const watching: ClientTable = { ...table, operations: { watchPods: { ...op("listPods"), answer: "watch" } } };
    expect(() => createClient(watching, { baseUrl: "https://k8s.test" })).toThrow("internal error: watchPods is a watch, and the client has no streams");
  });
});

describe("segment", () => {
  it("encodes a value and names the parameter it refuses", () => {
    expect(segment("a:b", "name")).toBe("a%3Ab");
    expect(() => segment(".", "namespace")).toThrow('namespace must be a non-empty name other than "." and ".."');
  });
});

describe("createClient: the request", () => {
  it.each([
    ["https://k8s.test:6443", "https://k8s.test:6443/version"],
    ["https://k8s.test:6443/", "https://k8s.test:6443/version"],
    ["https://rancher.test/k8s/clusters/c-1", "https://rancher.test/k8s/clusters/c-1/version"],
    ["https://rancher.test/k8s/clusters/c-1///", "https://rancher.test/k8s/clusters/c-1/version"],
    [new URL("https://k8s.test"), "https://k8s.test/version"],
  ])("joins the base URL %s and the path: %s", async (baseUrl, want) => {
    const { client, requests } = fakeClient({ baseUrl });
    await client["readVersion"]!();
    expect(requests.map((r) => r.url)).toEqual([want]);
  });

  it("writes the query parameters that are set (and no ? when none is), by wire name, form-encoded", async () => {
    const { client, requests } = fakeClient();
    await client["listPods"]!({ namespace: "a", labelSelector: "app=web,tier in (a,b)", watch: false, limit: 0 });
    await client["proxyNode"]!({ name: "n", path: "p", pathQuery: "q r" });
    await client["listPods"]!({ namespace: "a", limit: 1, watch: undefined });
    await client["listPods"]!({ namespace: "a" });
    expect(requests.map((r) => r.url)).toEqual([
      "https://k8s.test:6443/api/v1/namespaces/a/pods?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&watch=false&limit=0",
      "https://k8s.test:6443/api/v1/nodes/n/proxy/p?path=q+r",
      "https://k8s.test:6443/api/v1/namespaces/a/pods?limit=1",
      "https://k8s.test:6443/api/v1/namespaces/a/pods",
    ]);
  });

  it("sends the method, Accept, and a JSON body with its content type", async () => {
    const { client, requests } = fakeClient();
    await client["createPodBinding"]!(BIND);
    await client["listPods"]!({ namespace: "a" });
    expect(requests.map((r) => [r.init.method, r.headers, r.init.body])).toEqual([
      ["POST", { accept: "application/json", "content-type": "application/json" }, JSON.stringify(BINDING)],
      ["GET", { accept: "application/json" }, null],
    ]);
  });

  it("sends a patch with the media type of its patch type", async () => {
    const { client, requests } = fakeClient();
    await client["patchPod"]!({ namespace: "a", name: "b", body: [{ op: "remove", path: "/x" }], patchType: "json" });
    expect(requests[0]!.headers["content-type"]).toBe("application/json-patch+json");
  });

  it.each([["strategic-merge"], ["apply"], ["yaml"], [""]])("refuses the patch type %j the operation does not take, naming those it takes, before anything is sent", async (patchType) => {
    const { client, requests } = fakeClient();
    const error = await failure(client["patchPod"]!({ namespace: "a", name: "b", body: {}, patchType }));
    expect(error).toMatchObject({ status: 0, message: `PATCH /api/v1/namespaces/a/pods/b: patchType ${JSON.stringify(patchType)} is not one this operation takes (json, merge)` });
    expect(requests).toEqual([]);
  });

  it("reads a text answer as the text it is, and asks for text", async () => {
    const { client, requests } = fakeClient({}, () => new Response("line 1\n{not json\n", { headers: { "content-type": "text/plain" } }));
    expect((await client["readLog"]!({ namespace: "a", name: "b" })).body).toBe("line 1\n{not json\n");
    expect(requests[0]!.headers["accept"]).toBe("text/plain, application/json");
  });

  it("reads a text answer sent as a JSON string (a server that encodes it) as the string", async () => {
    const { client } = fakeClient({}, () => Response.json("hello\n"));
    expect((await client["readLog"]!({ namespace: "a", name: "b" })).body).toBe("hello\n");
  });

  it.each([
    ["a string token", { token: "s3cret" }, "Bearer s3cret"],
    ["a token function", { token: () => "from-fn" }, "Bearer from-fn"],
    ["an async token function", { token: async () => "from-async" }, "Bearer from-async"],
    ["an empty token (none sent)", { token: "" }, undefined],
    ["no token", {}, undefined],
  ])("authorizes with %s", async (_name, options, want) => {
    const { client, requests } = fakeClient(options);
    await client["readVersion"]!();
    expect(requests[0]!.headers["authorization"]).toBe(want);
  });

  it("asks a token function again for every request, so a rotated token is used at once", async () => {
    let n = 0;
    const { client, requests } = fakeClient({ token: () => `t${++n}` });
    await client["readVersion"]!();
    await client["readVersion"]!();
    expect(requests.map((r) => r.headers["authorization"])).toEqual(["Bearer t1", "Bearer t2"]);
  });

  it("sends the client's headers, and lets the call's own headers win over everything", async () => {
    const { client, requests } = fakeClient({ token: "t", headers: { "x-team": "a", "user-agent": "sched/1" } });
    await client["createPodBinding"]!(BIND, { headers: { "X-Team": "b", authorization: "Bearer other", accept: "application/yaml" } });
    expect(requests[0]!.headers).toEqual({ accept: "application/yaml", authorization: "Bearer other", "content-type": "application/json", "user-agent": "sched/1", "x-team": "b" });
  });

  it("keeps the call's method, not one in init", async () => {
    const { client, requests } = fakeClient();
    await client["readVersion"]!({}, { method: "DELETE" });
    expect(requests[0]!.init.method).toBe("GET");
  });

  it.each([
    ["the default timeout", {}, true],
    ["timeoutMs: 0 (wait forever)", { timeoutMs: 0 }, false],
  ])("passes a signal with %s: %s", async (_name, options, hasSignal) => {
    const { client, requests } = fakeClient(options);
    await client["readVersion"]!();
    expect(requests[0]!.init.signal instanceof AbortSignal).toBe(hasSignal);
  });

  it("keeps an operation named __proto__ as an operation", async () => {
    const proto: ClientTable = { ...table, operations: { ["__proto__"]: op("readVersion") } };
    const fetch = async () => Response.json({ ok: true });
    const client = createClient<Record<string, Call>>(proto, { baseUrl: "https://k8s.test", fetch });
    expect(Object.hasOwn(client, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(client)).toBe(Object.prototype);
    await expect(client["__proto__"]!()).resolves.toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe("createClient: the answer", () => {
  it("gives the status, the parsed body and the headers of a success", async () => {
    const { client } = fakeClient({}, () => Response.json({ kind: "Status", status: "Success", code: 201 }, { status: 201, headers: { "x-a": "1" } }));
    const answer = await client["createPodBinding"]!(BIND);
    expect([answer.status, answer.body, answer.headers.get("x-a")]).toEqual([201, { kind: "Status", status: "Success", code: 201 }, "1"]);
  });

  it("gives an undefined body for an empty success", async () => {
    const { client } = fakeClient({}, () => new Response(null, { status: 204 }));
    expect(await client["readVersion"]!()).toMatchObject({ status: 204, body: undefined });
  });

  const CONFLICT = { kind: "Status", apiVersion: "v1", status: "Failure", message: 'pods "web-1" is already assigned to node "node-b"', reason: "Conflict", code: 409 };

  it.each([
    ["a Status", 409, JSON.stringify(CONFLICT), 'POST /api/v1/namespaces/default/pods/web-1/binding: 409 Conflict: pods "web-1" is already assigned to node "node-b"', { statusObject: CONFLICT, reason: "Conflict", body: undefined }],
    ["a Status without a reason", 500, '{"kind":"Status","message":"etcd is down"}', "POST /api/v1/namespaces/default/pods/web-1/binding: 500: etcd is down", { statusObject: { kind: "Status", message: "etcd is down" }, reason: undefined, body: undefined }],
    ["JSON that is not a Status", 500, '{"error":"x"}', 'POST /api/v1/namespaces/default/pods/web-1/binding: 500: {"error":"x"}', { statusObject: undefined, reason: undefined, body: '{"error":"x"}' }],
    ["a long text, cut to 200 characters", 502, `<html>${"x".repeat(300)}</html>`, `POST /api/v1/namespaces/default/pods/web-1/binding: 502: <html>${"x".repeat(194)}...`, { statusObject: undefined, body: `<html>${"x".repeat(300)}</html>` }],
    ["an empty body", 503, "", "POST /api/v1/namespaces/default/pods/web-1/binding: 503", { statusObject: undefined, body: "" }],
  ])("fails on an error answer holding %s with an ApiError that keeps it", async (_name, status, text, message, fields) => {
    const { client } = fakeClient({}, () => new Response(text, { status, headers: { "retry-after": "1" } }));
    const error = await failure(client["createPodBinding"]!(BIND));
    expect(error).toMatchObject({ name: "ApiError", message, status, attempts: 1, ...fields });
    expect(error.headers?.get("retry-after")).toBe("1");
  });

  it.each([
    ["with its content type", () => new Response("<html>login</html>", { headers: { "content-type": "text/html" } }), "GET /version: the 200 answer is not JSON (text/html): <html>login</html>", "<html>login</html>"],
    ["without a content type", () => new Response(new TextEncoder().encode("OK")), "GET /version: the 200 answer is not JSON (no Content-Type): OK", "OK"],
  ])("fails on a success that is not JSON, %s", async (_name, response, message, body) => {
    const { client } = fakeClient({}, response);
    expect(await failure(client["readVersion"]!())).toMatchObject({ message, status: 200, body });
  });

  it("fails with status 0 when the answer is cut off mid-body, keeping its headers", async () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"kind":'));
        controller.error(reset);
      },
    });
    const { client } = fakeClient({}, () => new Response(body, { status: 201, headers: { "x-a": "1" } }));
    const error = await failure(client["createPodBinding"]!(BIND));
    expect(error).toMatchObject({ status: 0, message: "POST /api/v1/namespaces/default/pods/web-1/binding: the 201 answer was cut off: connection reset by the server (ECONNRESET)", cause: reset });
    expect(error.headers?.get("x-a")).toBe("1");
  });

  it("fails with status 0 when no answer arrives, saying why", async () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }) });
    const { client } = fakeClient({}, () => Promise.reject(refused));
    expect(await failure(client["readVersion"]!())).toMatchObject({ status: 0, message: "GET /version: connection refused (ECONNREFUSED)", cause: refused, headers: undefined });
  });

  it("gives up on an attempt after timeoutMs", async () => {
    const { client } = fakeClient({ timeoutMs: 20 }, (_url, init) => hang(init));
    expect(await failure(client["readVersion"]!())).toMatchObject({ status: 0, message: "GET /version: no answer within 20 ms" });
  });

  it("says the caller aborted", async () => {
    const controller = new AbortController();
    const { client } = fakeClient({}, (_url, init) => hang(init));
    const call = client["readVersion"]!({}, { signal: controller.signal });
    controller.abort();
    expect(await failure(call)).toMatchObject({ status: 0, message: "GET /version: aborted" });
  });
});

describe("createClient: retries", () => {
  const retry = { retries: 2, baseDelayMs: 1, maxDelayMs: 1 };
  const answers = (...statuses: number[]) => (_url: string, _init: RequestInit, attempt: number) => Response.json({ kind: "Status", reason: "Busy", message: "try later", code: statuses[attempt - 1] }, { status: statuses[attempt - 1] ?? 599 });

  it("retries a GET on 503 and answers with the first success", async () => {
    const { client, requests } = fakeClient({ retry }, answers(503, 429, 200));
    expect(await client["readVersion"]!()).toMatchObject({ status: 200 });
    expect(requests).toHaveLength(3);
  });

  it("gives up after the retries, saying how many attempts it made", async () => {
    const { client, requests } = fakeClient({ retry }, answers(503, 503, 503, 200));
    const error = await failure(client["readVersion"]!());
    expect([error.status, error.attempts, error.message, requests.length]).toEqual([503, 3, "GET /version: 503 Busy: try later (after 3 attempts)", 3]);
  });

  it.each([
    ["a 409", [409, 200]],
    ["a 500", [500, 200]],
  ])("does not retry %s", async (_name, statuses) => {
    const { client, requests } = fakeClient({ retry }, answers(...statuses));
    expect((await failure(client["readVersion"]!())).attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it("retries an attempt that timed out", async () => {
    const { client, requests } = fakeClient({ retry, timeoutMs: 20 }, (_url, init, attempt) =>
      attempt === 1 ? hang(init) : Response.json({}),
    );
    expect(await client["readVersion"]!()).toMatchObject({ status: 200 });
    expect(requests).toHaveLength(2);
  });

  it("never retries an attempt the caller aborted, whatever the abort's reason", async () => {
    const controller = new AbortController();
    const { client, requests } = fakeClient({ retry }, (_url, init) => hang(init));
    const call = client["readVersion"]!({}, { signal: controller.signal });
    controller.abort(new Error("shutting down"));
    expect(await failure(call)).toMatchObject({ status: 0, attempts: 1, message: "GET /version: request failed (shutting down)" });
    expect(requests).toHaveLength(1);
  });

  it("retries a POST only with nonIdempotent", async () => {
    const once = fakeClient({ retry }, answers(503, 201));
    const again = fakeClient({ retry: { ...retry, nonIdempotent: true } }, answers(503, 201));
    await expect(once.client["createPodBinding"]!(BIND)).rejects.toMatchObject({ status: 503 });
    await expect(again.client["createPodBinding"]!(BIND)).resolves.toMatchObject({ status: 201 });
    expect([once.requests.length, again.requests.length]).toEqual([1, 2]);
    expect(again.requests.map((r) => r.init.body)).toEqual([JSON.stringify(BINDING), JSON.stringify(BINDING)]);
  });
});

describe("createClient: maxResponseBytes", () => {
  /** A pod as the apiserver writes it in a list (compact JSON): a Deployment's pod, with managed fields and status. */
  const realisticPod = (i: number) => ({
    metadata: {
      name: `web-7d9c8b6f5-${String(i).padStart(5, "x")}`, generateName: "web-7d9c8b6f5-", namespace: "default", uid: "8d3f6a7e-5c1b-4b7e-9f3a-2d4c6e8a0b1c", resourceVersion: String(100000 + i), creationTimestamp: "2024-05-01T10:00:00Z",
      labels: { app: "web", "pod-template-hash": "7d9c8b6f5", "app.kubernetes.io/part-of": "shop" },
      annotations: { "kubectl.kubernetes.io/restartedAt": "2024-05-01T09:59:00Z", "prometheus.io/scrape": "true" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9c8b6f5", uid: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", controller: true, blockOwnerDeletion: true }],
      managedFields: [
        { manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", time: "2024-05-01T10:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:generateName": {}, "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {} }, "f:ownerReferences": { ".": {}, 'k:{"uid":"1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}': {} } }, "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:ports": { ".": {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} } }, "f:resources": { ".": {}, "f:limits": { ".": {}, "f:memory": {} }, "f:requests": { ".": {}, "f:cpu": {}, "f:memory": {} } }, "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {} } }, "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {}, "f:terminationGracePeriodSeconds": {} } } },
        { manager: "kubelet", operation: "Update", apiVersion: "v1", time: "2024-05-01T10:00:05Z", fieldsType: "FieldsV1", subresource: "status", fieldsV1: { "f:status": { "f:conditions": { 'k:{"type":"ContainersReady"}': { ".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {} }, 'k:{"type":"Initialized"}': { ".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {} }, 'k:{"type":"Ready"}': { ".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {} } }, "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:podIPs": { ".": {}, 'k:{"ip":"10.244.1.7"}': { ".": {}, "f:ip": {} } }, "f:startTime": {} } } },
      ],
    },
    spec: {
      volumes: [{ name: "kube-api-access-abcde", projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }, { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } }, { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } }], defaultMode: 420 } }],
      containers: [{ name: "web", image: "registry.example.com/shop/web:1.42.0", ports: [{ containerPort: 8080, protocol: "TCP" }], resources: { limits: { memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } }, volumeMounts: [{ name: "kube-api-access-abcde", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }], terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: "IfNotPresent" }],
      restartPolicy: "Always", terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst", serviceAccountName: "default", serviceAccount: "default", nodeName: `node-${i % 500}`, securityContext: {}, schedulerName: "default-scheduler",
      tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }, { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
      priority: 0, enableServiceLinks: true, preemptionPolicy: "PreemptLowerPriority",
    },
    status: {
      phase: "Running",
      conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: "2024-05-01T10:00:05Z" })),
      hostIP: "172.18.0.3", hostIPs: [{ ip: "172.18.0.3" }], podIP: "10.244.1.7", podIPs: [{ ip: "10.244.1.7" }], startTime: "2024-05-01T10:00:00Z",
      containerStatuses: [{ name: "web", state: { running: { startedAt: "2024-05-01T10:00:04Z" } }, lastState: {}, ready: true, restartCount: 0, image: "registry.example.com/shop/web:1.42.0", imageID: "registry.example.com/shop/web@sha256:3f1c8f2e7a9b4d6c5e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7", containerID: "containerd://9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b", started: true }],
      qosClass: "Burstable",
    },
  });

  it("reads a PodList of 10,000 pods (about 5 KiB each, as the apiserver writes them) with the default limit", async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(realisticPod(i)));
    const podBytes = items[0]!.length;
    const text = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"200000"},"items":[${items.join(",")}]}`;
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65536) controller.enqueue(bytes.subarray(at, at + 65536));
        controller.close();
      },
    });
    const { client } = fakeClient({}, () => new Response(body, { headers: { "content-type": "application/json" } }));
    const answer = (await client["listPods"]!({ namespace: "default" })) as ApiResponse<{ items: unknown[] }>;
    expect(answer.body.items).toHaveLength(10_000);
    // The default (256 MiB) holds some 50,000 such pods: what the README promises.
    expect([podBytes > 4 * 1024 && podBytes < 6 * 1024, Math.floor((256 * 1024 * 1024) / podBytes) > 45_000]).toEqual([true, true]);
  });

  it("fails a larger answer with the HTTP status, the headers and no body, and does not retry it", async () => {
    const { client, requests } = fakeClient({ maxResponseBytes: 10, retry: { retries: 2, baseDelayMs: 1 } }, () => new Response("[1,2,3,4,5,6]", { status: 200, headers: { "x-a": "1" } }));
    const error = await failure(client["readVersion"]!());
    expect(error).toMatchObject({ status: 200, body: undefined, attempts: 1, message: "GET /version: the 200 answer is larger than maxResponseBytes (10 bytes); page a long list with limit and continue, or raise the limit" });
    expect([error.headers?.get("x-a"), requests.length]).toEqual(["1", 1]);
  });
});
