import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated, transports } from "./helpers/generated.js";
import { listenLoopback, scriptedServer, stopServer } from "./helpers/loopback.js";
import { EXAMPLE_SPEC } from "./helpers/run.js";

/**
 * The generated client's streams (watches, followed logs) and its other non-JSON answers, against servers on
 * 127.0.0.1 that answer as kube-apiserver does (JSON lines, chunked, one write per event) or worse: cut
 * mid-line or mid-character, slow, silent, dropped. On both transports: the global fetch and nodeFetch.
 */
const { server, seen, serve } = scriptedServer();
let baseUrl = "";
let generated: Awaited<ReturnType<typeof loadGenerated>>;
/** Connections the server saw close, by the count of the request they carried. */
const closed = new Set<number>();

beforeAll(async () => {
  generated = await loadGenerated(EXAMPLE_SPEC, "Binding,Pod,Node");
  baseUrl = await listenLoopback(server);
});
afterAll(() => stopServer(server));

const TRANSPORTS = transports(() => generated);

const pod = (name: string, resourceVersion: string) => ({ kind: "Pod", apiVersion: "v1", metadata: { name, namespace: "default", resourceVersion } });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A watch answer as kube-apiserver writes it: the head, then each part as its own chunk, `gapMs` apart. */
function streamed(parts: Array<string | Buffer>, options: { gapMs?: number; end?: "end" | "destroy" | "hang"; status?: number; type?: string } = {}) {
  return async (req: IncomingMessage, res: ServerResponse, count: number) => {
    req.socket.once("close", () => closed.add(count));
    res.writeHead(options.status ?? 200, { "content-type": options.type ?? "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    for (const part of parts) {
      if (res.destroyed) return;
      res.write(part);
      await sleep(options.gapMs ?? 5);
    }
    if (options.end === "destroy") res.socket?.destroy();
    else if (options.end !== "hang") res.end();
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function failure(iterable: AsyncIterable<unknown>, into: unknown[] = []): Promise<any> {
  try {
    for await (const item of iterable) into.push(item);
  } catch (error) {
    expect(error).toBeInstanceOf(generated.client.ApiError);
    return error;
  }
  throw new Error("expected the stream to fail");
}

describe.each(TRANSPORTS)("watch, with %s", (_name, transport) => {
  const client = (options: Record<string, unknown> = {}) => generated.client.createClient({ baseUrl, timeoutMs: 2000, ...transport(), ...options });

  it("yields each event as it arrives, from chunks cut mid-line and mid-character, and ends when the server ends the watch", async () => {
    const first = Buffer.from(line("ADDED", pod("wéb-1", "11")));
    const cut = first.indexOf(0xc3) + 1; // inside the 2-byte é
    serve(streamed([first.subarray(0, 7), first.subarray(7, cut), first.subarray(cut), line("MODIFIED", pod("wéb-1", "12")).slice(0, 30), line("MODIFIED", pod("wéb-1", "12")).slice(30) + line("DELETED", pod("wéb-1", "13"))]));
    const events = await collect(client().watchNamespacedPod({ namespace: "default" }));
    expect(events.map((e: any) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`)).toEqual(["ADDED wéb-1 11", "MODIFIED wéb-1 12", "DELETED wéb-1 13"]);
  });

  it("asks for a watch of the list's path, passing resourceVersion, allowWatchBookmarks, timeoutSeconds and the selectors through", async () => {
    serve(streamed([]));
    await collect(client({ token: "t0k" }).watchPodForAllNamespaces({ resourceVersion: "42", allowWatchBookmarks: true, timeoutSeconds: 30, fieldSelector: "spec.nodeName=", labelSelector: "app=web" }));
    const url = new URL(seen[0]!.url, baseUrl);
    expect(url.pathname).toBe("/api/v1/pods");
    expect(Object.fromEntries(url.searchParams)).toEqual({ allowWatchBookmarks: "true", fieldSelector: "spec.nodeName=", labelSelector: "app=web", resourceVersion: "42", timeoutSeconds: "30", watch: "true" });
    expect(seen[0]!.headers["authorization"]).toBe("Bearer t0k");
  });

  it("has no whole-answer timeout: a watch that streams for longer than timeoutMs goes on", async () => {
    serve(streamed([1, 2, 3, 4, 5, 6].map((i) => line("ADDED", pod(`p${i}`, String(i)))), { gapMs: 80 }));
    const events = await collect(client({ timeoutMs: 200 }).watchNode({}));
    expect(events).toHaveLength(6);
  });

  it("fails with status 0 after the idle timeout when the server goes silent, and closes the connection", async () => {
    serve(streamed([line("ADDED", pod("a", "1"))], { end: "hang" }));
    const events: unknown[] = [];
    const started = Date.now();
    const error = await failure(client().watchNode({}, { idleTimeoutMs: 200 }), events);
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({ status: 0, message: "GET /api/v1/nodes: no data within 200 ms" });
    expect(Date.now() - started).toBeLessThan(3000);
    await expect.poll(() => closed.has(1)).toBe(true);
  });

  it("takes the idle timeout from the client's options", async () => {
    serve(streamed([], { end: "hang" }));
    expect(await failure(client({ idleTimeoutMs: 150 }).watchNode({}))).toMatchObject({ message: "GET /api/v1/nodes: no data within 150 ms" });
  });

  it("bounds the wait for the head by timeoutMs", async () => {
    serve(() => undefined);
    expect(await failure(client({ timeoutMs: 150 }).watchNode({}))).toMatchObject({ status: 0, message: "GET /api/v1/nodes: no answer within 150 ms" });
  });

  it("fails with status 0 when the connection drops mid-event, after the events before it", async () => {
    serve(streamed([line("ADDED", pod("a", "1")), line("ADDED", pod("b", "2")).slice(0, 25)], { end: "destroy" }));
    const events: unknown[] = [];
    const error = await failure(client().watchNode({}), events);
    expect(events).toHaveLength(1);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/^GET \/api\/v1\/nodes: the 200 answer was cut off: /);
  });

  it("surfaces an ERROR event with code 410 as an ApiError with status 410", async () => {
    const gone = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 5 (9)", reason: "Expired", code: 410 };
    serve(streamed([line("ERROR", gone)]));
    expect(await failure(client().watchNode({ resourceVersion: "5" }))).toMatchObject({ status: 410, reason: "Expired", statusObject: gone, message: "GET /api/v1/nodes: 410 Expired: too old resource version: 5 (9)" });
  });

  it("surfaces an error answer as an ApiError with its Status", async () => {
    const forbidden = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", message: 'nodes is forbidden: User "x" cannot watch resource "nodes"', code: 403 };
    serve((_req, res) => res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify(forbidden)));
    expect(await failure(client().watchNode({}))).toMatchObject({ status: 403, reason: "Forbidden", statusObject: forbidden });
  });

  it("ends at once, without an error, when the caller aborts; the server sees the connection close", async () => {
    serve(streamed([line("ADDED", pod("a", "1"))], { end: "hang" }));
    const controller = new AbortController();
    const events: unknown[] = [];
    const started = Date.now();
    for await (const event of client().watchNode({}, { signal: controller.signal })) {
      events.push(event);
      setTimeout(() => controller.abort(), 20);
    }
    expect(events).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => closed.has(1)).toBe(true);
  });

  it("closes the connection when the loop stops early", async () => {
    serve(streamed([line("ADDED", pod("a", "1")), line("ADDED", pod("b", "2"))], { end: "hang" }));
    for await (const event of client().watchNode({})) {
      expect(event.type).toBe("ADDED");
      break;
    }
    await expect.poll(() => closed.has(1)).toBe(true);
  });

  it("sends nothing until iterated, and then refuses a bad path value as a failed iteration", async () => {
    serve(streamed([]));
    const events = client().watchNamespacedPod({ namespace: ".." });
    await sleep(20);
    expect(seen).toEqual([]);
    expect(await failure(events)).toMatchObject({ status: 0, message: 'namespace must be a non-empty name other than "." and ".."' });
  });
});

describe.each(TRANSPORTS)("logs, with %s", (_name, transport) => {
  const client = (options: Record<string, unknown> = {}) => generated.client.createClient({ baseUrl, timeoutMs: 2000, ...transport(), ...options });
  const LOG = "starting\n{\"level\":\"info\"}\ndone ✓\n";

  it("gives a log (text/plain) as its text", async () => {
    serve((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(LOG));
    const answer = await client().readNamespacedPodLog({ namespace: "default", name: "web-1", tailLines: 10 });
    expect(answer).toMatchObject({ status: 200, body: LOG });
    expect(seen[0]!.url).toBe("/api/v1/namespaces/default/pods/web-1/log?tailLines=10");
  });

  it("streams a followed log as text chunks, a character cut between chunks decoded whole, until the server closes", async () => {
    const bytes = Buffer.from(LOG);
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte ✓
    serve(streamed([bytes.subarray(0, 9), bytes.subarray(9, cut), bytes.subarray(cut)], { type: "text/plain" }));
    const chunks = await collect(client().readNamespacedPodLog({ namespace: "default", name: "web-1", follow: true }));
    expect(chunks.join("")).toBe(LOG);
    expect(chunks.length).toBeGreaterThan(1);
    expect(seen[0]!.url).toBe("/api/v1/namespaces/default/pods/web-1/log?follow=true");
  });

  it("waits on a quiet followed log (no idle timeout by default), and ends it at once on abort", async () => {
    serve(streamed(["one\n"], { type: "text/plain", end: "hang" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const chunks = await collect(client({ timeoutMs: 100 }).readNamespacedPodLog({ namespace: "default", name: "web-1", follow: true }, { signal: controller.signal }));
    expect(chunks).toEqual(["one\n"]);
  });

  it("fails a followed log whose pod is missing with the ApiError of the 404", async () => {
    serve((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", message: 'pods "web-9" not found', code: 404 })));
    expect(await failure(client().readNamespacedPodLog({ namespace: "default", name: "web-9", follow: true }))).toMatchObject({ status: 404, reason: "NotFound" });
  });
});

describe("patches", () => {
  it.each([
    [undefined, "application/merge-patch+json", { metadata: { labels: { stale: null } } }],
    ["merge", "application/merge-patch+json", { metadata: { labels: { stale: null } } }],
    ["json", "application/json-patch+json", [{ op: "replace", path: "/spec/unschedulable", value: true }]],
    ["strategic-merge", "application/strategic-merge-patch+json", { spec: { taints: [{ key: "a", effect: "NoSchedule" }] } }],
    ["apply", "application/apply-patch+yaml", { apiVersion: "v1", kind: "Node", metadata: { name: "node-a" }, spec: { unschedulable: true } }],
  ])("patchType %s is sent as %s, with its body as JSON", async (patchType, contentType, body) => {
    serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Node", apiVersion: "v1", metadata: { name: "node-a" } })));
    const client = generated.client.createClient({ baseUrl });
    const params = { name: "node-a", body, ...(patchType && { patchType }), ...(patchType === "apply" && { fieldManager: "example-scheduler" }) };
    expect(await client.patchNode(params)).toMatchObject({ status: 200, body: { kind: "Node" } });
    expect(seen[0]).toMatchObject({ method: "PATCH", headers: { "content-type": contentType } });
    expect(JSON.parse(seen[0]!.body)).toEqual(body);
    expect(seen[0]!.url).toBe(patchType === "apply" ? "/api/v1/nodes/node-a?fieldManager=example-scheduler" : "/api/v1/nodes/node-a");
  });
});
