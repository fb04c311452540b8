import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/runtime/api-error.js";
import { type InformerEvent, listThenWatch, objectKey } from "../../src/runtime/informer.js";
import type { WatchEvent } from "../../src/runtime/watch.js";

interface Pod {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { nodeName?: string };
}

const pod = (name: string, resourceVersion: string, nodeName?: string): Pod => ({ metadata: { name, namespace: "default", resourceVersion }, ...(nodeName && { spec: { nodeName } }) });

/**
 * A scripted API: each list call answers with the next of `lists` (or throws it), each watch call plays the
 * next of `watches` (events, then a throw or an end). Records the params of every call.
 */
function scriptedApi(lists: Array<{ items: Pod[]; resourceVersion: string } | ApiError>, watches: Array<Array<WatchEvent<Pod> | ApiError>>) {
  const calls: Array<{ call: "list" | "watch"; params: Record<string, unknown> }> = [];
  const list = async (params: { fieldSelector?: string }) => {
    calls.push({ call: "list", params });
    const next = lists.shift();
    if (!next) throw new Error("no more lists scripted");
    if (next instanceof ApiError) throw next;
    return { body: { metadata: { resourceVersion: next.resourceVersion }, items: next.items } };
  };
  const watch = (params: object, init?: RequestInit): AsyncIterable<WatchEvent<Pod>> => {
    calls.push({ call: "watch", params: params as Record<string, unknown> });
    const script = watches.shift();
    return (async function* () {
      if (!script) {
        // Nothing more scripted: wait until the caller aborts.
        await new Promise((resolve) => init?.signal?.addEventListener("abort", resolve));
        return;
      }
      for (const step of script) {
        if (step instanceof ApiError) throw step;
        yield step;
      }
    })();
  };
  return { list, watch, calls };
}

/** Iterates until `count` events arrived, then stops (aborting the informer). */
async function take(informer: AsyncIterable<InformerEvent<Pod>>, count: number, controller: AbortController): Promise<InformerEvent<Pod>[]> {
  const events: InformerEvent<Pod>[] = [];
  for await (const event of informer) {
    events.push(event);
    if (events.length === count) controller.abort();
  }
  return events;
}

const dropped = new ApiError("GET /api/v1/pods: the 200 answer was cut off: connection reset by the server (ECONNRESET)", { status: 0 });
const gone = new ApiError("GET /api/v1/pods: 410 Expired: too old resource version", { status: 410, statusObject: { code: 410, reason: "Expired" } });
const fast = { baseDelayMs: 1, watchTimeoutSeconds: 60 };

describe("listThenWatch", () => {
  it("lists, then watches from the list's resource version with bookmarks, keeping the cache by namespace/name", async () => {
    const api = scriptedApi([{ items: [pod("a", "1")], resourceVersion: "10" }], [[{ type: "ADDED", object: pod("b", "11") }, { type: "MODIFIED", object: pod("a", "12", "node-a") }, { type: "DELETED", object: pod("b", "13") }]]);
    const controller = new AbortController();
    const informer = listThenWatch(api.list, api.watch, { fieldSelector: "spec.nodeName=" }, { ...fast, signal: controller.signal });
    const events = await take(informer, 4, controller);
    expect(events.map((e) => (e.type === "SYNCED" ? `SYNCED ${e.objects.length}` : `${e.type} ${e.key}`))).toEqual(["SYNCED 1", "ADDED default/b", "MODIFIED default/a", "DELETED default/b"]);
    expect([...informer.cache.keys()]).toEqual(["default/a"]);
    expect(informer.cache.get("default/a")!.spec!.nodeName).toBe("node-a");
    expect(informer.resourceVersion).toBe("13");
    expect(api.calls.slice(0, 2)).toEqual([
      { call: "list", params: { fieldSelector: "spec.nodeName=" } },
      { call: "watch", params: { fieldSelector: "spec.nodeName=", allowWatchBookmarks: true, timeoutSeconds: 60, resourceVersion: "10" } },
    ]);
  });

  it("resumes from the last resource version seen (a bookmark's included) when a watch ends or drops, without listing again", async () => {
    const api = scriptedApi(
      [{ items: [], resourceVersion: "10" }],
      [[{ type: "ADDED", object: pod("a", "11") }], [{ type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } }, dropped], [{ type: "ADDED", object: pod("b", "16") }]],
    );
    const retried: string[] = [];
    const controller = new AbortController();
    const events = await take(listThenWatch(api.list, api.watch, {}, { ...fast, signal: controller.signal, onRetry: (e) => retried.push(e.message) }), 3, controller);
    expect(events.map((e) => e.type)).toEqual(["SYNCED", "ADDED", "ADDED"]);
    expect(api.calls.map((c) => `${c.call} ${c.params["resourceVersion"] ?? ""}`)).toEqual(["list ", "watch 10", "watch 11", "watch 15"]);
    expect(retried).toEqual([dropped.message]);
  });

  it("lists again after a 410, replacing the cache", async () => {
    const api = scriptedApi(
      [{ items: [pod("a", "1")], resourceVersion: "10" }, { items: [pod("c", "30")], resourceVersion: "30" }],
      [[{ type: "ADDED", object: pod("b", "11") }, gone]],
    );
    const controller = new AbortController();
    const informer = listThenWatch(api.list, api.watch, {}, { ...fast, signal: controller.signal });
    const events = await take(informer, 3, controller);
    expect(events.map((e) => e.type)).toEqual(["SYNCED", "ADDED", "SYNCED"]);
    expect([...informer.cache.keys()]).toEqual(["default/c"]);
    expect(api.calls.map((c) => `${c.call} ${c.params["resourceVersion"] ?? ""}`)).toEqual(["list ", "watch 10", "list "]);
  });

  it("retries a watch ERROR event and a 503 with backoff, and gives up at once on a 403", async () => {
    const forbidden = new ApiError('GET /api/v1/pods: 403 Forbidden: pods is forbidden: User "x" cannot watch', { status: 403 });
    const api = scriptedApi(
      [new ApiError("GET /api/v1/pods: 503", { status: 503 }), { items: [], resourceVersion: "1" }],
      [[{ type: "ERROR", object: { code: 500, message: "internal error" } }], [forbidden]],
    );
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of listThenWatch(api.list, api.watch, {}, fast)) events.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBe(forbidden);
    expect(events).toEqual(["SYNCED"]);
    expect(api.calls.map((c) => c.call)).toEqual(["list", "list", "watch", "watch"]);
  });

  it.each([[401], [403], [404], [501]])("gives up at once on a list answered %i", async (status) => {
    const refused = new ApiError(`GET /api/v1/pods: ${status}`, { status });
    const api = scriptedApi([refused], []);
    const error = await (async () => {
      for await (const event of listThenWatch(api.list, api.watch, {}, fast)) void event;
    })().catch((e: unknown) => e);
    expect(error).toBe(refused);
  });

  it("ends at once, without an error, when its signal aborts during a watch", async () => {
    const api = scriptedApi([{ items: [], resourceVersion: "1" }], []);
    const controller = new AbortController();
    const informer = listThenWatch(api.list, api.watch, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const events = [];
    for await (const event of informer) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["SYNCED"]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("can be iterated once", () => {
    const api = scriptedApi([], []);
    const informer = listThenWatch(api.list, api.watch, {});
    informer[Symbol.asyncIterator]();
    expect(() => informer[Symbol.asyncIterator]()).toThrow("already being iterated");
  });

  it.each([
    [{ metadata: { name: "a", namespace: "ns" } }, "ns/a"],
    [{ metadata: { name: "node-a" } }, "node-a"],
    [{}, ""],
  ])("keys %j as %j", (object, key) => {
    expect(objectKey(object)).toBe(key);
  });
});
