import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleCluster } from "../examples/server/seed.js";
import { createExampleServer, listen } from "../examples/server/server.js";
import type { ClusterStore } from "../examples/server/store.js";
import { type HttpAnswer, send } from "./helpers/http.js";

/**
 * The hostile-request fuzz against the example server (issue 14 item 6): the token is checked before
 * anything else, every answer is a Status with a known code within a size and time budget, and the server
 * never goes down. Before the fix, one unauthenticated `?fieldSelector=__proto__=x` or
 * `/namespaces/%zz/pods` killed it.
 */
const TOKEN = "example-token";
const MAX_ANSWER_BYTES = 64 * 1024;
const BUDGET_MS = 1000;

let store: ClusterStore;
let server: ReturnType<typeof createExampleServer>;
let port = 0;
beforeAll(async () => {
  store = exampleCluster();
  server = createExampleServer(store, { token: TOKEN });
  port = Number(new URL(await listen(server)).port);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function timedSend(init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<HttpAnswer & { ms: number; bytes: number }> {
  const started = performance.now();
  const answer = await send(port, init);
  const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  const yaml = String(answer.headers["content-type"]).startsWith("application/yaml");
  return { ...answer, body: yaml ? parseYaml(text) : answer.body, ms: performance.now() - started, bytes: Buffer.byteLength(text) };
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe("the example server under hostile requests", () => {
  it.each([
    ["?fieldSelector=__proto__=x", "/api/v1/namespaces/default/pods?fieldSelector=__proto__=x"],
    ["?fieldSelector=constructor=x", "/api/v1/pods?fieldSelector=constructor=x"],
    ["/namespaces/%zz/pods", "/api/v1/namespaces/%zz/pods"],
    ["/namespaces/%zz/pods/web-1", "/api/v1/namespaces/%zz/pods/web-1"],
    ["/nodes/%zz", "/api/v1/nodes/%zz"],
    ["a watch of pods", "/api/v1/namespaces/default/pods?watch=true"],
  ])("without a token, %s is a 401, before anything else", async (_name, path) => {
    const answer = await timedSend({ method: "GET", path });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ kind: "Status", code: 401, reason: "Unauthorized" });
  });

  it.each([
    ["?fieldSelector=__proto__=x", "/api/v1/namespaces/default/pods?fieldSelector=__proto__=x", 400],
    ["/namespaces/%zz/pods", "/api/v1/namespaces/%zz/pods", 400],
  ])("with the token, %s is answered with a Status, and the server stays up", async (_name, path, status) => {
    const answer = await timedSend({ method: "GET", path, headers: auth });
    expect(answer.status).toBe(status);
    expect((await timedSend({ method: "GET", path: "/api/v1/nodes", headers: auth })).status).toBe(200);
  });

  it.each([
    ["a field selector it does not know", "/api/v1/namespaces/default/pods?watch=true&fieldSelector=__proto__=x", 400],
    ["a label selector", "/api/v1/pods?watch=1&labelSelector=app%3Dweb", 400],
    ["a resourceVersion that is not one", "/api/v1/nodes?watch=true&resourceVersion=abc", 400],
    ["a broken namespace", "/api/v1/namespaces/%zz/pods?watch=true", 400],
    ["YAML only", "/api/v1/nodes?watch=true", 406],
  ])("a watch with %s is answered at once (%i), and ends", async (name, path, status) => {
    const accept = name === "YAML only" ? { accept: "application/yaml" } : {};
    const answer = await timedSend({ method: "GET", path, headers: { ...auth, ...accept } });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ kind: "Status", code: status });
  });

  it("fuzzed requests, with and without the token: a Status with a known code, within 64 KiB and 1 s each; never a crash", async () => {
    const segment = fc.oneof(
      { arbitrary: fc.constantFrom("default", "web-1", "node-a", "db-0"), weight: 4 },
      fc.constantFrom("..", ".", "%2F", "%00", "%2e%2e", "%", "%zz", "__proto__", "constructor", "toString", "Web_1", "a".repeat(300), "%C3%A9", "%FF%FE", "kube-sy%73tem"),
      fc.stringMatching(/^[a-z0-9%._~A-Z-]{1,20}$/),
    );
    const query = fc.array(
      fc.tuple(
        fc.constantFrom("fieldSelector", "labelSelector", "dryRun", "fieldValidation", "limit", "pretty", "__proto__", "includeObject", "timeoutSeconds"),
        fc.constantFrom("__proto__=x", "constructor=x", "spec.nodeName=", "spec.nodeName!=", "metadata.name=web-1", "a=b", "", "%zz", "All", "Strict", "1", "-1", "x".repeat(500), "toString==1"),
      ),
      { maxLength: 3 },
    );
    const path = fc.oneof(
      fc.tuple(segment, segment).map(([ns, name]) => `/api/v1/namespaces/${ns}/pods/${name}`),
      fc.tuple(segment, segment).map(([ns, name]) => `/api/v1/namespaces/${ns}/pods/${name}/binding`),
      segment.map((ns) => `/api/v1/namespaces/${ns}/pods`),
      segment.map((ns) => `/api/v1/namespaces/${ns}/bindings`),
      segment.map((name) => `/api/v1/nodes/${name}`),
      fc.constantFrom("/", "/api", "/api/v1", "/apis", "/version", "/openapi/v2", "/api/v1/pods", "/api/v1/nodes", "/api/v1/namespaces//pods", "/api/v1/watch/pods"),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.constant(JSON.stringify({ metadata: { name: "web-1" }, target: { name: "node-a" } })),
      fc.json(),
      fc.constant('{"__proto__":{"polluted":true},"target":{"name":"node-a"}}'),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "GET", "POST", "PUT", "PATCH", "DELETE"),
      path,
      query: query.map((parts) => (parts.length ? `?${parts.map(([k, v]) => `${k}=${v}`).join("&")}` : "")),
      token: fc.constantFrom(TOKEN, TOKEN, "wrong", undefined),
      contentType: fc.constantFrom("application/json", "application/merge-patch+json", "text/plain", undefined),
      accept: fc.constantFrom(undefined, "application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/yaml", "text/html"),
      body,
    });
    const known = new Set([200, 201, 400, 401, 404, 405, 406, 409, 413, 415, 422, 501]);
    const RUNS = Number(process.env["FC_RUNS"] ?? 400);
    let slowest = 0;
    let largest = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {
          ...(r.token !== undefined && { authorization: `Bearer ${r.token}` }),
          ...(r.contentType !== undefined && { "content-type": r.contentType }),
          ...(r.accept !== undefined && { accept: r.accept }),
        };
        const answer = await timedSend({ method: r.method, path: r.path + r.query, headers, ...(r.body !== undefined && { body: r.body }) });
        const what = `${r.method} ${r.path}${r.query}`;
        slowest = Math.max(slowest, answer.ms);
        largest = Math.max(largest, answer.bytes);
        if (r.token !== TOKEN) expect(answer.status, what).toBe(401);
        expect(known, `status ${answer.status} for ${what}`).toContain(answer.status);
        if (answer.status >= 400) expect(answer.body, what).toMatchObject({ kind: "Status", status: "Failure", code: answer.status });
        // The OpenAPI document is the server's own, not made from the request.
        if (r.path !== "/openapi/v2" || answer.status >= 400) expect(answer.bytes, what).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
        expect(answer.ms, what).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: RUNS, seed: Number(process.env["FC_SEED"] ?? 14) },
    );
    console.log(`fuzzed ${RUNS} hostile requests against the example server: largest answer ${largest} bytes, slowest ${slowest.toFixed(0)} ms`);
    expect(({} as any).polluted).toBeUndefined();
    expect((await timedSend({ method: "GET", path: "/api/v1/nodes", headers: auth })).status).toBe(200);
  }, 120_000);
});
