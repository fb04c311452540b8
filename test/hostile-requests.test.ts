import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadGenerated } from "./helpers/generated.js";
import { type HttpAnswer, send, sendRaw, startServer } from "./helpers/http.js";
import { realSpecs } from "./helpers/run.js";

/**
 * Hostile requests against the generated routes on a real node:http server: each gets the Kubernetes
 * Status the apiserver would send, the server never goes down, and a handler never sees invalid input.
 */

const BINDING = { apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const POD_BINDING = "/api/v1/namespaces/default/pods/web-1/binding";
const BINDINGS = "/api/v1/namespaces/default/bindings";
const JSON_TYPE = { "content-type": "application/json" };
const BODY_TIMEOUT_MS = 400;

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What a handler may be given; anything else reaching it is a bug in the routes. */
function inputProblems(request: any): string[] {
  const problems: string[] = [];
  const { params, query, body } = request;
  if (!(typeof params.namespace === "string" && params.namespace.length <= 63 && LABEL.test(params.namespace))) problems.push(`namespace ${JSON.stringify(params.namespace)}`);
  if ("name" in params && !(params.name.length <= 253 && SUBDOMAIN.test(params.name))) problems.push(`name ${JSON.stringify(params.name)}`);
  if (query.dryRun !== undefined && query.dryRun !== "All") problems.push(`dryRun ${query.dryRun}`);
  if (query.fieldValidation !== undefined && !["Ignore", "Warn", "Strict"].includes(query.fieldValidation)) problems.push(`fieldValidation ${query.fieldValidation}`);
  for (const key of Object.keys(query)) if (!["dryRun", "fieldManager", "fieldValidation", "pretty"].includes(key)) problems.push(`query ${key}`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) problems.push("body is not an object");
  else {
    if (typeof body.target !== "object" || body.target === null || Array.isArray(body.target)) problems.push("target");
    if (body.kind !== undefined && body.kind !== "Binding") problems.push("kind");
    const name = body.metadata?.name;
    if (name !== undefined && name !== null && !(typeof name === "string" && (name === "" || (name.length <= 253 && SUBDOMAIN.test(name))))) problems.push(`metadata.name ${JSON.stringify(name)}`);
  }
  return problems;
}

const calls: Array<{ name: string; request: any; context: any; problems: string[] }> = [];
let respondWith: ((request: any) => unknown) | undefined;

function recordingHandlers() {
  const record = (name: string) => async (request: any, context: any) => {
    calls.push({ name, request, context, problems: inputProblems(request) });
    return respondWith ? respondWith(request) : { body: { kind: "Status", apiVersion: "v1", status: "Success", code: 201 } };
  };
  return { createNamespacedBinding: record("createNamespacedBinding"), createNamespacedPodBinding: record("createNamespacedPodBinding") };
}

let port = 0;
let stop = () => {};
beforeAll(async () => {
  const { routes } = await loadGenerated();
  const server = await startServer(routes.createRequestListener(recordingHandlers(), { bodyTimeoutMs: BODY_TIMEOUT_MS }));
  port = server.port;
  stop = server.close;
});
afterAll(() => stop());
beforeEach(() => {
  calls.length = 0;
  respondWith = undefined;
});

function post(path: string, body: string | Buffer, headers: Record<string, string> = JSON_TYPE): Promise<HttpAnswer> {
  return send(port, { method: "POST", path, headers, body });
}

/** The answer is a Kubernetes Status with this code and reason, and no handler ran. */
function expectRefused(answer: HttpAnswer, code: number, reason: string, message?: RegExp): void {
  expect(answer.status).toBe(code);
  expect(answer.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
  if (message) expect(answer.body.message).toMatch(message);
  expect(calls).toEqual([]);
}

function rawHead(path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: "127.0.0.1", ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}

async function* repeat(chunk: Buffer | string, times: number): AsyncIterable<Buffer | string> {
  for (let i = 0; i < times; i++) yield chunk;
}

describe("generated routes under hostile requests", () => {
  it.each([
    ["invalid JSON", "{\"target\": ", 400, "BadRequest", /not valid JSON/],
    ["JSON arrays nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000), 400, "BadRequest", /nested more than 10000 levels deep/],
    ["JSON objects nested 100,000 deep", '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000), 400, "BadRequest", /nested more than 10000 levels deep/],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400, "BadRequest", /not valid UTF-8/],
    ["a JSON array instead of an object", "[]", 422, "Invalid", /must be an object/],
    ["null instead of an object", "null", 400, "BadRequest", /^Object 'Kind' is missing in 'null'$/],
    ["an object name that is not DNS-1123", JSON.stringify({ ...BINDING, metadata: { name: "Web_1" } }), 422, "Invalid", /metadata\.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain/],
    ["an object name over 253 characters", JSON.stringify({ ...BINDING, metadata: { name: "a".repeat(254) } }), 422, "Invalid", /metadata\.name: Invalid value: "a+": must be no more than 253 characters/],
    ["a namespace in the body other than the path's", JSON.stringify({ ...BINDING, metadata: { name: "web-1", namespace: "other" } }), 400, "BadRequest", /^the namespace of the provided object does not match the namespace sent on the request$/],
  ] as const)("%s: refused with the apiserver's Status", async (_name, body, code, reason, message) => {
    expectRefused(await post(BINDINGS, body), code, reason, message);
  });

  it.each([
    ["%2F in the name", "/api/v1/namespaces/default/pods/a%2Fb/binding", 400, "BadRequest", /^Name parameter invalid: "a\/b": may not contain '\/'$/],
    ["a name of ..", "/api/v1/namespaces/default/pods/../binding", 400, "BadRequest", /^Name parameter invalid: "\.\.": may not be '\.\.'$/],
    ["an encoded ..", "/api/v1/namespaces/default/pods/%2e%2e/binding", 400, "BadRequest", /may not be '\.\.'/],
    ["an encoded NUL", "/api/v1/namespaces/default/pods/web%00/binding", 400, "BadRequest", /may not contain control characters/],
    ["a broken percent-encoding", "/api/v1/namespaces/default/pods/web%zz/binding", 400, "BadRequest", /invalid percent-encoding/],
    ["an encoded % in the namespace", "/api/v1/namespaces/a%2525/pods/web-1/binding", 400, "BadRequest", /^Namespace parameter invalid: "a%25": may not contain '%'$/],
    ["a name over 253 characters", `/api/v1/namespaces/default/pods/${"a".repeat(254)}/binding`, 404, "NotFound", /^pods "a{254}" not found$/],
    ["a name that is not DNS-1123", "/api/v1/namespaces/default/pods/Web_1/binding", 404, "NotFound", /^pods "Web_1" not found$/],
    ["a namespace that is not a DNS-1123 label", "/api/v1/namespaces/Default/pods/web-1/binding", 404, "NotFound", /^namespaces "Default" not found$/],
    ["dryRun other than All", `${POD_BINDING}?dryRun=Some`, 400, "BadRequest", /dryRun.*supported values: "All"/],
    ["a repeated dryRun with one bad value", `${POD_BINDING}?dryRun=All&dryRun=None`, 400, "BadRequest", /"None"/],
    ["fieldValidation other than Ignore/Warn/Strict", `${POD_BINDING}?fieldValidation=Loose`, 400, "BadRequest", /supported values: "Ignore", "Warn", "Strict"/],
  ] as const)("%s: refused with the apiserver's Status", async (_name, path, code, reason, message) => {
    expectRefused(await post(path, JSON.stringify(BINDING)), code, reason, message);
  });

  it("a body namespace other than the path's: 400, as the apiserver's create handler answers", async () => {
    const body = JSON.stringify({ ...BINDING, metadata: { ...BINDING.metadata, namespace: "other" } });
    expectRefused(await post(POD_BINDING, body), 400, "BadRequest", /^the namespace of the provided object does not match the namespace sent on the request$/);
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["application/yaml", { "content-type": "application/yaml" }],
    ["a merge patch type on a create", { "content-type": "application/merge-patch+json" }],
  ])("a body sent as %s: 415 UnsupportedMediaType", async (_name, headers) => {
    expectRefused(await post(POD_BINDING, JSON.stringify(BINDING), headers), 415, "UnsupportedMediaType");
  });

  it("a 50 MB body with Content-Length: 413 at once, nothing read", async () => {
    const head = rawHead(POD_BINDING, { ...JSON_TYPE, "content-length": 50 * 1024 * 1024 });
    const answer = await sendRaw(port, head, { body: () => repeat(Buffer.alloc(1024 * 1024, 0x20), 50) });
    expectRefused(answer, 413, "RequestEntityTooLarge");
  });

  it("a 50 MB body with Transfer-Encoding: chunked and no length: 413 once past the limit", async () => {
    const chunk = Buffer.concat([Buffer.from(`${(1024 * 1024).toString(16)}\r\n`), Buffer.alloc(1024 * 1024, 0x20), Buffer.from("\r\n")]);
    const answer = await sendRaw(port, rawHead(POD_BINDING, { ...JSON_TYPE, "transfer-encoding": "chunked" }), { body: () => repeat(chunk, 50) });
    expectRefused(answer, 413, "RequestEntityTooLarge");
  });

  it("a valid body with Transfer-Encoding: chunked and no length is served", async () => {
    const body = JSON.stringify(BINDING);
    const head = rawHead(POD_BINDING, { ...JSON_TYPE, "transfer-encoding": "chunked" });
    const answer = await sendRaw(port, head + `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    expect(answer.status).toBe(201);
    expect(calls.map((c) => c.request.body)).toEqual([BINDING]);
  });

  it("a body with no Content-Type and Transfer-Encoding: chunked (kubectl create --raw) is decoded as JSON and served", async () => {
    const body = JSON.stringify(BINDING);
    const head = rawHead(POD_BINDING, { "transfer-encoding": "chunked" });
    const answer = await sendRaw(port, head + `${(10).toString(16)}\r\n${body.slice(0, 10)}\r\n${(body.length - 10).toString(16)}\r\n${body.slice(10)}\r\n0\r\n\r\n`);
    expect(answer.status).toBe(201);
    expect(calls.map((c) => c.request.body)).toEqual([BINDING]);
  });

  it(`a body that stops arriving: 408 Timeout after bodyTimeoutMs (${BODY_TIMEOUT_MS} ms), connection closed`, async () => {
    const body = JSON.stringify(BINDING);
    const answer = await sendRaw(port, rawHead(POD_BINDING, { ...JSON_TYPE, "content-length": body.length }) + body.slice(0, 10), { timeoutMs: 5000 });
    expectRefused(answer, 408, "Timeout", new RegExp(`not received within ${BODY_TIMEOUT_MS} ms`));
    expect(answer.headers["connection"]).toBe("close");
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(answer.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS + 2000);
  });

  it("a client that goes away mid-body leaves the server serving", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(rawHead(POD_BINDING, { ...JSON_TYPE, "content-length": 1000 }) + '{"metadata":');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    expect((await post(POD_BINDING, JSON.stringify(BINDING))).status).toBe(201);
  });

  it("ignores unknown query parameters and uses the first of repeated ones, as the apiserver does", async () => {
    const answer = await post(`${POD_BINDING}?dryRun=All&dryRun=All&fieldManager=a&fieldManager=b&evil=1&__proto__=x`, JSON.stringify(BINDING));
    expect(answer.status).toBe(201);
    expect(calls[0]!.request.query).toEqual({ dryRun: "All", fieldManager: "a" });
  });

  describe("fieldValidation", () => {
    const duplicated = '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web-1","name":"web-1"},"target":{"name":"node-a","nmae":"typo","name":"node-b"}}';

    it("Strict: unknown and duplicate fields are a 400 that names each of them", async () => {
      const answer = await post(`${POD_BINDING}?fieldValidation=Strict`, duplicated);
      expectRefused(answer, 400, "BadRequest");
      expect(answer.body.message).toBe('strict decoding error: unknown field "target.nmae", duplicate field "metadata.name", duplicate field "target.name"');
    });

    it("Warn (the default): served, with one Warning per field", async () => {
      for (const path of [POD_BINDING, `${POD_BINDING}?fieldValidation=Warn`]) {
        calls.length = 0;
        const answer = await post(path, duplicated);
        expect(answer.status).toBe(201);
        expect(answer.headers["warning"]).toBe('299 - "unknown field \\"target.nmae\\"", 299 - "duplicate field \\"metadata.name\\"", 299 - "duplicate field \\"target.name\\""');
        expect(calls).toHaveLength(1);
      }
    });

    it("Ignore: served without warnings", async () => {
      const answer = await post(`${POD_BINDING}?fieldValidation=Ignore`, duplicated);
      expect(answer.status).toBe(201);
      expect(answer.headers["warning"]).toBeUndefined();
    });

    it("Warn with field names no header can carry: escaped into ASCII, never a crash", async () => {
      const answer = await post(POD_BINDING, JSON.stringify({ ...BINDING, "é😀\u0000\r\n": 1, __proto__x: 1 }));
      expect(answer.status).toBe(201);
      // Field names are quoted once in the text and again in the header, as the apiserver does; non-ASCII as \uXXXX.
      expect(answer.headers["warning"]).toBe('299 - "unknown field \\"\\u00e9\\ud83d\\ude00\\\\u0000\\\\r\\\\n\\"", 299 - "unknown field \\"__proto__x\\""');
    });

    it("a __proto__ key in the body is an unknown field, not a prototype", async () => {
      const answer = await post(`${POD_BINDING}?fieldValidation=Strict`, '{"target":{"name":"n"},"__proto__":{"polluted":true}}');
      expectRefused(answer, 400, "BadRequest", /unknown field "__proto__"/);
      expect(({} as any).polluted).toBeUndefined();
    });
  });

  it("a handler that answers 204 with a body sends no body, on node:http and through fetch", async () => {
    respondWith = () => ({ status: 204, body: { kind: "Status" } });
    const answer = await post(POD_BINDING, JSON.stringify(BINDING));
    expect([answer.status, answer.body]).toEqual([204, ""]);
    const { routes } = await loadGenerated();
    const fetched = await routes.createFetchHandler(recordingHandlers())(new Request(`http://test${POD_BINDING}`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify(BINDING) }));
    expect([fetched.status, await fetched.text()]).toEqual([204, ""]);
  });

  // Regression (issue 14: "a handler's own content-length header is passed through and can desync keep-alive connections").
  it("ignores the framing headers a handler sets (content-length, transfer-encoding, connection): the connection stays in step", async () => {
    respondWith = () => ({ body: { kind: "Status", apiVersion: "v1", status: "Success", code: 201 }, headers: { "Content-Length": "1", "transfer-encoding": "chunked", connection: "close", "keep-alive": "timeout=1", "x-kept": "yes" } });
    const answer = await post(POD_BINDING, JSON.stringify(BINDING));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ kind: "Status", apiVersion: "v1", status: "Success", code: 201 });
    expect(answer.headers["content-length"]).toBe(String(JSON.stringify(answer.body).length));
    expect([answer.headers["transfer-encoding"], answer.headers["connection"], answer.headers["x-kept"]]).toEqual([undefined, "keep-alive", "yes"]);
    respondWith = undefined;
    // Two requests on one raw connection: the second answer is read where the first ended.
    const body = JSON.stringify(BINDING);
    const head = rawHead(POD_BINDING, { ...JSON_TYPE, "content-length": body.length });
    respondWith = () => ({ body: { kind: "Status" }, headers: { "content-length": "100000" } });
    const first = await sendRaw(port, head + body);
    expect([first.status, first.body]).toEqual([201, { kind: "Status" }]);
  });

  it.each([
    ["a status HTTP cannot carry", { status: 1000, body: {} }],
    ["a header value with a line break", { body: {}, headers: { "x-evil": "a\r\nset-cookie: x" } }],
    ["a header name with a space", { body: {}, headers: { "bad name": "x" } }],
    ["a body JSON cannot hold", { body: { big: 1n } }],
    ["no result at all", undefined],
  ])("a handler that returns %s gets a 500 InternalError, and the server stays up", async (_name, result) => {
    respondWith = () => result;
    const answer = await post(POD_BINDING, JSON.stringify(BINDING));
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "Status", code: 500, reason: "InternalError" });
    respondWith = undefined;
    expect((await post(POD_BINDING, JSON.stringify(BINDING))).status).toBe(201);
  });

  it("fuzzed requests: always a Status with a known code, never a crash, never invalid input to a handler", async () => {
    // Valid choices are weighted up, so that a good share of requests reaches a handler.
    const segment = fc.oneof(
      { arbitrary: fc.constantFrom("default", "web-1"), weight: 4 },
      fc.constantFrom("default", "web-1", "a.b", "..", ".", "%2F", "%00", "%2e%2e", "%", "%zz", "Web_1", "a".repeat(254), "%C3%A9", "%FF%FE", "kube-system"),
      fc.stringMatching(/^[a-z0-9%.\-_~A-Z]{1,20}$/),
    );
    const queryPart = fc.tuple(fc.constantFrom("dryRun", "fieldValidation", "fieldManager", "pretty", "evil", "__proto__", "dryRun"), fc.constantFrom("All", "Strict", "Warn", "Ignore", "", "x", "%FF", "true", "a%00b"));
    const jsonBody = fc.oneof(
      { arbitrary: fc.constant(JSON.stringify(BINDING)), weight: 4 },
      fc.record({ metadata: fc.record({ name: fc.oneof(fc.string(), segment, fc.integer()) }, { requiredKeys: [] }), target: fc.oneof(fc.object(), fc.constant({ name: "n" }), fc.string()), extra: fc.jsonValue() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.json(),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constant('{"target":{"name":"a","name":"b"}}'),
    );
    const hostileRequest = fc.record({
      method: fc.constantFrom("POST", "POST", "POST", "POST", "POST", "GET", "PUT", "DELETE"),
      path: fc.oneof(
        fc.tuple(segment, segment).map(([ns, name]) => `/api/v1/namespaces/${ns}/pods/${name}/binding`),
        segment.map((ns) => `/api/v1/namespaces/${ns}/bindings`),
        fc.constantFrom("/", "/api", "/api/v1/namespaces/default/bindings/extra", "/api/v1/namespaces//bindings"),
      ),
      query: fc.array(queryPart, { maxLength: 3 }).map((parts) => (parts.length ? `?${parts.map(([k, v]) => `${k}=${v}`).join("&")}` : "")),
      contentType: fc.constantFrom("application/json", "application/json", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "", "application/merge-patch+json"),
      body: jsonBody,
    });
    const known = new Set([201, 400, 404, 405, 413, 415, 422]);
    const RUNS = Number(process.env["FC_RUNS"] ?? 1000);
    let served = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (r) => {
        calls.length = 0;
        const headers: Record<string, string> = r.contentType ? { "content-type": r.contentType } : {};
        const started = performance.now();
        const answer = await send(port, { method: r.method, path: r.path + r.query, headers, body: r.body });
        // The budget of every answer made from request data: 64 KiB (headers and body) and 1 s.
        const bytes = Buffer.byteLength(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)) + JSON.stringify(answer.headers).length;
        expect(bytes).toBeLessThanOrEqual(64 * 1024);
        expect(performance.now() - started).toBeLessThan(1000);
        expect(known, `status ${answer.status} for ${r.method} ${r.path}${r.query}`).toContain(answer.status);
        if (answer.status >= 400) expect(answer.body).toMatchObject({ kind: "Status", status: "Failure", code: answer.status });
        expect(calls.flatMap((c) => c.problems)).toEqual([]);
        served += calls.length;
      }),
      { numRuns: RUNS, seed: Number(process.env["FC_SEED"] ?? 7) },
    );
    console.log(`fuzzed ${RUNS} hostile requests: ${served} reached a handler, all with valid input`);
    expect(served).toBeGreaterThan(10);
    expect((await post(POD_BINDING, JSON.stringify(BINDING))).status).toBe(201);
  }, 60_000);
});

const releases = realSpecs();
describe.skipIf(releases.length === 0)("names checked by the rules of each kind (newest real release)", () => {
  const seen: string[] = [];
  const anyHandler = new Proxy({}, { get: () => async (request: any) => (seen.push(request.params.name), { body: { kind: "Status", apiVersion: "v1", status: "Success" } }) });
  const get = async (kind: string, path: string) => {
    const { routes } = await loadGenerated(releases.at(-1)![1], kind);
    const response = await routes.createFetchHandler(anyHandler)(new Request(`http://test${path}`));
    return { status: response.status, body: await response.json() };
  };

  it("RBAC accepts any path segment as a name (system:controller:x), and still refuses %2F", async () => {
    expect((await get("rbac.authorization.k8s.io/v1/ClusterRole", "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:X_1")).status).toBe(200);
    expect(seen).toEqual(["system:controller:X_1"]);
    const slash = await get("rbac.authorization.k8s.io/v1/ClusterRole", "/apis/rbac.authorization.k8s.io/v1/clusterroles/a%2Fb");
    expect([slash.status, slash.body.message]).toEqual([400, `Name parameter invalid: "a/b": may not contain '/'`]);
  });

  it("a Namespace name must be a DNS-1123 label, a Service name a DNS-1035 label", async () => {
    const namespace = await get("core/v1/Namespace", "/api/v1/namespaces/a.b");
    expect([namespace.status, namespace.body.message]).toEqual([404, 'namespaces "a.b" not found']);
    const service = await get("core/v1/Service", "/api/v1/namespaces/default/services/1abc");
    expect([service.status, service.body.message]).toEqual([404, 'services "1abc" not found']);
    expect((await get("core/v1/Pod", "/api/v1/namespaces/default/pods/1abc.example")).status).toBe(200);
  });
});
