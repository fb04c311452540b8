import type { Node, Pod } from "../k8s/models.js";
import { type HandlerResult, statusAnswer } from "../k8s/routes.js";
import type { WatchEvent } from "../k8s/runtime/server.js";
import type { WatchDeadlineHook } from "../k8s/runtime/watch-answer.js";
import { type ListQuery, podSelector, unsupportedQuery } from "./reads.js";
import type { ClusterStore, StoreEvent } from "./store.js";

/** What the watch handlers of this example read from their query. */
export interface WatchQuery extends ListQuery {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  resourceVersionMatch?: string;
  continue?: string;
}

/** How often kube-apiserver's watch cache sends a watch that allows them a bookmark: about once a minute. */
export const BOOKMARK_INTERVAL_MS = 60_000;

/** A watch's events, and the hook through which the routes tell it when they will end it. */
type Watch<T> = AsyncIterable<WatchEvent<T>> & WatchDeadlineHook;

/**
 * A watch of the pods of one namespace (or all), as kube-apiserver serves `?watch=true`: without a
 * resourceVersion (or "0"), an ADDED event per pod that exists, then each change; from a resourceVersion,
 * the changes after it (a 410 Expired ERROR event when the store no longer remembers that far back). With a
 * field selector, a pod that comes to match is ADDED and one that stops matching is DELETED. With
 * `allowWatchBookmarks`, a BOOKMARK every `bookmarkIntervalMs` and one 2 s before the routes end the watch.
 * `sendInitialEvents=true` (a streaming list) sends an ADDED per pod, then, with bookmarks, a BOOKMARK
 * annotated `k8s.io/initial-events-end: "true"`; `false` only the changes after the resourceVersion.
 * Runs until the client goes away (`signal`) or the routes end it (`timeoutSeconds`, or their default).
 */
export function watchPods(store: ClusterStore, namespace: string | undefined, query: WatchQuery, signal: AbortSignal, bookmarkIntervalMs: number): Watch<Pod> | HandlerResult<never> {
  const selected = podSelector(query);
  if (!("test" in selected)) return selected;
  const invalid = invalidResourceVersion(query) ?? invalidWatchOptions(query);
  if (invalid) return invalid;
  const test = (pod: Pod) => (namespace === undefined || pod.metadata?.namespace === namespace) && selected.test(pod);
  return changes<Pod>(store, "pods", () => store.listPods(namespace), test, query, signal, bookmarkIntervalMs);
}

/** A watch of the nodes, as {@link watchPods} watches pods. */
export function watchNodes(store: ClusterStore, query: WatchQuery, signal: AbortSignal, bookmarkIntervalMs: number): Watch<Node> | HandlerResult<never> {
  const unsupported = unsupportedQuery(query) ?? invalidResourceVersion(query) ?? invalidWatchOptions(query);
  if (unsupported) return unsupported;
  return changes<Node>(store, "nodes", () => store.listNodes(), () => true, query, signal, bookmarkIntervalMs);
}

/** A resourceVersion that is no number of this store: 400, as the apiserver refuses one it cannot parse. */
function invalidResourceVersion(query: WatchQuery): HandlerResult<never> | undefined {
  const version = query.resourceVersion;
  return version === undefined || version === "" || /^\d+$/.test(version) ? undefined : statusAnswer(400, "BadRequest", `invalid resource version: ${JSON.stringify(version)}`);
}

/**
 * The apiserver's validateWatchOptions (WatchList enabled): `sendInitialEvents` needs
 * `resourceVersionMatch=NotOlderThan`, which a watch takes only with `sendInitialEvents` and without
 * `continue`. A 422 Invalid ListOptions, as ListResource answers.
 */
function invalidWatchOptions(query: WatchQuery): HandlerResult<never> | undefined {
  const match = query.resourceVersionMatch ?? "";
  const causes: Array<{ reason: string; message: string; field: string }> = [];
  const forbidden = (message: string) => causes.push({ reason: "FieldValueForbidden", message: `Forbidden: ${message}`, field: "resourceVersionMatch" });
  if (query.sendInitialEvents !== undefined && match !== "NotOlderThan") forbidden("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
  if (match !== "") {
    if (query.sendInitialEvents === undefined) forbidden("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    if (match !== "NotOlderThan") causes.push({ reason: "FieldValueNotSupported", message: `Unsupported value: ${JSON.stringify(match)}: supported values: "NotOlderThan"`, field: "resourceVersionMatch" });
    if (query.continue) forbidden("resourceVersionMatch is forbidden when continue is provided");
  }
  if (causes.length === 0) return undefined;
  const list = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return statusAnswer(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${summary}`, { name: "", group: "meta.k8s.io", kind: "ListOptions", causes });
}

const KINDS = { pods: "Pod", nodes: "Node" } as const;

function changes<T extends Pod | Node>(
  store: ClusterStore,
  resource: StoreEvent["resource"],
  current: () => T[],
  matches: (object: T) => boolean,
  query: WatchQuery,
  signal: AbortSignal,
  bookmarkIntervalMs: number,
): Watch<T> {
  let deadline: number | undefined;
  /**
   * When the next bookmark is due, as the watch cache's nextBookmarkTime decides: an interval (a minute) from
   * now, or 2 s before the deadline when that is sooner (so a client resumes from a recent version); none
   * once that moment has passed.
   */
  const nextBookmark = (now: number): number | undefined => {
    const heartbeat = Math.min(now + bookmarkIntervalMs, deadline === undefined ? Infinity : deadline - 2000);
    return heartbeat <= now ? undefined : heartbeat;
  };
  async function* events(): AsyncGenerator<WatchEvent<T>> {
    const queue: StoreEvent[] = [];
    let wake = () => {};
    // Subscribed before reading the state or the history: no change falls between them.
    const unsubscribe = store.subscribe((event) => {
      queue.push(event);
      wake();
    });
    const aborted = () => wake();
    signal.addEventListener("abort", aborted, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const { resourceVersion, sendInitialEvents } = query;
      const fromNow = resourceVersion === undefined || resourceVersion === "" || resourceVersion === "0";
      let start: number;
      if (sendInitialEvents !== undefined ? sendInitialEvents : fromNow) {
        // The state now, which is never older than a resourceVersion this store has given out.
        start = Number(store.resourceVersion);
        for (const object of current()) if (matches(object)) yield { type: "ADDED", object };
        const end = { "k8s.io/initial-events-end": "true" };
        if (sendInitialEvents && query.allowWatchBookmarks) yield { type: "BOOKMARK", object: { kind: KINDS[resource], apiVersion: "v1", metadata: { resourceVersion: String(start), annotations: end } } };
      } else if (fromNow) {
        start = Number(store.resourceVersion);
      } else {
        const past = store.changesSince(Number(resourceVersion));
        if (!past) {
          yield { type: "ERROR", object: statusAnswer(410, "Expired", `too old resource version: ${resourceVersion} (${store.resourceVersion})`).body };
          return;
        }
        start = Number(resourceVersion);
        queue.unshift(...past);
      }
      let bookmarkAt = query.allowWatchBookmarks ? nextBookmark(Date.now()) : undefined;
      while (!signal.aborted) {
        for (let event = queue.shift(); event; event = queue.shift()) {
          const seen = event.resource === resource ? visible(event, matches) : undefined;
          if (seen) yield seen;
        }
        if (bookmarkAt !== undefined && Date.now() >= bookmarkAt) {
          bookmarkAt = nextBookmark(Date.now());
          // Every change before this version is in the queue or sent: the queue is empty. The watch cache
          // sends no bookmark that would not move the watch past where it started.
          const version = Number(store.resourceVersion);
          if (version > start) yield { type: "BOOKMARK", object: { kind: KINDS[resource], apiVersion: "v1", metadata: { resourceVersion: String(version) } } };
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (bookmarkAt !== undefined) timer = setTimeout(resolve, bookmarkAt - Date.now());
        });
        clearTimeout(timer);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", aborted);
      unsubscribe();
    }
  }
  return {
    [Symbol.asyncIterator]: events,
    setDeadline(at) {
      deadline = at.getTime();
    },
  };
}

/**
 * A change as a watch with a selector sees it, as the watch cache's convertToWatchEvent: entering the
 * selection is ADDED, staying in it MODIFIED, leaving it (or a deletion) DELETED with the last state it
 * matched in, at the change's resourceVersion.
 */
function visible<T extends Pod | Node>(event: StoreEvent, matches: (object: T) => boolean): WatchEvent<T> | undefined {
  const object = event.object as T;
  const now = event.type !== "DELETED" && matches(object);
  const before = event.previous !== undefined && matches(event.previous as T);
  if (now) return { type: before ? "MODIFIED" : "ADDED", object };
  if (!before) return undefined;
  const last = event.previous as T;
  return { type: "DELETED", object: { ...last, metadata: { ...last.metadata, resourceVersion: object.metadata?.resourceVersion } } as T };
}
