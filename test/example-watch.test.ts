import { describe, expect, it } from "vitest";
import { type Decision, watchAndSchedule } from "../examples/scheduler/scheduler.js";
import { EXAMPLE_TOKEN, useExampleServer } from "./helpers/example-server.js";
import { eventually } from "./helpers/http.js";

/**
 * The example server serves watches of pods and nodes (issue 10, server side), so the scheduler's `--watch`
 * mode (list-then-watch) runs against it, and a client that goes away leaves no watch behind.
 */
const until = eventually;

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

