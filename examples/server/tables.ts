import type { Node, Pod } from "../k8s/models.js";
import type { TableColumns } from "../k8s/routes.js";

/**
 * The columns kube-apiserver's printers give pods and nodes, so that `kubectl get pods -o wide` shows the
 * node a pod was bound to. Priority 1 columns are the `-o wide` ones.
 */
export function exampleTables(now: () => Date = () => new Date()): TableColumns {
  const age = (object: Pod | Node) => humanDuration(now(), object.metadata?.creationTimestamp);
  const pods: NonNullable<TableColumns["pods"]> = [
    { name: "Name", type: "string", format: "name", description: "Name of the pod.", cell: (pod) => pod.metadata?.name ?? "" },
    { name: "Ready", type: "string", description: "Ready containers of all containers.", cell: (pod) => `${(pod.status?.containerStatuses ?? []).filter((c) => c.ready).length}/${pod.spec?.containers.length ?? 0}` },
    { name: "Status", type: "string", description: "The pod's phase, or why it is not running.", cell: (pod) => pod.status?.reason ?? pod.status?.phase ?? "Unknown" },
    { name: "Restarts", type: "string", description: "Container restarts.", cell: (pod) => String((pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0)) },
    { name: "Age", type: "string", description: "Time since the pod was created.", cell: age },
    { name: "IP", type: "string", priority: 1, description: "The pod's IP address.", cell: (pod) => pod.status?.podIP ?? "<none>" },
    { name: "Node", type: "string", priority: 1, description: "The node the pod is bound to.", cell: (pod) => pod.spec?.nodeName || "<none>" },
    { name: "Nominated Node", type: "string", priority: 1, description: "The node preemption nominated.", cell: (pod) => pod.status?.nominatedNodeName ?? "<none>" },
    { name: "Readiness Gates", type: "string", priority: 1, description: "Readiness gates met of all.", cell: (pod) => (pod.spec?.readinessGates?.length ? `0/${pod.spec.readinessGates.length}` : "<none>") },
  ];
  const nodes: NonNullable<TableColumns["nodes"]> = [
    { name: "Name", type: "string", format: "name", description: "Name of the node.", cell: (node) => node.metadata?.name ?? "" },
    { name: "Status", type: "string", description: "Whether the node is Ready.", cell: (node) => nodeStatus(node) },
    { name: "Roles", type: "string", description: "The node's roles, from its node-role.kubernetes.io labels.", cell: (node) => roles(node) },
    { name: "Age", type: "string", description: "Time since the node was created.", cell: age },
    { name: "Version", type: "string", description: "The kubelet's version.", cell: (node) => node.status?.nodeInfo?.kubeletVersion ?? "" },
    { name: "Internal-IP", type: "string", priority: 1, description: "The node's internal IP.", cell: (node) => address(node, "InternalIP") },
    { name: "External-IP", type: "string", priority: 1, description: "The node's external IP.", cell: (node) => address(node, "ExternalIP") },
  ];
  return { pods, nodes };
}

function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const status = ready?.status === "True" ? "Ready" : "NotReady";
  return node.spec?.unschedulable ? `${status},SchedulingDisabled` : status;
}

function roles(node: Node): string {
  const found = Object.keys(node.metadata?.labels ?? {}).flatMap((label) => (label.startsWith("node-role.kubernetes.io/") ? [label.slice(24)] : []));
  return found.length ? found.sort().join(",") : "<none>";
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";
}

/** kubectl's short ages: 45s, 3m, 5h, 2d, 1y (the apiserver's HumanDuration, coarser). */
export function humanDuration(now: Date, since: string | null | undefined): string {
  if (!since) return "<unknown>";
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 365 * 2 ? `${days}d` : `${Math.floor(days / 365)}y`;
}
