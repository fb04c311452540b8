import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated, transports } from "./helpers/generated.js";
import { listenLoopback, scriptedServer, stopServer } from "./helpers/loopback.js";
import { EXAMPLE_SPEC } from "./helpers/run.js";

/**
 * What the generated client reads and where it sends things, against servers on 127.0.0.1 that answer too
 * much, say too much, or send it elsewhere (issue 14): answers and watch events bounded by
 * `maxResponseBytes`, messages shortened and escaped, redirects kept within the origin. On both transports.
 */
const home = scriptedServer();
const elsewhere = scriptedServer();
let baseUrl = "";
let otherUrl = "";
let generated: Awaited<ReturnType<typeof loadGenerated>>;

beforeAll(async () => {
  generated = await loadGenerated(EXAMPLE_SPEC, "Binding,Pod,Node");
  baseUrl = await listenLoopback(home.server);
  otherUrl = await listenLoopback(elsewhere.server);
});
afterAll(() => {
  stopServer(home.server);
  stopServer(elsewhere.server);
});

const TRANSPORTS = transports(() => generated);

const BINDING = { metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const BIND_PATH = "POST /api/v1/namespaces/default/pods/web-1/binding";
const pod = (name: string) => ({ kind: "Pod", apiVersion: "v1", metadata: { name, namespace: "default", resourceVersion: "1" } });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

/** Answers `total` bytes (spaces: JSON's whitespace) in 64 KiB chunks, as fast as the client takes them; counts what it wrote. */
function bigList(total: number, status = 200) {
  const written = { bytes: 0 };
  const behaviour = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, " ");
    const more = () => {
      while (!res.destroyed && written.bytes < total) {
        written.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      if (!res.destroyed) res.end();
    };
    more();
  };
  return { written, behaviour };
}

/** What a test checks of an ApiError, small: a failing check must not print megabytes. */
const summary = (error: any) => ({ status: error.status, message: String(error.message).slice(0, 400), body: error.body === undefined ? undefined : `${error.body.length} characters` });

async function fails(call: Promise<unknown> | AsyncIterable<unknown>, into: unknown[] = []): Promise<any> {
  try {
    if (Symbol.asyncIterator in call) for await (const item of call) into.push(item);
    else await call;
  } catch (error) {
    expect(error).toBeInstanceOf(generated.client.ApiError);
    return error;
  }
  throw new Error("expected the call to fail");
}

describe.each(TRANSPORTS)("what the client reads, with %s", (_name, transport) => {
  const client = (options: Record<string, unknown> = {}) => generated.client.createClient({ baseUrl, timeoutMs: 5000, ...transport(), ...options });

  // Regression (issue 14, "the client reads any answer whole": 480 MB -> 1.5 GB): an answer is read only up to maxResponseBytes.
  it("stops reading an answer larger than maxResponseBytes, with an ApiError that says so", async () => {
    const { written, behaviour } = bigList(64 * 1024 * 1024);
    home.serve(behaviour);
    const error = await fails(client({ maxResponseBytes: 1024 * 1024 }).listNode({}));
    expect(summary(error)).toEqual({ status: 200, body: undefined, message: "GET /api/v1/nodes: the 200 answer is larger than maxResponseBytes (1048576 bytes); page a long list with limit and continue, or raise the limit" });
    expect(written.bytes).toBeLessThan(32 * 1024 * 1024);
  });

  it("refuses an answer whose Content-Length is over the limit without reading it", async () => {
    home.serve((_req, res) => res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) }).end(" ".repeat(10 * 1024 * 1024)));
    const error = await fails(client({ maxResponseBytes: 1000 }).listNode({}));
    expect(summary(error).message).toBe("GET /api/v1/nodes: the 200 answer is larger than maxResponseBytes (1000 bytes); page a long list with limit and continue, or raise the limit");
  });

  it("reads an answer of exactly maxResponseBytes", async () => {
    const body = JSON.stringify({ kind: "NodeList", apiVersion: "v1", metadata: {}, items: [] });
    home.serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
    await expect(client({ maxResponseBytes: body.length }).listNode({})).resolves.toMatchObject({ status: 200, body: { kind: "NodeList" } });
    await expect(client({ maxResponseBytes: body.length - 1 }).listNode({})).rejects.toMatchObject({ status: 200 });
  });

  // Regression (issue 14, "a Status with a 100 MB message becomes a 100 MB ApiError.message").
  it("shortens a Status message in ApiError.message, keeping the whole Status on statusObject", async () => {
    const message = `pods "web-1" is invalid: ${"x".repeat(4 * 1024 * 1024)}`;
    const invalid = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Invalid", code: 422 };
    home.serve((_req, res) => res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify(invalid)));
    const error = await fails(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING }));
    expect(summary(error).message).toBe(`${BIND_PATH}: 422 Invalid: pods "web-1" is invalid: ${"x".repeat(1000 - 25)}...`.slice(0, 400));
    expect(error.message).toHaveLength(BIND_PATH.length + ": 422 Invalid: ".length + 1003);
    expect(error.statusObject.message === message).toBe(true);
  });

  // Regression (issue 14, log forging: CR/LF and ANSI escapes from a server's Status went verbatim into ApiError.message).
  it("escapes control characters a server puts in a Status, its reason, a text answer or a watch line", async () => {
    const forged = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict\r\n", message: 'taken\n2024-01-01 INFO bound web-1 to node-a\u001b[2K\u0000\u2028', code: 409 };
    home.serve((_req, res) => res.writeHead(409, { "content-type": "application/json" }).end(JSON.stringify(forged)));
    const error = await fails(client().createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING }));
    expect(error.message).toBe(`${BIND_PATH}: 409 Conflict\\r\\n: taken\\n2024-01-01 INFO bound web-1 to node-a\\u001b[2K\\u0000\\u2028`);
    expect(error.statusObject).toEqual(forged);
    home.serve((_req, res) => res.writeHead(502, { "content-type": "text/html" }).end("bad\r\ngateway\u001b]0;owned\u0007"));
    expect((await fails(client().listNode({}))).message).toBe("GET /api/v1/nodes: 502: bad\\r\\ngateway\\u001b]0;owned\\u0007");
    home.serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{nope\r\u001b[1A\n"));
    expect((await fails(client().watchNode({}))).message).toBe("GET /api/v1/nodes: the watch sent a line that is not JSON: {nope\\r\\u001b[1A");
  });

  // Regression (issue 14): a watch line was kept whole however long it grew.
  it("ends a watch whose one event is larger than maxResponseBytes, after the events before it", async () => {
    home.serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(line("ADDED", pod("a")));
      const chunk = "x".repeat(64 * 1024);
      const more = () => {
        for (let i = 0; i < 512 && !res.destroyed; i++) if (!res.write(chunk)) return void res.once("drain", more);
        if (!res.destroyed) res.end("\n");
      };
      more();
    });
    const events: unknown[] = [];
    const error = await fails(client({ maxResponseBytes: 256 * 1024 }).watchNode({}), events);
    expect(events).toHaveLength(1);
    expect(summary(error)).toEqual({ status: 200, body: undefined, message: "GET /api/v1/nodes: the watch sent an event larger than maxResponseBytes (262144 bytes)" });
  });

  it("does not bound a watch's whole length: many events, each within the limit, come through", async () => {
    const events = Array.from({ length: 400 }, (_, i) => line("ADDED", pod(`p-${i}`)));
    home.serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(events.join("")));
    let count = 0;
    for await (const _event of client({ maxResponseBytes: 1024 }).watchNode({})) count++;
    expect([count, events.join("").length > 20 * 1024]).toEqual([400, true]);
  });

  it("bounds the error answer of a watch too", async () => {
    home.serve(bigList(64 * 1024 * 1024, 500).behaviour);
    const error = await fails(client({ maxResponseBytes: 1024 * 1024 }).watchNode({}));
    expect(summary(error)).toEqual({ status: 500, body: undefined, message: "GET /api/v1/nodes: the 500 answer is larger than maxResponseBytes (1048576 bytes); page a long list with limit and continue, or raise the limit" });
  });
});

describe.each(TRANSPORTS)("redirects, with %s", (_name, transport) => {
  const client = (options: Record<string, unknown> = {}) => generated.client.createClient({ baseUrl, timeoutMs: 5000, token: "s3cret", headers: { "Impersonate-User": "system:admin" }, ...transport(), ...options });
  const bind = (options: Record<string, unknown> = {}) => client(options).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
  const redirect = (status: number, location: () => string) => (req: IncomingMessage, res: ServerResponse, count: number) => {
    if (count === 1) return void res.writeHead(status, { location: location(), "content-type": "text/plain" }).end("moved");
    res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" }).end(JSON.stringify(req.method === "POST" ? SUCCESS : { kind: "NodeList", items: [] }));
  };

  // Regression (issue 14: with the global fetch, a cross-origin redirect carried options.headers and the body to the other host).
  it.each([[301], [302], [303], [307], [308]])("never follows a %i to another origin: the other server sees nothing, the call fails", async (status) => {
    home.serve(redirect(status, () => `${otherUrl}/api/v1/namespaces/default/pods/web-1/binding`));
    elsewhere.serve(redirect(201, () => ""));
    const error = await fails(bind());
    expect(error).toMatchObject({ status, message: `${BIND_PATH}: the server redirected (${status}) to another origin, ${otherUrl}: not followed, so that the token, headers and body stay with ${baseUrl}` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(elsewhere.seen).toEqual([]);
  });

  it("never follows a watch to another origin", async () => {
    home.serve(redirect(307, () => `${otherUrl}/api/v1/nodes?watch=true`));
    elsewhere.serve(redirect(201, () => ""));
    expect((await fails(client().watchNode({}))).status).toBe(307);
    expect(elsewhere.seen).toEqual([]);
  });

  // Regression (issue 14: a 302 turned the POST into a GET whose 201 was reported as success).
  it.each([[301], [302], [303]])("refuses a %i that would turn the POST into a GET, sending no GET", async (status) => {
    home.serve(redirect(status, () => "/api/v1/namespaces/default/pods/web-1/binding-moved"));
    const error = await fails(bind());
    expect(error).toMatchObject({ status, message: `${BIND_PATH}: the server redirected (${status}) to /api/v1/namespaces/default/pods/web-1/binding-moved, which would turn the POST into a GET: not followed` });
    expect(home.seen.map((r) => r.method)).toEqual(["POST"]);
  });

  it.each([[307], [308]])("follows a %i within the origin with the same method, token, headers and body", async (status) => {
    home.serve(redirect(status, () => "/moved/binding"));
    await expect(bind()).resolves.toMatchObject({ status: 201, body: SUCCESS });
    expect(home.seen.map((r) => [r.method, r.url, r.headers["authorization"], r.headers["impersonate-user"], r.body])).toEqual([
      ["POST", "/api/v1/namespaces/default/pods/web-1/binding", "Bearer s3cret", "system:admin", JSON.stringify(BINDING)],
      ["POST", "/moved/binding", "Bearer s3cret", "system:admin", JSON.stringify(BINDING)],
    ]);
  });

  it.each([[301], [302], [303], [307], [308]])("follows a %i of a GET within the origin", async (status) => {
    home.serve(redirect(status, () => `${baseUrl}/k8s/api/v1/nodes`));
    await expect(client().listNode({})).resolves.toMatchObject({ status: 200, body: { kind: "NodeList" } });
    expect(home.seen.map((r) => [r.method, r.url, r.headers["authorization"]])).toEqual([
      ["GET", "/api/v1/nodes", "Bearer s3cret"],
      ["GET", "/k8s/api/v1/nodes", "Bearer s3cret"],
    ]);
  });

  it("gives up after 10 redirects within the origin", async () => {
    home.serve((_req, res) => res.writeHead(302, { location: "/api/v1/nodes" }).end());
    expect(await fails(client().listNode({}))).toMatchObject({ status: 302, message: "GET /api/v1/nodes: more than 10 redirects" });
    expect(home.seen).toHaveLength(11);
  });
});
