import { ApiError, type ClientOptions, createClient } from "../../out/client.js";

/** The fields of pods and nodes this scheduler reads (list items, as the API server sends them). */
interface PodItem {
  metadata: { name: string; namespace: string; uid: string };
  spec: { nodeName?: string };
}
interface NodeItem {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/** What one pass did: each pending pod and the node it went to, or why it did not. */
export type Decision = { pod: string; node: string } | { pod: string; skipped: string };

/**
 * One scheduling pass: list the pending pods that name this scheduler, list the Ready nodes, put each pod on
 * the node with the fewest pods, and bind it with the generated client. The pod's uid goes along as a
 * precondition, so a pod deleted and re-created under the same name in the meantime is not bound by mistake.
 */
export async function scheduleOnce(options: ClientOptions, schedulerName = "example-scheduler"): Promise<Decision[]> {
  const pending = await list<PodItem>(options, `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=,spec.schedulerName=${schedulerName}`)}`);
  const bound = await list<PodItem>(options, `/api/v1/pods?fieldSelector=${encodeURIComponent("spec.nodeName!=")}`);
  const nodes = (await list<NodeItem>(options, "/api/v1/nodes")).filter((node) => node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  const load = new Map(nodes.map((node) => [node.metadata.name, 0]));
  for (const pod of bound) if (load.has(pod.spec.nodeName!)) load.set(pod.spec.nodeName!, load.get(pod.spec.nodeName!)! + 1);
  const client = createClient(options);
  const decisions: Decision[] = [];
  for (const pod of pending) {
    const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const node = [...load.entries()].sort(([a, x], [b, y]) => x - y || a.localeCompare(b))[0]?.[0];
    if (!node) {
      decisions.push({ pod: name, skipped: "no Ready node" });
      continue;
    }
    try {
      await client.createNamespacedPodBinding({
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name: pod.metadata.name, uid: pod.metadata.uid }, target: { apiVersion: "v1", kind: "Node", name: node } },
      });
      load.set(node, load.get(node)! + 1);
      decisions.push({ pod: name, node });
    } catch (error) {
      // Someone else bound it, or it was replaced: the next pass sees the current state.
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) decisions.push({ pod: name, skipped: error.message });
      else throw error;
    }
  }
  return decisions;
}

/** GETs a list with the same server, token and transport as the generated client. */
async function list<T>(options: ClientOptions, path: string): Promise<T[]> {
  const token = typeof options.token === "function" ? await options.token() : options.token;
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const response = await doFetch(String(options.baseUrl).replace(/\/+$/, "") + path, {
    headers: { accept: "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  }).catch((error: Error & { cause?: { code?: string; message?: string }; code?: string }) => {
    throw new Error(`GET ${path}: ${error.cause?.code ?? error.code ?? error.cause?.message ?? error.message}`);
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { items: T[] }).items;
}
