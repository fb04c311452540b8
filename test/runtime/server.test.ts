import { describe, expect, it } from "vitest";
import {
  type HandlerContext,
  type NodeRequestLike,
  type RouteOptions,
  type RouteTable,
  createFetchHandler,
  createRequestListener,
  statusAnswer,
} from "../../src/runtime/server.js";
import { statusObject } from "../../src/runtime/status.js";

/** Pods (create, replace, patch, delete with an optional body, list), a pod binding, and RBAC roles without a handler. */
const table: RouteTable = {
  authHeader: "authorization",
  kinds: [
    { group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" },
    { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", type: "Role", names: "segment" },
    { group: "", version: "v1", kind: "Binding", type: "Binding", names: "subdomain" },
  ],
  query: {
    dryRun: { type: "string", enum: ["All"] },
    fieldValidation: { type: "string", enum: ["Ignore", "Warn", "Strict"] },
    watch: { type: "boolean" },
    limit: { type: "integer" },
  },
  operations: {
    listPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "list", kind: 0, query: ["watch", "limit"], status: 200 },
    createPod: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods", operationId: "createCoreV1NamespacedPod", action: "post", kind: 0, query: ["dryRun", "fieldValidation"], body: { type: "Pod", required: true }, status: 201 },
    replacePod: { method: "PUT", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "replaceCoreV1NamespacedPod", action: "put", kind: 0, query: ["fieldValidation"], body: { type: "Pod", required: true }, status: 200 },
    patchPod: { method: "PATCH", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "patchCoreV1NamespacedPod", action: "patch", kind: 0, query: [], body: { type: "Patch", required: true, contentTypes: ["application/merge-patch+json", "application/json-patch+json"] }, status: 200 },
    deletePod: { method: "DELETE", path: "/api/v1/namespaces/{namespace}/pods/{name}", operationId: "deleteCoreV1NamespacedPod", action: "delete", kind: 0, query: [], body: { type: "DeleteOptions", required: false }, status: 202 },
    createPodBinding: { method: "POST", path: "/api/v1/namespaces/{namespace}/pods/{name}/binding", operationId: "createCoreV1NamespacedPodBinding", action: "post", kind: 2, query: [], body: { type: "Binding", required: true }, status: 201 },
    readRole: { method: "GET", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}", operationId: "readRbacV1NamespacedRole", action: "get", kind: 1, query: [], status: 200 },
    toString: { method: "GET", path: "/debug/string", operationId: "toString", action: "get", kind: 0, query: [], status: 200 },
  },
  shapes: {
    Pod: { t: "object", p: { apiVersion: { t: "string" }, kind: { t: "string" }, metadata: { t: "ref", r: "ObjectMeta" }, spec: { t: "ref", r: "PodSpec" } } },
    PodSpec: { t: "object", q: ["containers"], p: { containers: { t: "array", i: { t: "string" } }, nodeName: { t: "string" } } },
    ObjectMeta: { t: "object", p: { name: { t: "string" }, namespace: { t: "string" } } },
    Binding: { t: "object", q: ["target"], p: { apiVersion: { t: "string" }, kind: { t: "string" }, metadata: { t: "ref", r: "ObjectMeta" }, target: { t: "object", p: { name: { t: "string" } } } } },
    DeleteOptions: { t: "object", p: { gracePeriodSeconds: { t: "integer" } } },
  },
};

const POD = { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1" }, spec: { containers: ["nginx"] } };
const PODS = "/api/v1/namespaces/team-a/pods";
const WEB_1 = `${PODS}/web-1`;
const JSON_TYPE = { "content-type": "application/json" };

interface Call {
  name: string;
  input: { params: Record<string, string>; query: Record<string, unknown>; body?: unknown };
  context: HandlerContext;
}

/** Handlers for the pod operations that record their calls and answer `result` (default: `{ body: { ok: name } }`). */
function recording(result?: (name: string, context: HandlerContext) => unknown) {
  const calls: Call[] = [];
  const handler = (name: string) => (input: Call["input"], context: HandlerContext) => {
    calls.push({ name, input, context });
    return result ? result(name, context) : { body: { ok: name } };
  };
  const handlers = Object.fromEntries(["listPods", "createPod", "replacePod", "patchPod", "deletePod", "createPodBinding"].map((name) => [name, handler(name)]));
  return { calls, handlers };
}

interface Sent {
  method?: string;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
}

/** One request through createFetchHandler: the answer's status, headers and parsed body ("" when there is none). */
async function send(handle: (request: Request) => Promise<Response>, path: string, { method = "GET", body, headers = {} }: Sent = {}) {
  const init = { method, headers, ...(body !== undefined && { body, duplex: "half" }) } as RequestInit;
  const response = await handle(new Request(`http://k8s.test${path}`, init));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? "" : JSON.parse(text) };
}

const post = (body: unknown, headers: Record<string, string> = JSON_TYPE) => ({ method: "POST", body: JSON.stringify(body), headers });

describe("createFetchHandler: the order of the checks", () => {
  const authenticated = { ...JSON_TYPE, authorization: "Bearer good" };
  const authenticate = (token: string | undefined) => (token === "good" ? { name: "alice" } : false);

  // The last column: whether authenticate was asked.
  it.each([
    ["a bad token on an unknown path, before the path is matched (the apiserver authenticates first)", "/api/v1/nodes", { method: "GET", headers: { authorization: "Bearer bad" } }, 401, "Unauthorized", "Unauthorized", true],
    ["no token on a method the path does not allow", PODS, { method: "DELETE" }, 401, "Unauthorized", "Unauthorized", true],
    ["an unknown path, after authenticate", "/api/v1/nodes", { method: "GET", headers: authenticated }, 404, "NotFound", "the server could not find the requested resource", true],
    ["a method the path does not allow, after authenticate", PODS, { method: "DELETE", headers: authenticated }, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource (allowed: GET, POST)", true],
    ["no token, before the query", `${PODS}?dryRun=None`, post(POD), 401, "Unauthorized", "Unauthorized", true],
    ["a bad token, before the query", `${PODS}?dryRun=None`, post(POD, { ...JSON_TYPE, authorization: "Bearer bad" }), 401, "Unauthorized", "Unauthorized", true],
    ["a bad query, before the path", "/api/v1/namespaces/Team/pods?dryRun=None", post(POD, authenticated), 400, "BadRequest", 'invalid value for query parameter "dryRun": "None"; supported values: "All"', true],
    ["a path parameter that holds '/', before the body", "/api/v1/namespaces/team-a/pods/a%2Fb", { method: "PUT", body: "{", headers: authenticated }, 400, "BadRequest", "Name parameter invalid: \"a/b\": may not contain '/'", true],
    ["a namespace no object can be in, before the body", "/api/v1/namespaces/Team/pods", { method: "POST", body: "{", headers: authenticated }, 404, "NotFound", 'namespaces "Team" not found', true],
    ["a name no pod can have, before the body", `${PODS}/Web_1`, { method: "PUT", body: "{", headers: authenticated }, 404, "NotFound", 'pods "Web_1" not found', true],
    ["a media type that is not JSON, before the size", PODS, { method: "POST", body: "{}", headers: { authorization: "Bearer good", "content-type": "text/plain", "content-length": "999999999" } }, 415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json", true],
    ["a body over the limit, before reading it", PODS, { method: "POST", body: "{", headers: { ...authenticated, "content-length": "1025" } }, 413, "RequestEntityTooLarge", "the request body is larger than the limit of 1024 bytes", true],
    ["a body that is not JSON", PODS, { method: "POST", body: "{", headers: authenticated }, 400, "BadRequest", /^the request body is not valid JSON: /, true],
    ["an empty body where one is required", PODS, { method: "POST", body: "", headers: authenticated }, 400, "BadRequest", "the request body is required", true],
    ["a null body", PODS, { method: "POST", body: "null", headers: authenticated }, 400, "BadRequest", "Object 'Kind' is missing in 'null'", true],
    ["a body that breaks the schema, before its kind is compared", PODS, post({ ...POD, kind: "Node", spec: {} }, authenticated), 422, "Invalid", 'Pod "web-1" is invalid: spec.containers: Required value', true],
    ["a body of another kind", PODS, post({ ...POD, kind: "Node" }, authenticated), 400, "BadRequest", 'Node in version "v1" cannot be handled as a Pod: no kind "Node" is registered for version "v1"', true],
    ["a body in another namespace", PODS, post({ ...POD, metadata: { name: "web-1", namespace: "team-b" } }, authenticated), 400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", true],
    ["an update of another name than the path's", `${PODS}/web-2`, { ...post(POD, authenticated), method: "PUT" }, 400, "BadRequest", "the name of the object (web-1) does not match the name on the URL (web-2)", true],
    ["unknown fields under Strict, after the schema", `${PODS}?fieldValidation=Strict`, { method: "POST", body: '{"metadata":{"name":"a","name":"b"},"spec":{"containers":[],"nodeNmae":"x"}}', headers: authenticated }, 400, "BadRequest", 'strict decoding error: unknown field "spec.nodeNmae", duplicate field "metadata.name"', true],
  ] as const)("%s: %i %s", async (_name, path, request, code, reason, message, asksAuthenticate) => {
    const { calls, handlers } = recording();
    let asked = 0;
    const options: RouteOptions = { maxBodyBytes: 1024, authenticate: (token) => (asked++, authenticate(token)) };
    const answer = await send(createFetchHandler(table, handlers, options), path, request);
    expect(answer).toMatchObject({ status: code, body: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message } });
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(calls).toEqual([]);
    expect(asked).toBe(asksAuthenticate ? 1 : 0);
  });

  it("says which methods the path allows in an Allow header", async () => {
    const answer = await send(createFetchHandler(table, {}), PODS, { method: "PUT" });
    expect(answer.headers.get("allow")).toBe("GET, POST");
  });

  it("refuses a chunked body once it grows past the limit, whatever it says it is", async () => {
    const { calls, handlers } = recording();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(" ".repeat(512)));
      },
    });
    const answer = await send(createFetchHandler(table, handlers, { maxBodyBytes: 1024 }), PODS, { method: "POST", body, headers: JSON_TYPE });
    expect(answer).toMatchObject({ status: 413, body: { reason: "RequestEntityTooLarge" } });
    expect(calls).toEqual([]);
  });

  it("answers 408 and closes the connection when the body stops arriving within bodyTimeoutMs", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{"));
      },
    });
    const answer = await send(createFetchHandler(table, recording().handlers, { bodyTimeoutMs: 30 }), PODS, { method: "POST", body, headers: JSON_TYPE });
    expect(answer).toMatchObject({ status: 408, body: { reason: "Timeout", message: "the request body was not received within 30 ms" } });
    expect(answer.headers.get("connection")).toBe("close");
  });
});

describe("createFetchHandler: authentication", () => {
  it.each([
    [false, 401],
    [null, 401],
    [undefined, 401],
    // Regression (issue 14: "authenticate fails open on \"\", 0, NaN"): only a user passes.
    [0, 401],
    ["", 401],
    [Number.NaN, 401],
    ["alice", 200],
    [1, 200],
    [{ name: "alice" }, 200],
  ])("authenticate returning %j answers %i; a user reaches the handler as context.user", async (user, status) => {
    const { calls, handlers } = recording();
    const answer = await send(createFetchHandler(table, handlers, { authenticate: async () => user }), PODS);
    expect(answer.status).toBe(status);
    expect(calls.map((c) => c.context.user)).toEqual(status === 200 ? [user] : []);
  });

  it.each([
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["Bearer   abc  ", "abc"],
    ["Basic YWxpY2U6cHc=", undefined],
    ["Bearer a b", undefined],
    ["Bearer", undefined],
    ["abc", undefined],
  ])("reads the token of %j as %j", async (header, token) => {
    const seen: Array<string | undefined> = [];
    const { calls, handlers } = recording();
    await send(createFetchHandler(table, handlers, { authenticate: (t) => (seen.push(t), true) }), PODS, { headers: { authorization: header } });
    expect(seen).toEqual([token]);
    expect(calls[0]!.context.token).toBe(token);
  });

  it("asks authenticate with the operation, the method, the raw path, and the decoded namespace and name the handler gets", async () => {
    const seen: unknown[] = [];
    await send(createFetchHandler(table, recording().handlers, { authenticate: (_t, request) => (seen.push(request), true) }), "/api/v1/namespaces/team-a/pods/web%2D1", { method: "DELETE" });
    expect(seen).toEqual([{ method: "DELETE", path: "/api/v1/namespaces/team-a/pods/web%2D1", operationId: "deleteCoreV1NamespacedPod", namespace: "team-a", name: "web-1" }]);
  });

  it("without authenticate, serves everyone, still handing over the token", async () => {
    const { calls, handlers } = recording();
    await send(createFetchHandler(table, handlers), PODS, { headers: { authorization: "Bearer t" } });
    expect([calls[0]!.context.token, calls[0]!.context.user]).toEqual(["t", undefined]);
  });

  it("answers 500 without its message when authenticate throws", async () => {
    const answer = await send(createFetchHandler(table, {}, { authenticate: () => { throw new Error("ldap password is hunter2"); } }), PODS);
    expect(answer).toMatchObject({ status: 500, body: { reason: "InternalError", message: "Internal error occurred: the request could not be completed" } });
  });
});

describe("createFetchHandler: what a handler gets", () => {
  it("gets decoded path parameters, typed query parameters (others dropped), the body, and a context", async () => {
    const { calls, handlers } = recording();
    await send(createFetchHandler(table, handlers), `${PODS}?watch=T&limit=5&limit=6&pretty=true`, { headers: { "X-Request-Id": "r1" } });
    const [call] = calls;
    expect(call!.input).toStrictEqual({ params: { namespace: "team-a" }, query: { watch: true, limit: 5 } });
    expect([call!.context.header("x-request-id"), call!.context.header("X-REQUEST-ID"), call!.context.header("x-missing")]).toEqual(["r1", "r1", undefined]);
  });

  it("gets percent-decoded names", async () => {
    const { calls, handlers } = recording();
    await send(createFetchHandler(table, handlers), "/api/v1/namespaces/team-a/pods/w%65b-1", { method: "PUT", body: JSON.stringify(POD), headers: JSON_TYPE });
    expect(calls[0]!.input.params).toEqual({ namespace: "team-a", name: "web-1" });
  });

  it("a create whose path names the object leaves a different metadata.name to the handler (pods/binding)", async () => {
    const { calls, handlers } = recording();
    const body = { metadata: { name: "other" }, target: { name: "node-a" } };
    const answer = await send(createFetchHandler(table, handlers), `${WEB_1}/binding`, post(body));
    expect(answer.status).toBe(201);
    expect(calls[0]!.input).toEqual({ params: { namespace: "team-a", name: "web-1" }, query: {}, body });
  });

  it("a patch is not checked against the kind's schema: any JSON in one of its media types, null included", async () => {
    const { calls, handlers } = recording();
    const handle = createFetchHandler(table, handlers);
    const merge = await send(handle, WEB_1, { method: "PATCH", body: '{"spec":{"containers":5},"kind":"Node"}', headers: { "content-type": "application/merge-patch+json" } });
    const json = await send(handle, WEB_1, { method: "PATCH", body: '[{"op":"remove","path":"/spec"}]', headers: { "content-type": "application/json-patch+json; charset=utf-8" } });
    const nil = await send(handle, WEB_1, { method: "PATCH", body: "null", headers: { "content-type": "application/merge-patch+json" } });
    expect([merge.status, json.status, nil.status]).toEqual([200, 200, 200]);
    expect(calls.map((c) => c.input.body)).toEqual([{ spec: { containers: 5 }, kind: "Node" }, [{ op: "remove", path: "/spec" }], null]);
  });

  it("a patch sent as plain JSON is a 415 naming the patch types", async () => {
    const answer = await send(createFetchHandler(table, recording().handlers), WEB_1, { method: "PATCH", body: "{}", headers: JSON_TYPE });
    expect(answer.body.message).toBe("the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/json-patch+json");
  });

  it("a body that is not of the kind (DeleteOptions) is checked against its own schema, without the kind's name and type checks", async () => {
    const { calls, handlers } = recording();
    const handle = createFetchHandler(table, handlers);
    const good = await send(handle, WEB_1, { method: "DELETE", body: '{"kind":"DeleteOptions","gracePeriodSeconds":0}', headers: JSON_TYPE });
    const bad = await send(handle, WEB_1, { method: "DELETE", body: '{"gracePeriodSeconds":"now"}', headers: JSON_TYPE });
    expect(good.status).toBe(202);
    expect(bad).toMatchObject({ status: 422, body: { message: 'DeleteOptions "web-1" is invalid: gracePeriodSeconds: Invalid value: "now": must be an integer' } });
    expect(calls.map((c) => c.input.body)).toEqual([{ kind: "DeleteOptions", gracePeriodSeconds: 0 }]);
  });

  it("an optional body sent empty, as JSON, reaches the handler as undefined", async () => {
    const { calls, handlers } = recording();
    const answer = await send(createFetchHandler(table, handlers), WEB_1, { method: "DELETE", body: "", headers: JSON_TYPE });
    expect(answer.status).toBe(202);
    expect(calls.map((c) => Object.hasOwn(c.input, "body") && c.input.body)).toEqual([undefined]);
  });

  // Regression (found by these tests, fixed): an operation with an optional body (delete) refuses a request without a body and without Content-Type (415), which is what curl and the generated client send.
  it("an optional body left out, with no Content-Type, reaches the handler as undefined", async () => {
    const { calls, handlers } = recording();
    const answer = await send(createFetchHandler(table, handlers), WEB_1, { method: "DELETE" });
    expect(answer.status).toBe(202);
    expect(calls.map((c) => c.input.body)).toEqual([undefined]);
  });

  it("unknown and duplicate fields: Warn (the default) serves with one Warning per field; Ignore serves silently", async () => {
    const { calls, handlers } = recording();
    const handle = createFetchHandler(table, handlers);
    const body = '{"metadata":{"name":"a","name":"b"},"spec":{"containers":[],"nodeNmae":"x"}}';
    const warn = await send(handle, PODS, { method: "POST", body, headers: JSON_TYPE });
    const ignore = await send(handle, `${PODS}?fieldValidation=Ignore`, { method: "POST", body, headers: JSON_TYPE });
    expect([warn.status, warn.headers.get("warning")]).toEqual([201, '299 - "unknown field \\"spec.nodeNmae\\"", 299 - "duplicate field \\"metadata.name\\""']);
    expect([ignore.status, ignore.headers.get("warning")]).toEqual([201, null]);
    expect(calls.map((c) => c.input.body)).toEqual([JSON.parse(body), JSON.parse(body)]);
  });

  it("sends what a handler adds to context.warnings as Warning headers", async () => {
    const { handlers } = recording((_name, context) => (context.warnings.push("deprecated: use v2", "ünïcode"), { body: {} }));
    const answer = await send(createFetchHandler(table, handlers), PODS);
    expect(answer.headers.get("warning")).toBe('299 - "deprecated: use v2", 299 - "\\u00fcn\\u00efcode"');
  });

  it("calls a handler with its object as this, also from a class prototype", async () => {
    class PodHandlers {
      readonly seen: string[] = [];
      listPods(input: Call["input"]) {
        this.seen.push(input.params["namespace"]!);
        return { body: { items: this.seen.length } };
      }
    }
    const handlers = new PodHandlers();
    const answer = await send(createFetchHandler(table, handlers), PODS);
    expect([answer.status, answer.body, handlers.seen]).toEqual([200, { items: 1 }, ["team-a"]]);
  });
});

describe("createFetchHandler: what a handler answers", () => {
  const answerWith = (result: unknown, path = PODS, request: Sent = {}) => send(createFetchHandler(table, recording(() => result).handlers), path, request);

  it.each([
    ["the table's status for a create (201)", PODS, post(POD), 201],
    ["the table's status for a delete (202)", WEB_1, { method: "DELETE", body: "{}", headers: JSON_TYPE }, 202],
    ["the table's status for a list (200)", PODS, {}, 200],
  ])("without a status, answers %s", async (_name, path, request, status) => {
    expect((await answerWith({ body: { a: 1 } }, path, request)).status).toBe(status);
  });

  it("answers the handler's status, headers and body as JSON", async () => {
    const answer = await answerWith({ status: 409, body: { kind: "Status", code: 409 }, headers: { "x-trace": "t1" } });
    expect([answer.status, answer.body, answer.headers.get("x-trace"), answer.headers.get("content-type")]).toEqual([409, { kind: "Status", code: 409 }, "t1", "application/json"]);
  });

  it.each([[204], [205], [304]])("answers %i without a body, whatever the handler gave", async (status) => {
    const answer = await answerWith({ status, body: { ignored: true } });
    expect([answer.status, answer.body]).toEqual([status, ""]);
  });

  it("answers a statusAnswer as the Status it holds", async () => {
    const answer = await answerWith(statusAnswer(409, "Conflict", 'pods "web-1" already exists', { name: "web-1", kind: "pods" }));
    expect([answer.status, answer.body]).toEqual([409, statusObject(409, "Conflict", 'pods "web-1" already exists', { name: "web-1", kind: "pods" })]);
  });

  it.each([
    ["a handler that throws", () => { throw new Error("secret"); }],
    ["a handler that rejects", () => Promise.reject(new Error("secret"))],
    ["a handler that returns nothing", () => undefined],
    ["a status below 200", () => ({ status: 101, body: {} })],
    ["a status above 599", () => ({ status: 600, body: {} })],
    ["a status that is not an integer", () => ({ status: 200.5, body: {} })],
    ["a status that is a string", () => ({ status: "200", body: {} })],
    ["a header value that is not a string", () => ({ body: {}, headers: { "x-n": 1 } })],
    ["a header value with a line break", () => ({ body: {}, headers: { "x-a": "a\nb" } })],
    ["a body JSON.stringify throws on", () => ({ body: { n: 1n } })],
  ])("answers 500 InternalError without details for %s", async (_name, handler) => {
    const answer = await send(createFetchHandler(table, { listPods: handler }), PODS);
    expect(answer).toEqual({ status: 500, headers: expect.any(Headers), body: statusObject(500, "InternalError", "Internal error occurred: the request could not be completed") });
  });

  it.each([
    ["an operation without a handler", "/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles/system:x", {}, "readRole is not implemented"],
    ["a handler that is not a function", "/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles/x", { readRole: "yes" }, "readRole is not implemented"],
    ["an operation named like an Object.prototype method", "/debug/string", {}, "toString is not implemented"],
  ])("answers 501 NotImplemented for %s", async (_name, path, handlers, message) => {
    const answer = await send(createFetchHandler(table, handlers), path);
    expect(answer).toMatchObject({ status: 501, body: statusObject(501, "NotImplemented", message) });
  });

  it("calls an own handler named like an Object.prototype method", async () => {
    const answer = await send(createFetchHandler(table, { toString: () => ({ body: "mine" }) }), "/debug/string");
    expect([answer.status, answer.body]).toEqual([200, "mine"]);
  });

  // Regression (found by these tests, fixed): the fetch handler merges headers case-sensitively, so a handler's "Content-Type" is appended to the default ("application/json, text/plain") instead of replacing it.
  it("lets a handler's Content-Type, in any case, replace the default", async () => {
    const answer = await send(createFetchHandler(table, { listPods: () => ({ body: {}, headers: { "Content-Type": "application/json; charset=utf-8" } }) }), PODS);
    expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  // Regression (found by these tests, fixed): a handler's own "warning" header is replaced by the field warnings instead of being kept beside them.
  it("keeps a handler's own Warning header beside the unknown-field warnings", async () => {
    const answer = await send(createFetchHandler(table, { createPod: () => ({ body: {}, headers: { warning: '299 - "mine"' } }) }), PODS, post({ ...POD, extra: 1 }));
    expect(answer.headers.get("warning")).toBe('299 - "mine", 299 - "unknown field \\"extra\\""');
  });

  it("refuses, when made, a table whose operation names a kind it does not have", () => {
    const broken: RouteTable = { ...table, operations: { ...table.operations, listPods: { ...table.operations["listPods"]!, kind: 9 } } };
    expect(() => createFetchHandler(broken, {})).toThrow("operation listPods names kind 9, which the table does not have");
  });
});

describe("createRequestListener", () => {
  /** A node:http-like exchange without a socket: the request's chunks, and what the listener wrote. */
  function exchange(listener: ReturnType<typeof createRequestListener>, request: { method?: string; url?: string; headers?: Record<string, string | string[]>; chunks?: string[] }) {
    const incoming: NodeRequestLike = {
      method: request.method,
      url: request.url,
      headers: request.headers ?? {},
      async *[Symbol.asyncIterator]() {
        yield* request.chunks ?? [];
      },
    };
    return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve) => {
      const headers: Record<string, string> = {};
      const response = {
        statusCode: 0,
        setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
        end: (body: string) => resolve({ status: response.statusCode, headers, body }),
      };
      listener(incoming, response);
    });
  }

  it("splits the URL into path and query, joins repeated headers, and reads the body from the request's chunks", async () => {
    const { calls, handlers } = recording();
    const listener = createRequestListener(table, handlers);
    const answer = await exchange(listener, { method: "POST", url: `${PODS}?dryRun=All`, headers: { "content-type": "application/json", "x-forwarded-for": ["a", "b"] }, chunks: ['{"metadata":', '{"name":"web-1"},"spec":{"containers":[]}}'] });
    expect([answer.status, answer.headers, JSON.parse(answer.body)]).toEqual([201, { "content-type": "application/json" }, { ok: "createPod" }]);
    expect(calls[0]!.input).toEqual({ params: { namespace: "team-a" }, query: { dryRun: "All" }, body: { metadata: { name: "web-1" }, spec: { containers: [] } } });
    expect(calls[0]!.context.header("X-Forwarded-For")).toBe("a, b");
  });

  it.each([
    ["no URL, as /", { method: "GET" }, 404],
    ["no method, as GET", { url: PODS }, 200],
    ["a Content-Length over the limit", { method: "POST", url: PODS, headers: { "content-type": "application/json", "content-length": "2048" }, chunks: ["{}"] }, 413],
  ])("reads %s", async (_name, request, status) => {
    expect((await exchange(createRequestListener(table, recording().handlers, { maxBodyBytes: 1024 }), request)).status).toBe(status);
  });

  it.each([
    ["a namespace of .", "/api/v1/namespaces/./pods/web-1", "Namespace parameter invalid: \".\": may not be '.'"],
    ["a name of an encoded ..", `${PODS}/%2E%2E`, "Name parameter invalid: \"..\": may not be '..'"],
    ["broken percent-encoding", `${PODS}/a%E0%A4%A`, 'Name parameter invalid: "a%E0%A4%A": invalid percent-encoding'],
  ])("answers 400 for %s, which reaches it unnormalised", async (_name, url, message) => {
    const answer = await exchange(createRequestListener(table, recording().handlers), { method: "PUT", url, headers: JSON_TYPE, chunks: ["{}"] });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, statusObject(400, "BadRequest", message)]);
  });

  it("sets the content type and each header of the handler's answer", async () => {
    const listener = createRequestListener(table, { listPods: () => ({ body: [], headers: { "x-a": "1" } }) });
    expect((await exchange(listener, { url: PODS })).headers).toEqual({ "content-type": "application/json", "x-a": "1" });
  });
});

describe("statusAnswer", () => {
  it("is a handler result holding the apiserver's Status for the code", () => {
    expect(statusAnswer(404, "NotFound", 'pods "x" not found', { name: "x", kind: "pods" })).toEqual({
      status: 404,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'pods "x" not found', reason: "NotFound", details: { name: "x", kind: "pods" }, code: 404 },
    });
  });
});
