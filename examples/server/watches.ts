import type { Node, Pod } from "../k8s/models.js";
import { type HandlerResult, statusAnswer } from "../k8s/routes.js";
import type { WatchEvent } from "../k8s/runtime/server.js";
import { type ListQuery, podSelector, unsupportedQuery } from "./reads.js";
import type { ClusterStore, StoreEvent } from "./store.js";

/** What the watch handlers of this example read from their query. */
export interface WatchQuery extends ListQuery {
  resourceVersion?: string;
}

/**
 * A watch of the pods of one namespace (or all), as kube-apiserver serves `?watch=true`: without a
 * resourceVersion (or "0"), an ADDED event per pod that exists, then each change; from a resourceVersion,
 * the changes after it (a 410 Expired ERROR event when the store no longer remembers that far back). With a
 * field selector, a pod that comes to match is ADDED and one that stops matching is DELETED. Runs until the
 * client goes away (`signal`) or the routes end it (`timeoutSeconds`).
 */
export function watchPods(store: ClusterStore, namespace: string | undefined, query: WatchQuery, signal: AbortSignal): AsyncIterable<WatchEvent<Pod>> | HandlerResult<never> {
  const selected = podSelector(query);
  if (!("test" in selected)) return selected;
  const invalid = invalidResourceVersion(query);
  if (invalid) return invalid;
  const test = (pod: Pod) => (namespace === undefined || pod.metadata?.namespace === namespace) && selected.test(pod);
  return changes<Pod>(store, "pods", () => store.listPods(namespace), test, query.resourceVersion, signal);
}

/** A watch of the nodes, as {@link watchPods} watches pods. */
export function watchNodes(store: ClusterStore, query: WatchQuery, signal: AbortSignal): AsyncIterable<WatchEvent<Node>> | HandlerResult<never> {
  const unsupported = unsupportedQuery(query) ?? invalidResourceVersion(query);
  if (unsupported) return unsupported;
  return changes<Node>(store, "nodes", () => store.listNodes(), () => true, query.resourceVersion, signal);
}

/** A resourceVersion that is no number of this store: 400, as the apiserver refuses one it cannot parse. */
function invalidResourceVersion(query: WatchQuery): HandlerResult<never> | undefined {
  const version = query.resourceVersion;
  return version === undefined || version === "" || /^\d+$/.test(version) ? undefined : statusAnswer(400, "BadRequest", `invalid resource version: ${JSON.stringify(version)}`);
}

async function* changes<T extends Pod | Node>(
  store: ClusterStore,
  resource: StoreEvent["resource"],
  current: () => T[],
  matches: (object: T) => boolean,
  resourceVersion: string | undefined,
  signal: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  const queue: StoreEvent[] = [];
  let wake = () => {};
  // Subscribed before reading the state or the history: no change falls between them.
  const unsubscribe = store.subscribe((event) => {
    queue.push(event);
    wake();
  });
  try {
    if (resourceVersion === undefined || resourceVersion === "" || resourceVersion === "0") {
      for (const object of current()) if (matches(object)) yield { type: "ADDED", object };
    } else {
      const past = store.changesSince(Number(resourceVersion));
      if (!past) {
        yield { type: "ERROR", object: statusAnswer(410, "Expired", `too old resource version: ${resourceVersion} (${store.resourceVersion})`).body };
        return;
      }
      queue.unshift(...past);
    }
    while (!signal.aborted) {
      for (let event = queue.shift(); event; event = queue.shift()) {
        const seen = event.resource === resource ? visible(event, matches) : undefined;
        if (seen) yield seen;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  } finally {
    unsubscribe();
  }
}

/** A change as a watch with a selector sees it: entering the selection is ADDED, leaving it DELETED (the last state it matched in). */
function visible<T extends Pod | Node>(event: StoreEvent, matches: (object: T) => boolean): WatchEvent<T> | undefined {
  const object = event.object as T;
  const now = matches(object);
  const before = event.previous !== undefined && matches(event.previous as T);
  if (event.type === "ADDED" || !before) return now ? { type: "ADDED", object } : undefined;
  if (now) return { type: "MODIFIED", object };
  const last = event.previous as T;
  return { type: "DELETED", object: { ...last, metadata: { ...last.metadata, resourceVersion: object.metadata?.resourceVersion } } as T };
}
