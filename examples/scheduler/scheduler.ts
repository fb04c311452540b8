import { ApiError, type ClientOptions, createClient, listThenWatch, objectKey } from "../k8s/client.js";
import type { Node, Pod } from "../k8s/models.js";

/** What was done with one pending pod: the node it went to, or why it did not. */
export type Decision = { pod: string; node: string } | { pod: string; skipped: string };

type Client = ReturnType<typeof createClient>;

/**
 * One scheduling pass: list the pending pods that name this scheduler, list the Ready nodes, put each pod on
 * the node with the fewest pods, and bind it. Everything goes through the client generated for Binding, Pod
 * and Node (examples/k8s): typed lists, typed bindings, and `ApiError` for every failure.
 */
export async function scheduleOnce(options: ClientOptions, schedulerName = "example-scheduler"): Promise<Decision[]> {
  const k8s = createClient(options);
  const pending = await k8s.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=,spec.schedulerName=${schedulerName}` });
  const bound = await k8s.listPodForAllNamespaces({ fieldSelector: "spec.nodeName!=" });
  const nodes = (await k8s.listNode({})).body.items;
  return bindAll(k8s, pending.body.items, placement(nodes, bound.body.items));
}

export interface WatchOptions {
  schedulerName?: string;
  /** Stops the scheduler (its watches end at once). */
  signal?: AbortSignal;
  /** Each decision as it is made. */
  onDecision?: (decision: Decision) => void;
  /** Each watch that dropped, ended in a 410 or failed and will be tried again. */
  onRetry?: (error: ApiError) => void;
}

/**
 * The scheduler as a controller: it lists pods and nodes once, then watches them (list-then-watch), and binds
 * each pending pod that names it as soon as it appears or a node changes, instead of polling. A dropped watch
 * resumes from the last resource version seen; a 410 lists again. Runs until `signal` aborts.
 */
export async function watchAndSchedule(options: ClientOptions, watchOptions: WatchOptions = {}): Promise<void> {
  const { schedulerName = "example-scheduler", signal, onDecision, onRetry } = watchOptions;
  const k8s = createClient(options);
  const informerOptions = { ...(signal && { signal }), ...(onRetry && { onRetry }) };
  const pods = listThenWatch(k8s.listPodForAllNamespaces, k8s.watchPodForAllNamespaces, {}, informerOptions);
  const nodes = listThenWatch(k8s.listNode, k8s.watchNode, {}, informerOptions);
  // Pods bound by this scheduler that the pod watch has not shown bound yet: they count on their node.
  const assumed = new Map<string, string>();
  const synced = { pods: false, nodes: false };
  let passes = Promise.resolve();
  const pass = async () => {
    for (const key of [...assumed.keys()]) if (!pods.cache.get(key) || pods.cache.get(key)!.spec?.nodeName) assumed.delete(key);
    const all = [...pods.cache.values()];
    const pending = all.filter((pod) => !pod.spec?.nodeName && pod.spec?.schedulerName === schedulerName && !assumed.has(objectKey(pod)));
    const load = placement([...nodes.cache.values()], all);
    for (const node of assumed.values()) if (load.has(node)) load.set(node, load.get(node)! + 1);
    // A bind that fails for another reason is tried again on the next change, not fatal to the scheduler.
    for (const decision of await bindAll(k8s, pending, load, true)) {
      if ("node" in decision) assumed.set(decision.pod, decision.node);
      onDecision?.(decision);
    }
  };
  // One pass at a time: a pass sees the caches as the events left them.
  const schedule = () => (passes = passes.then(pass));
  const follow = async (informer: AsyncIterable<{ type: string }>, which: keyof typeof synced) => {
    for await (const event of informer) {
      if (event.type === "SYNCED") synced[which] = true;
      if (synced.pods && synced.nodes) await schedule();
    }
  };
  await Promise.all([follow(pods, "pods"), follow(nodes, "nodes")]);
}

/** The Ready nodes and how many pods each has. */
function placement(nodes: readonly Node[], pods: readonly Pod[]): Map<string, number> {
  const load = new Map(nodes.filter(isReady).map((node) => [node.metadata?.name ?? "", 0]));
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? "";
    if (load.has(node)) load.set(node, load.get(node)! + 1);
  }
  return load;
}

/**
 * Binds each pod to the least loaded node, in order. The pod's uid goes along as a precondition, so a pod
 * deleted and re-created under the same name in the meantime is not bound by mistake.
 */
async function bindAll(k8s: Client, pending: readonly Pod[], load: Map<string, number>, skipFailures = false): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (const pod of [...pending].sort((a, b) => objectKey(a).localeCompare(objectKey(b)))) {
    const { name = "", namespace = "default", uid } = pod.metadata ?? {};
    const key = `${namespace}/${name}`;
    const node = [...load.entries()].sort(([a, x], [b, y]) => x - y || a.localeCompare(b))[0]?.[0];
    if (!node) {
      decisions.push({ pod: key, skipped: "no Ready node" });
      continue;
    }
    try {
      await k8s.createNamespacedPodBinding({
        namespace,
        name,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name, ...(uid && { uid }) }, target: { apiVersion: "v1", kind: "Node", name: node } },
      });
      load.set(node, load.get(node)! + 1);
      decisions.push({ pod: key, node });
    } catch (error) {
      // Someone else bound it, or it was replaced: the next pass sees the current state.
      if (error instanceof ApiError && (skipFailures || error.status === 409 || error.status === 404)) decisions.push({ pod: key, skipped: error.message });
      else throw error;
    }
  }
  return decisions;
}

function isReady(node: Node): boolean {
  return node.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ?? false;
}
