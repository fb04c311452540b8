import { describe, expect, it } from "vitest";
import { type HandlerContext, type NodeRequestLike, type RouteTable, createFetchHandler, createRequestListener } from "../../src/runtime/server.js";

/**
 * One canonical request (issue 14 item 2): the path is read once, the same way by createFetchHandler and
 * createRequestListener, and authenticate, authorize and the handler see the same decoded operation,
 * namespace and name.
 */
const table: RouteTable = {
  authHeader: "authorization",
  kinds: [
    { group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" },
    { group: "", version: "v1", kind: "Binding", type: "Binding", names: "subdomain" },
  ],
  query: {},
  operations: {
    readPod: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "readCoreV1NamespacedPod", action: "get", kind: 0, query: [], status: 200 },
    listPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "list", kind: 0, query: [], status: 200 },
    createPodBinding: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods/{name}/binding", operationId: "createCoreV1NamespacedPodBinding", action: "post", kind: 1, query: [], body: { type: "Binding", required: true }, status: 201 },
  },
  shapes: { Binding: { t: "object", p: { target: { t: "object", p: { name: { t: "string" } } } } }, Pod: { t: "object" } },
};

type Seen = { hook: string; operation?: string | undefined; namespace: string; name: string };

/** Handlers and hooks that record what each saw; authenticate refuses anything in kube-system. */
function recorder() {
  const seen: Seen[] = [];
  const handler = (name: string) => (input: { params: Record<string, string> }, context: HandlerContext) => {
    seen.push({ hook: "handler", operation: name, namespace: input.params["namespace"] ?? "", name: input.params["name"] ?? "" });
    void context;
    return { body: { kind: "Status", apiVersion: "v1", status: "Success" } };
  };
  const handlers = { readPod: handler("readPod"), listPods: handler("listPods"), createPodBinding: handler("createPodBinding") };
  const options = {
    authenticate: (_token: string | undefined, request: { operationId: string | undefined; namespace: string; name: string }) => {
      seen.push({ hook: "authenticate", operation: request.operationId, namespace: request.namespace, name: request.name });
      return request.namespace === "kube-system" ? false : { name: "alice" };
    },
    authorize: (_user: unknown, attributes: { namespace: string; name: string }) => {
      seen.push({ hook: "authorize", namespace: attributes.namespace, name: attributes.name });
      return true;
    },
  };
  return { seen, handlers, options };
}

async function viaFetch(url: string, method = "GET", body?: string) {
  const { seen, handlers, options } = recorder();
  // A Request-like object keeps the target as sent; `new Request(url)` would resolve its dot segments.
  const request = { url: `http://k8s.test${url}`, method, headers: new Headers({ "content-type": "application/json" }), body: body === undefined ? null : new Blob([body]).stream() } as unknown as Request;
  const response = await createFetchHandler(table, handlers, options)(request);
  return { status: response.status, seen };
}

function viaListener(url: string, method = "GET", body?: string) {
  const { seen, handlers, options } = recorder();
  const request: NodeRequestLike = {
    method,
    url,
    headers: body === undefined ? {} : { "content-type": "application/json", "content-length": String(body.length) },
    async *[Symbol.asyncIterator]() {
      if (body !== undefined) yield body;
    },
  };
  return new Promise<{ status: number; seen: Seen[] }>((resolve) => {
    const response = { statusCode: 0, setHeader: () => undefined, end: () => resolve({ status: response.statusCode, seen }) };
    createRequestListener(table, handlers, options)(request, response);
  });
}

const entryPoints = [
  ["createFetchHandler", viaFetch],
  ["createRequestListener", viaListener],
] as const;

describe.each(entryPoints)("%s: one canonical request", (_name, serve) => {
  // Regression (issue 14: "a hook that denies kube-system is bypassed by percent-encoding").
  it("hands authenticate the decoded namespace: kube-sy%73tem is kube-system, and is refused", async () => {
    const answer = await serve("/api/v1/namespaces/kube-sy%73tem/pods/web-1");
    expect(answer.status).toBe(401);
    expect(answer.seen).toEqual([{ hook: "authenticate", operation: "readCoreV1NamespacedPod", namespace: "kube-system", name: "web-1" }]);
  });

  it("authenticate, authorize and the handler see the same decoded namespace and name", async () => {
    const answer = await serve("/api/v1/namespaces/te%61m-a/pods/w%65b-1");
    expect(answer.status).toBe(200);
    expect(answer.seen).toEqual([
      { hook: "authenticate", operation: "readCoreV1NamespacedPod", namespace: "team-a", name: "web-1" },
      { hook: "authorize", namespace: "team-a", name: "web-1" },
      { hook: "handler", operation: "readPod", namespace: "team-a", name: "web-1" },
    ]);
  });

  // Regression (issue 14: "createFetchHandler resolves %2e%2e through new URL: /pods/web-1/x/%2e%2e/binding is served as web-1").
  it.each([
    ["%2e%2e", "/api/v1/namespaces/team-a/pods/web-1/x/%2e%2e/binding"],
    ["%2E%2E", "/api/v1/namespaces/team-a/pods/web-1/x/%2E%2E/binding"],
    [".%2e", "/api/v1/namespaces/team-a/pods/web-1/x/.%2e/binding"],
    ["..", "/api/v1/namespaces/team-a/pods/web-1/x/../binding"],
  ])("never resolves a %s segment: no route has it, no handler runs", async (_segment, url) => {
    const answer = await serve(url, "POST", '{"target":{"name":"node-a"}}');
    expect(answer.status).toBe(404);
    expect(answer.seen.filter((s) => s.hook === "handler")).toEqual([]);
  });

  it("refuses a name of an encoded .. with 400, after authenticate", async () => {
    const answer = await serve("/api/v1/namespaces/team-a/pods/%2e%2e", "GET");
    expect(answer.status).toBe(400);
    expect(answer.seen.map((s) => s.hook)).toEqual(["authenticate", "authorize"]);
  });
});

describe("createFetchHandler with a Request made by new Request(url)", () => {
  it("gets the URL with its dot segments already resolved by the URL parser (documented: refuse them where the Request is made)", () => {
    expect(new Request("http://k8s.test/api/v1/namespaces/team-a/pods/web-1/x/%2e%2e/binding").url).toBe("http://k8s.test/api/v1/namespaces/team-a/pods/web-1/binding");
  });
});
