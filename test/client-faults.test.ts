import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated, transports } from "./helpers/generated.js";
import { jsonAnswer, listenLoopback, refusedUrl, scriptedServer, stopServer } from "./helpers/loopback.js";
import { realSpecs } from "./helpers/run.js";

/**
 * The generated client against a misbehaving server on 127.0.0.1: every fault ends in ApiError with a
 * message that says what happened, within a bounded time; retries happen only when asked for.
 */
const { server, seen, serve } = scriptedServer();
let baseUrl = "";
let generated: Awaited<ReturnType<typeof loadGenerated>>;

beforeAll(async () => {
  generated = await loadGenerated();
  baseUrl = await listenLoopback(server);
});
afterAll(() => stopServer(server));

const BINDING = { metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const PATH = "POST /api/v1/namespaces/default/pods/web-1/binding";

const answer = jsonAnswer;
const unavailable = (retryAfter?: string) => answer(503, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", message: "etcd is restarting", code: 503 }, retryAfter ? { "retry-after": retryAfter } : {});

/** Binds web-1 and returns the ApiError it fails with, and how long that took. */
async function bindFails(options: Record<string, unknown> = {}, init?: RequestInit): Promise<{ error: any; ms: number }> {
  const started = Date.now();
  const client = generated.client.createClient({ baseUrl, timeoutMs: 2000, ...options });
  const error = await client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING }, init).then(
    () => expect.unreachable("the call succeeded"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(generated.client.ApiError);
  return { error, ms: Date.now() - started };
}

/** The network faults hit both transports: the global fetch and node.ts's nodeFetch (over plain http here). */
const TRANSPORTS = transports(() => generated);

describe.each(TRANSPORTS)("generated client network faults, with %s", (_name, transport) => {
  it("connection refused: status 0, says so", async () => {
    const { error } = await bindFails({ ...transport(), baseUrl: await refusedUrl() });
    expect(error).toMatchObject({ status: 0, attempts: 1, message: `${PATH}: connection refused (ECONNREFUSED)` });
  });

  it("connection dropped before any answer: status 0, says the server closed it", async () => {
    serve((req) => req.socket.destroy());
    const { error } = await bindFails(transport());
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/^POST \/api\/v1\/namespaces\/default\/pods\/web-1\/binding: connection (closed|reset) by the server \((UND_ERR_SOCKET|ECONNRESET)\)$/);
  });

  it("reset in the middle of the body: status 0, says the answer was cut off", async () => {
    serve((_req, res) => {
      res.writeHead(201, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"kind":"Sta');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { error } = await bindFails(transport());
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/^POST \/api\/v1\/namespaces\/default\/pods\/web-1\/binding: the 201 answer was cut off: /);
  });

  it("a body that stalls after the headers ends at timeoutMs, not in a hang", async () => {
    serve((_req, res) => {
      res.writeHead(201, { "content-type": "application/json" });
      res.write("{");
    });
    const { error, ms } = await bindFails({ ...transport(), timeoutMs: 150 });
    expect(error).toMatchObject({ status: 0, message: `${PATH}: the 201 answer was cut off: no answer within 150 ms` });
    expect(ms).toBeLessThan(1500);
  });

  it("a server that never answers ends at timeoutMs", async () => {
    serve(() => undefined);
    const { error, ms } = await bindFails({ ...transport(), timeoutMs: 150 });
    expect(error).toMatchObject({ status: 0, message: `${PATH}: no answer within 150 ms` });
    expect(ms).toBeLessThan(1500);
  });
});

describe("generated client faults", () => {
  it("a non-JSON error body is kept as text, with an excerpt in the message", async () => {
    serve(answer(502, `<html>${"bad gateway ".repeat(40)}</html>`, { "content-type": "text/html" }));
    const { error } = await bindFails();
    expect(error).toMatchObject({ status: 502, statusObject: undefined, reason: undefined });
    expect(error.body).toContain("bad gateway");
    expect(error.message).toMatch(/^POST .*: 502: <html>bad gateway .*\.\.\.$/);
    expect(error.headers.get("content-type")).toBe("text/html");
  });

  it("a non-JSON success body is an ApiError too, not a string typed as a Binding", async () => {
    serve(answer(200, "<html>login page</html>", { "content-type": "text/html" }));
    const { error } = await bindFails();
    expect(error).toMatchObject({ status: 200, body: "<html>login page</html>", message: `${PATH}: the 200 answer is not JSON (text/html): <html>login page</html>` });
  });

  it("does not retry a POST on 429 or 503 unless asked: one request, the server's Status", async () => {
    serve(answer(429, { kind: "Status", status: "Failure", reason: "TooManyRequests", message: "storage is (re)initializing", code: 429 }, { "retry-after": "1" }));
    const { error } = await bindFails({ retry: { retries: 3, baseDelayMs: 1 } });
    expect(error).toMatchObject({ status: 429, reason: "TooManyRequests", attempts: 1 });
    expect(error.headers.get("retry-after")).toBe("1");
    expect(seen.length).toBe(1);
  });

  it("retries a POST on 429 and 503 with nonIdempotent: true, then succeeds", async () => {
    serve((req, res, count) => (count < 3 ? unavailable("0")(req, res) : answer(201, SUCCESS)(req, res)));
    const client = generated.client.createClient({ baseUrl, retry: { nonIdempotent: true, baseDelayMs: 1 } });
    const result = await client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
    expect(result).toMatchObject({ status: 201, body: SUCCESS });
    expect(seen.length).toBe(3);
  });

  it("waits what Retry-After says, capped at maxDelayMs", async () => {
    serve((req, res, count) => (count === 1 ? unavailable("1")(req, res) : answer(201, SUCCESS)(req, res)));
    let started = Date.now();
    await generated.client.createClient({ baseUrl, retry: { nonIdempotent: true, baseDelayMs: 1 } }).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    serve((req, res, count) => (count === 1 ? unavailable("3600")(req, res) : answer(201, SUCCESS)(req, res)));
    started = Date.now();
    await generated.client.createClient({ baseUrl, retry: { nonIdempotent: true, maxDelayMs: 50 } }).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
    expect(Date.now() - started).toBeLessThan(900);
    expect(seen.length).toBe(2);
  });

  it("gives up after the bounded number of retries, saying how many attempts it made", async () => {
    serve(unavailable());
    const { error } = await bindFails({ retry: { retries: 2, baseDelayMs: 5, nonIdempotent: true } });
    expect(error).toMatchObject({ status: 503, reason: "ServiceUnavailable", attempts: 3, message: `${PATH}: 503 ServiceUnavailable: etcd is restarting (after 3 attempts)` });
    expect(seen.length).toBe(3);
  });

  it.each([
    [409, "Conflict"],
    [500, "InternalError"],
    [422, "Invalid"],
  ])("never retries a %i answer", async (code, reason) => {
    serve(answer(code, { kind: "Status", status: "Failure", reason, code }));
    const { error } = await bindFails({ retry: { nonIdempotent: true, baseDelayMs: 1 } });
    expect(error).toMatchObject({ status: code, attempts: 1 });
    expect(seen.length).toBe(1);
  });

  it("a token that cannot be had, or a body that cannot be serialized, is an ApiError before anything is sent", async () => {
    serve(answer(201, SUCCESS));
    const { error: token } = await bindFails({ token: () => { throw new Error("ENOENT: no such file, open '/var/run/secrets/token'"); } });
    expect(token).toMatchObject({ status: 0, message: `${PATH}: could not get the bearer token: ENOENT: no such file, open '/var/run/secrets/token'` });
    const cyclic: Record<string, unknown> = { metadata: { name: "web-1" }, target: { name: "node-a" } };
    cyclic["self"] = cyclic;
    const body = await generated.client.createClient({ baseUrl }).createNamespacedBinding({ namespace: "default", body: cyclic }).catch((e: unknown) => e);
    expect(body).toMatchObject({ status: 0, message: expect.stringMatching(/^POST \/api\/v1\/namespaces\/default\/bindings: could not serialize the body: .*circular/) });
    expect(seen.length).toBe(0);
  });

  it("an abort by the caller during the backoff ends the call at once", async () => {
    serve(unavailable("60"));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await bindFails({ retry: { nonIdempotent: true, maxDelayMs: 60_000 } }, { signal: controller.signal });
    expect(error).toMatchObject({ status: 0, message: `${PATH}: aborted while waiting to retry` });
    expect(ms).toBeLessThan(1500);
    expect(seen.length).toBe(1);
  });
});

const newest = realSpecs().at(-1);
describe.skipIf(!newest)(`retries of idempotent calls (Pod from ${newest?.[0] ?? "no release in ../shared/specs"})`, () => {
  it("a GET is retried on 503 and on a dropped connection without nonIdempotent", async () => {
    const pod = await loadGenerated(newest![1], "Pod");
    serve((req, res, count) => (count === 1 ? unavailable("0")(req, res) : count === 2 ? req.socket.destroy() : answer(200, { kind: "Pod", apiVersion: "v1", metadata: { name: "web-1" } })(req, res)));
    const client = pod.client.createClient({ baseUrl, retry: { baseDelayMs: 1 } });
    const result = await client.readNamespacedPod({ namespace: "default", name: "web-1" });
    expect(result.body.metadata.name).toBe("web-1");
    expect(seen.length).toBe(3);
  });
});
