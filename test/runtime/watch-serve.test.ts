import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type HandlerContext, type RouteTable, createFetchHandler, createRequestListener } from "../../src/runtime/server.js";
import { eventually as until, startServer } from "../helpers/http.js";

/** Issue 10, server side: a list with `watch=true` is served by the watch handler, as JSON lines. */
const table: RouteTable = {
  authHeader: "authorization",
  kinds: [{ group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" }],
  query: { watch: { type: "boolean" }, timeoutSeconds: { type: "integer" }, allowWatchBookmarks: { type: "boolean" } },
  operations: {
    listPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "list", kind: 0, query: ["watch", "timeoutSeconds"], status: 200 },
    watchPods: { method: "GET", path: "/api/v1/namespaces/{namespace}/pods", operationId: "listCoreV1NamespacedPod", action: "watchlist", kind: 0, query: ["timeoutSeconds", "allowWatchBookmarks"], status: 200, answer: "watch" },
  },
  shapes: { Pod: { t: "object" } },
};

const pod = (name: string, rv: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "team-a", resourceVersion: rv, creationTimestamp: "2026-01-01T00:00:00Z" } });

/** Events the test pushes one at a time; records whether return() was called. */
function controlledEvents() {
  const queue: unknown[] = [];
  let waiting: ((result: IteratorResult<unknown>) => void) | undefined;
  const state = { returned: false, ended: false };
  const iterator: AsyncIterator<unknown> = {
    next: () => {
      if (queue.length) return Promise.resolve({ done: false, value: queue.shift() });
      if (state.ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: async () => {
      state.returned = true;
      return { done: true, value: undefined };
    },
  };
  return {
    state,
    iterable: { [Symbol.asyncIterator]: () => iterator },
    push(event: unknown) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ done: false, value: event });
      } else queue.push(event);
    },
    end() {
      state.ended = true;
      waiting?.({ done: true, value: undefined });
    },
  };
}

let stop = () => {};
afterEach(() => stop());

async function serve(handlers: object) {
  const server = await startServer(createRequestListener(table, handlers) as any);
  stop = server.close;
  return server.port;
}

/** Opens a watch and reads its chunks as they come (or, `paused`, reads nothing: the socket fills up). */
function openWatch(port: number, path: string, headers: Record<string, string> = {}, paused = false) {
  const chunks: string[] = [];
  let onChunk = () => {};
  let destroy = () => {};
  const answer = new Promise<{ status: number; headers: Record<string, unknown>; ended: Promise<void> }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers }, (res) => {
      const ended = new Promise<void>((done) => res.on("end", done).on("close", done));
      res.setEncoding("utf8");
      if (!paused)
        res.on("data", (chunk: string) => {
          chunks.push(chunk);
          onChunk();
        });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, ended });
    });
    req.on("error", reject);
    req.end();
    destroy = () => req.destroy();
  });
  const nextChunk = () => new Promise<void>((resolve) => (onChunk = resolve));
  return { answer, chunks, nextChunk, destroy: () => destroy() };
}

describe("watch requests on node:http", () => {
  it("routes watch=true (and watch=1) to the watch handler, watch=false to the list handler", async () => {
    const seen: string[] = [];
    const port = await serve({
      listPods: () => (seen.push("list"), { body: { kind: "PodList", items: [] } }),
      watchPods: async function* () {
        seen.push("watch");
        yield { type: "ADDED", object: pod("web-1", "1") };
      },
    });
    for (const query of ["watch=true", "watch=1", "watch=false", ""]) {
      const { answer } = openWatch(port, `/api/v1/namespaces/team-a/pods?${query}`);
      await (await answer).ended;
    }
    expect(seen).toEqual(["watch", "watch", "list", "list"]);
  });

  it("streams JSON lines, chunked, one write per event as it comes, Content-Type application/json", async () => {
    const events = controlledEvents();
    const port = await serve({ watchPods: () => events.iterable });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    const answer = await watch.answer;
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.headers["transfer-encoding"]).toBe("chunked");
    // Nothing is buffered: each event reaches the client before the next exists.
    let arrived = watch.nextChunk();
    events.push({ type: "ADDED", object: pod("web-1", "1") });
    await arrived;
    expect(watch.chunks).toEqual([`${JSON.stringify({ type: "ADDED", object: pod("web-1", "1") })}\n`]);
    arrived = watch.nextChunk();
    events.push({ type: "MODIFIED", object: pod("web-1", "2") });
    await arrived;
    expect(watch.chunks).toHaveLength(2);
    events.push({ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "3" } } });
    events.end();
    await answer.ended;
    expect(watch.chunks.join("").trimEnd().split("\n").map((line) => JSON.parse(line).type)).toEqual(["ADDED", "MODIFIED", "BOOKMARK"]);
  });

  it("a client that disconnects ends the iteration: return() is called and context.signal aborts, with no event pending", async () => {
    const events = controlledEvents();
    let signal: AbortSignal | undefined;
    const port = await serve({ watchPods: (_input: unknown, context: HandlerContext) => ((signal = context.signal), events.iterable) });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    const arrived = watch.nextChunk();
    events.push({ type: "ADDED", object: pod("web-1", "1") });
    await arrived;
    expect(events.state.returned).toBe(false);
    watch.destroy();
    expect(await until(() => events.state.returned)).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  // The signal is made only when a handler asks for it (an AbortController per request cost a third of a
  // small request's time): one asked for after the client went away must still say so.
  it("context.signal first read after a disconnect is already aborted", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let aborted: boolean | undefined;
    const port = await serve({
      listPods: async (_input: unknown, context: HandlerContext) => {
        entered();
        await woken;
        aborted = context.signal.aborted;
        return { body: { apiVersion: "v1", kind: "PodList", metadata: {}, items: [] } };
      },
    });
    const list = openWatch(port, "/api/v1/namespaces/team-a/pods");
    list.answer.catch(() => undefined);
    await inHandler;
    list.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    wake();
    expect(await until(() => aborted !== undefined)).toBe(true);
    expect(aborted).toBe(true);
  });

  it("an async generator handler is finished (its finally runs) after a disconnect, once it wakes on context.signal", async () => {
    let finished = false;
    const port = await serve({
      watchPods: async function* (_input: unknown, context: HandlerContext) {
        try {
          yield { type: "ADDED", object: pod("web-1", "1") };
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
        } finally {
          finished = true;
        }
      },
    });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    const arrived = watch.nextChunk();
    await watch.answer;
    await arrived;
    watch.destroy();
    expect(await until(() => finished)).toBe(true);
  });

  it("a client that reads slowly holds the handler back (each write waits for the socket): the server buffers a bounded amount", async () => {
    let yielded = 0;
    let finished = false;
    const big = "x".repeat(64 * 1024);
    const port = await serve({
      watchPods: async function* () {
        try {
          for (;;) {
            yielded++;
            yield { type: "ADDED", object: { ...pod(`web-${yielded}`, String(yielded)), data: big } };
          }
        } finally {
          finished = true;
        }
      },
    });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true", {}, true);
    const answer = await watch.answer;
    expect(answer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Without backpressure the generator would have run tens of thousands of times by now.
    expect(yielded).toBeLessThan(400);
    watch.destroy();
    expect(await until(() => finished)).toBe(true);
  });

  it("ends the watch after timeoutSeconds, as the apiserver does", async () => {
    const events = controlledEvents();
    const port = await serve({ watchPods: () => events.iterable });
    const started = Date.now();
    const answer = await openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true&timeoutSeconds=1").answer;
    await answer.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.state.returned).toBe(true);
  });

  it("an event that is no event ends the stream with an ERROR event holding a 500 Status", async () => {
    const port = await serve({
      watchPods: async function* () {
        yield { type: "ADDED", object: pod("web-1", "1") };
        yield { type: "EXPLODED", object: {} };
        yield { type: "ADDED", object: pod("web-2", "2") };
      },
    });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    await (await watch.answer).ended;
    const events = watch.chunks.join("").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(["ADDED", "ERROR"]);
    expect(events[1].object).toMatchObject({ kind: "Status", code: 500, reason: "InternalError" });
  });

  // Regression: every event's object went through the Table conversion's error check, so an object with a
  // top-level `error` field (a custom resource may have one) ended a plain JSON watch with a 500 ERROR event.
  it("streams an object with a top-level error field as it is", async () => {
    const object = { ...pod("web-1", "1"), error: { message: "a field of the object" } };
    const port = await serve({
      watchPods: async function* () {
        yield { type: "ADDED", object };
      },
    });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    await (await watch.answer).ended;
    const events = watch.chunks.join("").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(events).toEqual([{ type: "ADDED", object }]);
  });

  it("a handler may still refuse with a Status (410 Gone for a resource version too old)", async () => {
    const port = await serve({ watchPods: () => ({ status: 410, body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "too old resource version: 1 (5)" } }) });
    const answer = await openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true&resourceVersion=1").answer;
    expect(answer.status).toBe(410);
  });

  it("without a watch handler: 501 NotImplemented, as for any operation without one", async () => {
    const port = await serve({ listPods: () => ({ body: { kind: "PodList", items: [] } }) });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true");
    const answer = await watch.answer;
    await answer.ended;
    expect(answer.status).toBe(501);
    expect(JSON.parse(watch.chunks.join(""))).toMatchObject({ kind: "Status", code: 501, reason: "NotImplemented", message: "watchPods is not implemented" });
  });

  it("answers a watch asked for as a Table (kubectl get -w) with one Table per event", async () => {
    const port = await serve({
      watchPods: async function* () {
        yield { type: "ADDED", object: pod("web-1", "1") };
      },
    });
    const watch = openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json" });
    await (await watch.answer).ended;
    const event = JSON.parse(watch.chunks.join(""));
    expect(event.type).toBe("ADDED");
    expect(event.object).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1", rows: [{ cells: ["web-1", "2026-01-01T00:00:00Z"] }] });
  });

  it("refuses a watch asked for as YAML only with 406: there is no YAML stream", async () => {
    const port = await serve({ watchPods: async function* () {} });
    const answer = await openWatch(port, "/api/v1/namespaces/team-a/pods?watch=true", { accept: "application/yaml" }).answer;
    expect(answer.status).toBe(406);
  });
});

describe("watch requests through createFetchHandler", () => {
  it("streams the events as the body, and cancelling the body returns the handler's iterator", async () => {
    const events = controlledEvents();
    const handle = createFetchHandler(table, { watchPods: () => events.iterable });
    const response = await handle(new Request("http://k8s.test/api/v1/namespaces/team-a/pods?watch=true"));
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "application/json"]);
    const reader = response.body!.getReader();
    events.push({ type: "ADDED", object: pod("web-1", "1") });
    const first = await reader.read();
    expect(JSON.parse(new TextDecoder().decode(first.value))).toMatchObject({ type: "ADDED" });
    await reader.cancel();
    expect(await until(() => events.state.returned)).toBe(true);
  });
});
