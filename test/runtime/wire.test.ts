import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { serveDiscovery } from "../../src/runtime/discovery.js";
import { OPENAPI_V2_PROTOBUF } from "../../src/runtime/openapi-proto.js";
import { type DiscoveryDocument, type RouteOptions, type RouteTable, createFetchHandler } from "../../src/runtime/server.js";

/**
 * What kube-apiserver does on the wire besides checking input: content negotiation, authorization,
 * Table answers and discovery, on a small table of pods (with a binding), an RBAC role and a policy eviction.
 */
const table: RouteTable = {
  authHeader: "authorization",
  kinds: [
    { group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" },
    { group: "", version: "v1", kind: "Binding", type: "Binding", names: "subdomain" },
    { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", type: "Role", names: "segment" },
    { group: "policy", version: "v1", kind: "Eviction", type: "Eviction", names: "subdomain" },
    { group: "rbac.authorization.k8s.io", version: "v1beta1", kind: "Role", type: "Role", names: "segment" },
  ],
  query: {},
  operations: {
    listPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "list", kind: 0, query: [], status: 200 },
    readPod: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "readCoreV1NamespacedPod", action: "get", kind: 0, query: [], status: 200 },
    watchPods: { method: "GET", path: "/api/v1/watch/namespaces/{namespace}/pods", operationId: "watchCoreV1NamespacedPodList", action: "watchlist", kind: 0, query: [], status: 200 },
    createPodBinding: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods/{name}/binding", operationId: "createCoreV1NamespacedPodBinding", action: "post", kind: 1, query: [], body: { type: "Binding", required: true }, status: 201 },
    createEviction: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods/{name}/eviction", operationId: "createCoreV1NamespacedPodEviction", action: "post", kind: 3, query: [], body: { type: "Eviction", required: true }, status: 201 },
    readRole: { method: "GET", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}", operationId: "readRbacAuthorizationV1NamespacedRole", action: "get", kind: 2, query: [], status: 200 },
    deleteRoles: { method: "DELETE", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles", operationId: "deleteRbacAuthorizationV1CollectionNamespacedRole", action: "deletecollection", kind: 2, query: [], status: 200 },
    readOldRole: { method: "GET", path: "/apis/rbac.authorization.k8s.io/v1beta1/namespaces/{namespace}/roles/{name}", operationId: "readRbacAuthorizationV1beta1NamespacedRole", action: "get", kind: 4, query: [], status: 200 },
  },
  shapes: {
    Binding: { t: "object", q: ["target"], p: { apiVersion: { t: "string" }, kind: { t: "string" }, metadata: { t: "ref", r: "ObjectMeta" }, target: { t: "object", p: { name: { t: "string" } } } } },
    Eviction: { t: "object", p: { metadata: { t: "ref", r: "ObjectMeta" } } },
    ObjectMeta: { t: "object", p: { name: { t: "string" }, namespace: { t: "string" }, finalizers: { t: "array", i: { t: "string" } } } },
  },
  columnText: { name: "The object's name.", creationTimestamp: "When the object was made." },
};

const POD = (name: string, node?: string) => ({ metadata: { name, namespace: "team-a", resourceVersion: "7", creationTimestamp: "2026-01-01T00:00:00Z" }, spec: { ...(node && { nodeName: node }) } });
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const BINDING = { metadata: { name: "web-1" }, target: { name: "node-a" } };

function handlers(seen: unknown[] = []) {
  return {
    listPods: () => ({ body: { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "9", continue: "" }, items: [POD("web-1", "node-a"), POD("web-2")] } }),
    readPod: ({ params }: { params: { name: string } }) => ({ body: { kind: "Pod", apiVersion: "v1", ...POD(params.name) } }),
    createPodBinding: (input: unknown, context: unknown) => (seen.push({ input, context }), { status: 201, body: SUCCESS }),
    readRole: () => ({ body: { kind: "Role", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "r" } } }),
  };
}

async function send(handle: (request: Request) => Promise<Response>, path: string, init: { method?: string; body?: string | ReadableStream<Uint8Array>; headers?: Record<string, string> } = {}) {
  const request = new Request(`http://k8s.test${path}`, { method: init.method ?? "GET", headers: init.headers ?? {}, ...(init.body !== undefined && { body: init.body, duplex: "half" }) } as RequestInit);
  const response = await handle(request);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // YAML or protobuf: kept as text; bytes below.
  }
  return { status: response.status, type: response.headers.get("content-type"), text, bytes, body };
}

const serve = (options: RouteOptions = {}, seen: unknown[] = []) => createFetchHandler(table, handlers(seen), options);
const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of [text.slice(0, 10), text.slice(10)]) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe("request bodies, as kube-apiserver decodes them", () => {
  it("decodes a body sent without Content-Type, in chunks, as JSON (kubectl create --raw)", async () => {
    const seen: any[] = [];
    const answer = await send(serve({}, seen), "/api/v1/namespaces/team-a/pods/web-1/binding", { method: "POST", body: chunked(JSON.stringify(BINDING)) });
    expect(answer).toMatchObject({ status: 201, body: SUCCESS });
    expect(seen[0].input.body).toEqual(BINDING);
  });

  it("decodes application/yaml with the parser given as parseYaml, and checks it like JSON", async () => {
    const seen: any[] = [];
    const yaml = "metadata:\n  name: web-1\ntarget:\n  name: node-a\n";
    const answer = await send(serve({ parseYaml: parse }, seen), "/api/v1/namespaces/team-a/pods/web-1/binding", { method: "POST", body: yaml, headers: { "content-type": "application/yaml" } });
    expect(answer.status).toBe(201);
    expect(seen[0].input.body).toEqual(BINDING);
    const invalid = await send(serve({ parseYaml: parse }), "/api/v1/namespaces/team-a/pods/web-1/binding", { method: "POST", body: "metadata:\n  name: web-1\n", headers: { "content-type": "application/yaml" } });
    expect(invalid.body).toMatchObject({ code: 422, reason: "Invalid", details: { causes: [{ field: "target" }] } });
  });

  it.each([
    ["YAML without parseYaml", "application/yaml", {}, "application/json"],
    ["text", "text/plain", { parseYaml: parse }, "application/json, application/yaml"],
    ["protobuf", "application/vnd.kubernetes.protobuf", { parseYaml: parse }, "application/json, application/yaml"],
  ])("answers %s with 415 listing what it decodes, in the apiserver's words", async (_name, type, options, accepted) => {
    const answer = await send(serve(options), "/api/v1/namespaces/team-a/pods/web-1/binding", { method: "POST", body: "{}", headers: { "content-type": type } });
    expect(answer.body).toMatchObject({ code: 415, reason: "UnsupportedMediaType", message: `the body of the request was in an unknown format - accepted media types include: ${accepted}` });
  });
});

describe("answers, as the client accepts them", () => {
  const READ = "/api/v1/namespaces/team-a/pods/web-1";

  it.each([
    ["no Accept", undefined, "application/json"],
    ["*/*", "*/*", "application/json"],
    ["what the official client sends", "application/json, */*;q=0.8", "application/json"],
    ["protobuf first, then JSON (client-go)", "application/vnd.kubernetes.protobuf, application/json", "application/json"],
    ["YAML", "application/yaml", "application/yaml"],
    ["YAML preferred by q", "application/json;q=0.5, application/yaml", "application/yaml"],
    ["aggregated discovery, then JSON (kubectl)", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json", "application/json"],
  ])("%s: %s", async (_name, accept, type) => {
    const answer = await send(serve(), READ, { headers: accept ? { accept } : {} });
    expect([answer.status, answer.type]).toEqual([200, type]);
    if (type === "application/yaml") expect(parse(answer.text)).toEqual({ kind: "Pod", apiVersion: "v1", ...POD("web-1") });
  });

  it("answers 406 in JSON, in the apiserver's words, for what it cannot write", async () => {
    const answer = await send(serve(), READ, { headers: { accept: "application/vnd.kubernetes.protobuf" } });
    expect(answer).toMatchObject({ status: 406, type: "application/json", body: { reason: "NotAcceptable", message: "only the following media types are accepted: application/json, application/yaml" } });
  });

  it("writes YAML with sorted keys, quoting what would read back as something else", async () => {
    const answer = await send(serve(), READ, { headers: { accept: "application/yaml" } });
    expect(answer.text).toBe('apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: "2026-01-01T00:00:00Z"\n  name: web-1\n  namespace: team-a\n  resourceVersion: "7"\nspec: {}\n');
  });

  it.each([
    ["pretty=true", "?pretty=true", {}, true],
    ["pretty=1", "?pretty=1", {}, true],
    ["a curl User-Agent", "", { "user-agent": "curl/8.5.0" }, true],
    ["a curl User-Agent with pretty=false", "?pretty=false", { "user-agent": "curl/8.5.0" }, false],
    ["pretty=1 in the Accept clause", "", { accept: "application/json;pretty=1" }, true],
    ["neither", "", {}, false],
  ])("indents JSON for %s", async (_name, query, headers, pretty) => {
    const answer = await send(serve(), READ + query, { headers });
    expect(answer.text).toBe(JSON.stringify(answer.body, null, pretty ? 2 : undefined));
  });

  it("writes errors in YAML when the client accepts YAML, and in JSON when it accepts nothing we write", async () => {
    const yaml = await send(serve(), "/api/v1/nope", { headers: { accept: "application/yaml" } });
    expect([yaml.status, yaml.type, parse(yaml.text).reason]).toEqual([404, "application/yaml", "NotFound"]);
    const other = await send(serve(), "/api/v1/nope", { headers: { accept: "text/html" } });
    expect([other.status, other.type, other.body.reason]).toEqual([404, "application/json", "NotFound"]);
  });
});

describe("Table answers (kubectl get)", () => {
  const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  const PODS = "/api/v1/namespaces/team-a/pods";

  it("answers a list with the apiserver's default columns, Name and Created At, and PartialObjectMetadata rows", async () => {
    const answer = await send(serve(), PODS, { headers: { accept: TABLE } });
    expect(answer.body).toEqual({
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: "9" },
      columnDefinitions: [
        { name: "Name", type: "string", format: "name", description: "The object's name.", priority: 0 },
        { name: "Created At", type: "date", format: "", description: "When the object was made.", priority: 0 },
      ],
      rows: ["web-1", "web-2"].map((name) => ({ cells: [name, "2026-01-01T00:00:00Z"], object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: POD(name).metadata } })),
    });
  });

  it("answers a get with one row, and honours includeObject=Object and None", async () => {
    const object = await send(serve(), `${PODS}/web-1?includeObject=Object`, { headers: { accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" } });
    expect(object.body).toMatchObject({ apiVersion: "meta.k8s.io/v1beta1", metadata: { resourceVersion: "7" }, rows: [{ cells: ["web-1", "2026-01-01T00:00:00Z"], object: { kind: "Pod", metadata: { name: "web-1" } } }] });
    const none = await send(serve(), `${PODS}/web-1?includeObject=None`, { headers: { accept: TABLE } });
    expect(none.body.rows).toEqual([{ cells: ["web-1", "2026-01-01T00:00:00Z"] }]);
    const bad = await send(serve(), `${PODS}/web-1?includeObject=All`, { headers: { accept: TABLE } });
    expect(bad.body).toMatchObject({ code: 400, message: 'unrecognized includeObject value: "All"' });
  });

  it("uses the columns given for the resource, keyed with its group when it has one", async () => {
    const tables = {
      pods: [
        { name: "Name", type: "string" as const, format: "name", cell: (pod: any) => pod.metadata.name },
        { name: "Node", type: "string" as const, priority: 1, cell: (pod: any) => pod.spec.nodeName ?? "<none>" },
      ],
      "roles.rbac.authorization.k8s.io": [{ name: "Role", type: "string" as const, cell: (role: any) => `role ${role.metadata.name}` }],
    };
    const pods = await send(serve({ tables }), PODS, { headers: { accept: TABLE } });
    expect(pods.body.columnDefinitions.map((c: any) => [c.name, c.priority])).toEqual([["Name", 0], ["Node", 1]]);
    expect(pods.body.rows.map((r: any) => r.cells)).toEqual([["web-1", "node-a"], ["web-2", "<none>"]]);
    const role = await send(serve({ tables }), "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles/r", { headers: { accept: TABLE } });
    expect(role.body.rows[0].cells).toEqual(["role r"]);
  });

  it("answers a Table in YAML when asked for as=Table in YAML", async () => {
    const answer = await send(serve(), PODS, { headers: { accept: "application/yaml;as=Table;v=v1;g=meta.k8s.io" } });
    expect(parse(answer.text)).toMatchObject({ kind: "Table", rows: [{ cells: ["web-1", "2026-01-01T00:00:00Z"] }, { cells: ["web-2", "2026-01-01T00:00:00Z"] }] });
  });

  it("gives no Table for a create (the clause is skipped), and a Status answer stays a Status", async () => {
    const answer = await send(serve(), `${PODS}/web-1/binding`, { method: "POST", body: JSON.stringify(BINDING), headers: { accept: TABLE, "content-type": "application/json" } });
    expect(answer.body).toEqual(SUCCESS);
    const only = await send(serve(), `${PODS}/web-1/binding`, { method: "POST", body: JSON.stringify(BINDING), headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } });
    expect(only.status).toBe(406);
  });
});

describe("authentication before routing, then authorize", () => {
  const authenticate = (token: string | undefined) => (token === "good" ? { name: "alice" } : false);

  it.each([
    ["an unknown path", "/api/v1/nope", "GET"],
    ["a wrong method", "/api/v1/namespaces/team-a/pods", "PUT"],
    ["discovery", "/api/v1", "GET"],
  ])("answers a bad token with 401 on %s", async (_name, path, method) => {
    const answer = await send(serve({ authenticate, discovery: DOCUMENT }), path, { method, headers: { authorization: "Bearer bad" } });
    expect(answer.body).toMatchObject({ code: 401, reason: "Unauthorized" });
  });

  it.each([
    ["a create of a subresource", "POST", "/api/v1/namespaces/team-a/pods/web-1/binding", 'pods "web-1" is forbidden: User "alice" cannot create resource "pods/binding" in API group "" in the namespace "team-a"', { name: "web-1", kind: "pods" }],
    ["a list", "GET", "/api/v1/namespaces/team-a/pods", 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-a"', { kind: "pods" }],
    ["a watch by fieldSelector", "GET", "/api/v1/namespaces/team-a/pods?watch=1&fieldSelector=metadata.name%3Dweb-1", 'pods "web-1" is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "team-a"', { name: "web-1", kind: "pods" }],
    ["a grouped delete of a collection", "DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", 'roles.rbac.authorization.k8s.io is forbidden: User "alice" cannot deletecollection resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "team-a"', { group: "rbac.authorization.k8s.io", kind: "roles" }],
    ["a path no route has, read as the apiserver reads it", "GET", "/api/v1/nodes/n1", 'nodes "n1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope', { name: "n1", kind: "nodes" }],
    ["a non-resource path", "GET", "/version", 'forbidden: User "alice" cannot get path "/version"', undefined],
  ])("answers 403 Forbidden in the apiserver's words for %s", async (_name, method, path, message, details) => {
    const answer = await send(serve({ authenticate, authorize: () => false }), path, { method, headers: { authorization: "Bearer good", "content-type": "application/json" }, ...(method === "POST" && { body: JSON.stringify(BINDING) }) });
    expect(answer.body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details: details ?? {}, code: 403 });
  });

  it("hands authorize the user and the request's attributes, adds its reason, and gives handlers the same attributes", async () => {
    const asked: unknown[] = [];
    const seen: any[] = [];
    const authorize = (user: unknown, attributes: any) => (asked.push([user, attributes]), attributes.verb === "create" ? true : "only creates");
    const options = { authenticate, authorize };
    const denied = await send(serve(options), "/api/v1/namespaces/team-a/pods", { headers: { authorization: "Bearer good" } });
    expect(denied.body.message).toMatch(/in the namespace "team-a": only creates$/);
    const allowed = await send(serve(options, seen), "/api/v1/namespaces/team-a/pods/web-1/binding", { method: "POST", body: JSON.stringify(BINDING), headers: { authorization: "Bearer good", "content-type": "application/json" } });
    expect(allowed.body).toEqual(SUCCESS);
    const attributes = { resourceRequest: true, verb: "create", path: "/api/v1/namespaces/team-a/pods/web-1/binding", apiGroup: "", apiVersion: "v1", namespace: "team-a", resource: "pods", subresource: "binding", name: "web-1" };
    expect(asked.at(-1)).toEqual([{ name: "alice" }, attributes]);
    expect(seen[0].context.attributes).toEqual(attributes);
  });

  // Regression: the 403 quoted the path's name, namespace and the user name whole, unlike every other answer about a request (issue 14's bounds).
  it("shortens what a 403 repeats from the request, as every other answer does", async () => {
    const long = "a".repeat(5000);
    const answer = await send(serve({ authenticate: () => ({ name: "b".repeat(5000) }), authorize: () => false }), `/api/v1/namespaces/${long}/pods/${long}`);
    expect(answer.body).toMatchObject({ code: 403, reason: "Forbidden" });
    const short = `${"a".repeat(127)}...${"a".repeat(126)}`;
    expect(answer.body.message).toBe(`pods "${short}" is forbidden: User "${"b".repeat(127)}...${"b".repeat(126)}" cannot get resource "pods" in API group "" in the namespace "${short}"`);
    expect(answer.body.details).toEqual({ name: short, kind: "pods" });
  });

  it("names an anonymous user system:anonymous when there is no authenticate", async () => {
    const answer = await send(serve({ authorize: () => false }), "/api/v1/namespaces/team-a/pods");
    expect(answer.body.message).toContain('User "system:anonymous" cannot list');
  });
});

const DOCUMENT: DiscoveryDocument = {
  openapi: { swagger: "2.0", info: { title: "t", version: "v1.36.0" }, paths: {}, definitions: { "io.k8s.api.core.v1.Pod": { type: "object", "x-kubernetes-group-version-kind": [{ group: "", kind: "Pod", version: "v1" }] } } },
  version: { major: "1", minor: "36", gitVersion: "v1.36.0", gitCommit: "", gitTreeState: "", buildDate: "", goVersion: "", compiler: "", platform: "" },
  serve: serveDiscovery,
};

describe("discovery, with the discovery option", () => {
  const RESOURCES_V1 = {
    kind: "APIResourceList",
    groupVersion: "v1",
    resources: [
      { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["get", "list", "watch"] },
      { name: "pods/binding", singularName: "", namespaced: true, kind: "Binding", verbs: ["create"] },
      { name: "pods/eviction", singularName: "", namespaced: true, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] },
    ],
  };
  const RBAC = "rbac.authorization.k8s.io";

  it.each([
    ["/api", { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "k8s.test" }] }],
    ["/api/v1", RESOURCES_V1],
    ["/apis", { kind: "APIGroupList", apiVersion: "v1", groups: [{ name: RBAC, versions: [{ groupVersion: `${RBAC}/v1`, version: "v1" }, { groupVersion: `${RBAC}/v1beta1`, version: "v1beta1" }], preferredVersion: { groupVersion: `${RBAC}/v1`, version: "v1" } }] }],
    [`/apis/${RBAC}`, { kind: "APIGroup", apiVersion: "v1", name: RBAC, versions: [{ groupVersion: `${RBAC}/v1`, version: "v1" }, { groupVersion: `${RBAC}/v1beta1`, version: "v1beta1" }], preferredVersion: { groupVersion: `${RBAC}/v1`, version: "v1" } }],
    [`/apis/${RBAC}/v1`, { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${RBAC}/v1`, resources: [{ name: "roles", singularName: "role", namespaced: true, kind: "Role", verbs: ["deletecollection", "get"] }] }],
    ["/version", DOCUMENT.version],
  ])("%s, with and without a trailing slash", async (path, body) => {
    for (const variant of [path, `${path}/`]) {
      const answer = await send(serve({ discovery: DOCUMENT }), variant);
      expect([variant, answer.status, answer.type, answer.body]).toEqual([variant, 200, "application/json", body]);
    }
  });

  it.each([["/apis/apps"], ["/apis/apps/v1"], ["/api/v2"], ["/openapi/v3"]])("answers 404 for %s, which it does not serve", async (path) => {
    expect((await send(serve({ discovery: DOCUMENT }), path)).status).toBe(404);
  });

  it("serves nothing of discovery without the option", async () => {
    expect((await send(serve(), "/api/v1")).status).toBe(404);
  });

  it("serves /openapi/v2 as JSON, and as kubectl's protobuf when asked for it", async () => {
    const json = await send(serve({ discovery: DOCUMENT }), "/openapi/v2", { headers: { accept: "application/json" } });
    expect(json.body).toEqual(DOCUMENT.openapi);
    const protobuf = await send(serve({ discovery: DOCUMENT }), "/openapi/v2", { headers: { accept: OPENAPI_V2_PROTOBUF } });
    expect(protobuf.type).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    // Document: swagger (field 1) "2.0", then info (2) with title (1) and version (2).
    expect([...protobuf.bytes.slice(0, 19)]).toEqual([0x0a, 3, ...Buffer.from("2.0"), 0x12, 12, 0x0a, 1, ...Buffer.from("t"), 0x12, 7, ...Buffer.from("v1.36.0")]);
    expect(protobuf.text).toContain("x-kubernetes-group-version-kind");
  });
});
