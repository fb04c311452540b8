import { describe, expect, it } from "vitest";
import { listThenWatch } from "../examples/k8s/client.js";
import { type Decision, watchAndSchedule } from "../examples/scheduler/scheduler.js";
import { EXAMPLE_TOKEN, useExampleServer } from "./helpers/example-server.js";
import { eventually as until } from "./helpers/http.js";

/**
 * The example server serves watches of pods and nodes (issue 10, server side), so the scheduler's `--watch`
 * mode (list-then-watch) runs against it, and a client that goes away leaves no watch behind. Watches that
 * allow them get bookmarks, and a watch without `timeoutSeconds` ends as the apiserver ends it.
 */

describe("example server: watches", () => {
  const t = useExampleServer();
  it("a watch without a resourceVersion: an ADDED per pod, then each change as it happens", async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of t.client().watchNamespacedPod({ namespace: "default" }, { signal: stop.signal })) {
        seen.push(`${event.type} ${event.type === "ADDED" || event.type === "MODIFIED" ? `${event.object.metadata?.name} ${event.object.spec?.nodeName ?? "-"}` : ""}`);
        if (seen.length === 4) await t.client().createNamespacedPodBinding({ namespace: "default", name: "web-2", body: { metadata: { name: "web-2" }, target: { kind: "Node", name: "node-b" } } });
        if (seen.length === 5) stop.abort();
      }
    })().catch((error: unknown) => (stop.signal.aborted ? undefined : Promise.reject(error)));
    await watching;
    expect(seen).toEqual(["ADDED db-0 node-a", "ADDED web-1 -", "ADDED web-2 -", "ADDED web-3 -", "MODIFIED web-2 node-b"]);
    expect(await until(() => t.store.watchers === 0)).toBe(true);
  });

  it("resumes from a resourceVersion with only the changes after it; a field selector turns leaving it into DELETED", async () => {
    const list = await t.client().listPodForAllNamespaces({ fieldSelector: "spec.nodeName=" });
    expect(list.body.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2", "web-3"]);
    const stop = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      const events = t.client().watchPodForAllNamespaces({ fieldSelector: "spec.nodeName=", resourceVersion: list.body.metadata!.resourceVersion! }, { signal: stop.signal });
      for await (const event of events) {
        seen.push(`${event.type} ${event.type === "ADDED" || event.type === "DELETED" || event.type === "MODIFIED" ? event.object.metadata?.name : ""}`);
        if (seen.length === 2) stop.abort();
      }
    })().catch((error: unknown) => (stop.signal.aborted ? undefined : Promise.reject(error)));
    t.store.bindPod("default", "web-1", "node-a", {});
    t.store.addPod({ name: "web-4", schedulerName: "example-scheduler" });
    await watching;
    expect(seen).toEqual(["DELETED web-1", "ADDED web-4"]);
  });

  it("a resourceVersion older than the store remembers: an ERROR event with 410 Expired (the client throws it as an ApiError)", async () => {
    for (let i = 0; i < 1001; i++) t.store.addNode(`node-${i}`);
    const events = t.client().watchNode({ resourceVersion: "1" });
    const error = await (async () => {
      for await (const _ of events) return undefined;
    })().catch((e: unknown) => e as { status?: number; message?: string });
    expect(error).toMatchObject({ status: 410 });
  });

  it("a client that goes away ends the watch on the server: no subscriber left", async () => {
    const stop = new AbortController();
    const first = await (async () => {
      for await (const event of t.client().watchNode({}, { signal: stop.signal })) return event;
      return undefined;
    })();
    expect(first?.type).toBe("ADDED");
    expect(await until(() => t.store.watchers === 0)).toBe(true);
    for (let i = 0; i < 20; i++) {
      const watch = new AbortController();
      const iterator = t.client().watchNode({}, { signal: watch.signal })[Symbol.asyncIterator]();
      await iterator.next();
      watch.abort();
    }
    expect(await until(() => t.store.watchers === 0)).toBe(true);
  });

  it("the scheduler's --watch mode schedules the pending pods, and a pod added later, against the example server", async () => {
    const stop = new AbortController();
    const decisions: Decision[] = [];
    const running = watchAndSchedule({ baseUrl: t.baseUrl, token: EXAMPLE_TOKEN, timeoutMs: 5000 }, { signal: stop.signal, onDecision: (decision) => decisions.push(decision) });
    expect(await until(() => decisions.length === 3)).toBe(true);
    t.store.addPod({ name: "web-4", schedulerName: "example-scheduler" });
    expect(await until(() => decisions.length === 4)).toBe(true);
    stop.abort();
    await running;
    expect(decisions.map((d) => d.pod)).toEqual(["default/web-1", "default/web-2", "default/web-3", "default/web-4"]);
    expect(decisions.every((d) => "node" in d)).toBe(true);
    expect(t.store.listPods().filter((pod) => !pod.spec?.nodeName)).toEqual([]);
    expect(await until(() => t.store.watchers === 0)).toBe(true);
  });
});

/** The events of one watch until the server ends it, each with the milliseconds since the watch started. */
async function collect<T>(events: AsyncIterable<T>): Promise<Array<{ at: number; event: T }>> {
  const started = Date.now();
  const seen: Array<{ at: number; event: T }> = [];
  for await (const event of events) seen.push({ at: Date.now() - started, event });
  return seen;
}

describe("example server: bookmarks (allowWatchBookmarks), every bookmarkIntervalMs", () => {
  const t = useExampleServer({ bookmarkIntervalMs: 200 });

  it("a watch whose selection sees no change gets BOOKMARKs at the store's newest resourceVersion, the object holding only kind, apiVersion and it", async () => {
    const list = await t.client().listPodForAllNamespaces({ fieldSelector: "spec.nodeName=node-b" });
    expect(list.body.items).toEqual([]);
    const stop = new AbortController();
    const bookmarks: unknown[] = [];
    const watching = (async () => {
      const params = { fieldSelector: "spec.nodeName=node-b", resourceVersion: list.body.metadata!.resourceVersion!, allowWatchBookmarks: true };
      for await (const event of t.client().watchPodForAllNamespaces(params, { signal: stop.signal })) {
        bookmarks.push(event.type === "BOOKMARK" ? event.object : event);
        if (bookmarks.length === 2) stop.abort();
      }
    })();
    expect(await until(() => t.store.watchers === 1)).toBe(true);
    // Changes this watch does not see (nodes; a pod bound elsewhere) move the store's resourceVersion on.
    t.store.addNode("node-c");
    t.store.bindPod("default", "web-1", "node-a", {});
    await watching;
    const newest = { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: t.store.resourceVersion } };
    expect(bookmarks).toEqual([newest, newest]);
    expect(Number(t.store.resourceVersion)).toBeGreaterThan(Number(list.body.metadata!.resourceVersion));
  });

  it("a watch that does not allow bookmarks gets none", async () => {
    const list = await t.client().listNode({});
    t.store.addNode("node-c");
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1000);
    const seen = await collect(t.client().watchNode({ resourceVersion: list.body.metadata!.resourceVersion! }, { signal: stop.signal }));
    expect(seen.map(({ event }) => event.type)).toEqual(["ADDED"]);
  });

  it("a deleted pod is DELETED, with its last state at the deletion's resourceVersion", async () => {
    const list = await t.client().listNamespacedPod({ namespace: "default" });
    const stop = new AbortController();
    const watching = (async () => {
      for await (const event of t.client().watchNamespacedPod({ namespace: "default", resourceVersion: list.body.metadata!.resourceVersion! }, { signal: stop.signal })) {
        stop.abort();
        return event;
      }
      return undefined;
    })();
    expect(await until(() => t.store.watchers === 1)).toBe(true);
    const before = t.store.pod("default", "web-3")!;
    t.store.deletePod("default", "web-3");
    const deleted = await watching;
    expect(deleted).toEqual({ type: "DELETED", object: { ...before, metadata: { ...before.metadata, resourceVersion: t.store.resourceVersion } } });
    expect(t.store.pod("default", "web-3")).toBeUndefined();
  });
});

describe("example server: streaming lists (sendInitialEvents)", () => {
  const t = useExampleServer();

  it("sendInitialEvents=true: an ADDED per pod, a BOOKMARK annotated k8s.io/initial-events-end at the state's resourceVersion, then the changes", async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const state = t.store.resourceVersion;
    const params = { namespace: "default", sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, timeoutSeconds: 5 };
    for await (const event of t.client().watchNamespacedPod(params, { signal: stop.signal })) {
      if (event.type === "BOOKMARK") {
        expect(event.object).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: state, annotations: { "k8s.io/initial-events-end": "true" } } });
        t.store.bindPod("default", "web-1", "node-b", {});
      }
      seen.push(`${event.type} ${event.type === "BOOKMARK" || event.type === "ERROR" ? "" : event.object.metadata?.name}`);
      if (event.type === "MODIFIED") stop.abort();
    }
    expect(seen).toEqual(["ADDED db-0", "ADDED web-1", "ADDED web-2", "ADDED web-3", "BOOKMARK ", "MODIFIED web-1"]);
  });

  it.each([
    [{ sendInitialEvents: true }, 'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
    [{ resourceVersionMatch: "NotOlderThan" }, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"],
    [{ sendInitialEvents: false, resourceVersionMatch: "Exact" }, '[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]'],
  ])("%o is a 422 Invalid ListOptions, in the apiserver's words", async (params, why) => {
    const error = await (async () => {
      for await (const _ of t.client().watchNode({ ...params, timeoutSeconds: 2 })) return undefined;
      return undefined;
    })().catch((e: unknown) => e as { status?: number; statusObject?: { message?: string; details?: unknown } });
    expect(error).toMatchObject({ status: 422, statusObject: { message: `ListOptions.meta.k8s.io "" is invalid: ${why}`, details: { group: "meta.k8s.io", kind: "ListOptions" } } });
  });
});

describe("example server: the bookmark before a watch's deadline (the apiserver's 2 s ahead), with the default interval of a minute", () => {
  const t = useExampleServer();

  it("a watch of timeoutSeconds=3 gets one BOOKMARK about 1 s in, at the newest resourceVersion, and ends at 3 s", async () => {
    const list = await t.client().listNamespacedPod({ namespace: "default", fieldSelector: "spec.nodeName=node-b" });
    const watching = collect(t.client().watchNamespacedPod({ namespace: "default", fieldSelector: "spec.nodeName=node-b", resourceVersion: list.body.metadata!.resourceVersion!, allowWatchBookmarks: true, timeoutSeconds: 3 }));
    const started = Date.now();
    expect(await until(() => t.store.watchers === 1)).toBe(true);
    t.store.addNode("node-c");
    const seen = await watching;
    const ended = Date.now() - started;
    expect(seen.map(({ event }) => event)).toEqual([{ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: t.store.resourceVersion } } }]);
    expect(seen[0]!.at).toBeGreaterThan(700);
    expect(seen[0]!.at).toBeLessThan(2500);
    expect(ended).toBeGreaterThanOrEqual(2900);
  });

  it("listThenWatch resumes from the bookmark's resourceVersion: 1,001 changes it did not see later, no 410 and no new list", async () => {
    const stop = new AbortController();
    const resumedFrom: Array<string | undefined> = [];
    const retries: number[] = [];
    const k8s = t.client();
    const informer = listThenWatch(
      k8s.listPodForAllNamespaces,
      (params, init) => {
        resumedFrom.push(params.resourceVersion);
        return k8s.watchPodForAllNamespaces(params, init);
      },
      { fieldSelector: "spec.nodeName=node-b" },
      { signal: stop.signal, watchTimeoutSeconds: 3, onRetry: (error) => retries.push(error.status) },
    );
    const changes: string[] = [];
    const running = (async () => {
      for await (const change of informer) changes.push(change.type === "SYNCED" ? "SYNCED" : `${change.type} ${change.key}`);
    })();
    expect(await until(() => t.store.watchers === 1)).toBe(true);
    const listed = resumedFrom[0];
    // More changes than the store remembers, none of them in the informer's selection.
    for (let i = 0; i < 1001; i++) t.store.addNode(`node-${i}`);
    const bookmarked = t.store.resourceVersion;
    expect(await until(() => resumedFrom.length === 2, 6000)).toBe(true);
    t.store.bindPod("default", "web-1", "node-b", {});
    expect(await until(() => changes.length === 2)).toBe(true);
    stop.abort();
    await running;
    expect(resumedFrom).toEqual([listed, bookmarked]);
    expect(changes).toEqual(["SYNCED", "ADDED default/web-1"]);
    expect(retries).toEqual([]);
    expect(informer.resourceVersion).toBe(t.store.resourceVersion);
  });
});

describe("example server: a watch without timeoutSeconds ends between minRequestTimeoutSeconds and twice that", () => {
  const t = useExampleServer({ minRequestTimeoutSeconds: 0.5 });

  it("ends a watch without timeoutSeconds (and one with timeoutSeconds=0) after 0.5 to 1 s, cleanly", async () => {
    for (const params of [{}, { timeoutSeconds: 0 }]) {
      const started = Date.now();
      const seen = await collect(t.client().watchNode(params));
      const ended = Date.now() - started;
      expect(seen.map(({ event }) => event.type)).toEqual(["ADDED", "ADDED"]);
      expect(ended).toBeGreaterThanOrEqual(450);
      expect(ended).toBeLessThan(1500);
      expect(await until(() => t.store.watchers === 0)).toBe(true);
    }
  });

  it("keeps timeoutSeconds when given: a watch of 2 s outlives the default deadline", async () => {
    const started = Date.now();
    await collect(t.client().watchNode({ timeoutSeconds: 2 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });
});
