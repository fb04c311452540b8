import { ApiError, type ClientOptions, createClient } from "../k8s/client.js";
import type { Node } from "../k8s/models.js";

/** What one pass did: each pending pod and the node it went to, or why it did not. */
export type Decision = { pod: string; node: string } | { pod: string; skipped: string };

/**
 * One scheduling pass: list the pending pods that name this scheduler, list the Ready nodes, put each pod on
 * the node with the fewest pods, and bind it. Everything goes through the client generated for Binding, Pod
 * and Node (examples/k8s): typed lists, typed bindings, and `ApiError` for every failure. The pod's uid goes
 * along as a precondition, so a pod deleted and re-created under the same name in the meantime is not bound
 * by mistake.
 */
export async function scheduleOnce(options: ClientOptions, schedulerName = "example-scheduler"): Promise<Decision[]> {
  const k8s = createClient(options);
  const pending = await k8s.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=,spec.schedulerName=${schedulerName}` });
  const bound = await k8s.listPodForAllNamespaces({ fieldSelector: "spec.nodeName!=" });
  const nodes = (await k8s.listNode({})).body.items.filter(isReady);
  const load = new Map(nodes.map((node) => [node.metadata?.name ?? "", 0]));
  for (const pod of bound.body.items) {
    const node = pod.spec?.nodeName ?? "";
    if (load.has(node)) load.set(node, load.get(node)! + 1);
  }
  const decisions: Decision[] = [];
  for (const pod of pending.body.items) {
    const { name = "", namespace = "default", uid } = pod.metadata ?? {};
    const node = [...load.entries()].sort(([a, x], [b, y]) => x - y || a.localeCompare(b))[0]?.[0];
    if (!node) {
      decisions.push({ pod: `${namespace}/${name}`, skipped: "no Ready node" });
      continue;
    }
    try {
      await k8s.createNamespacedPodBinding({
        namespace,
        name,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name, ...(uid && { uid }) }, target: { apiVersion: "v1", kind: "Node", name: node } },
      });
      load.set(node, load.get(node)! + 1);
      decisions.push({ pod: `${namespace}/${name}`, node });
    } catch (error) {
      // Someone else bound it, or it was replaced: the next pass sees the current state.
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) decisions.push({ pod: `${namespace}/${name}`, skipped: error.message });
      else throw error;
    }
  }
  return decisions;
}

function isReady(node: Node): boolean {
  return node.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ?? false;
}
