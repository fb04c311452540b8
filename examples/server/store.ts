import type { Node, Pod, PodCondition } from "../k8s/models.js";

/** What a new pod needs; the store fills in uid, resourceVersion, timestamps and status. */
export interface PodSeed {
  name: string;
  namespace?: string;
  nodeName?: string;
  schedulerName?: string;
  labels?: Record<string, string>;
}

const EPOCH = "2026-01-01T00:00:00Z";

/** One change to the store, as watches see it: the object's new state (its last, for a deletion), and its state before a change. */
export interface StoreEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: "pods" | "nodes";
  object: Pod | Node;
  previous?: Pod | Node;
  /** The store's resourceVersion after the change. */
  version: number;
}

/** How many changes the store remembers for watches that resume from a resourceVersion (etcd compacts, too). */
const HISTORY = 1000;

/**
 * The example's in-memory cluster state: pods and nodes, of the generated `Pod` and `Node` types, with one
 * resourceVersion counter for the whole store, as etcd has. Every stored object has its metadata name,
 * namespace (pods), uid, resourceVersion and creationTimestamp set; readers get copies.
 */
export class ClusterStore {
  private readonly pods = new Map<string, Pod>();
  private readonly nodes = new Map<string, Node>();
  private version = 0;
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(seed: { pods?: PodSeed[]; nodes?: string[] } = {}) {
    for (const name of seed.nodes ?? []) this.addNode(name);
    for (const pod of seed.pods ?? []) this.addPod(pod);
  }

  /** Adds a node that is Ready. */
  addNode(name: string): Node {
    const node: Node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, uid: `node-${name}`, resourceVersion: this.nextVersion(), creationTimestamp: EPOCH },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    };
    this.nodes.set(name, node);
    this.record({ type: "ADDED", resource: "nodes", object: node });
    return structuredClone(node);
  }

  /** Adds a pod: Pending and unscheduled unless `nodeName` is given. */
  addPod(seed: PodSeed): Pod {
    const namespace = seed.namespace ?? "default";
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: seed.name, namespace, uid: `pod-${namespace}-${seed.name}`, resourceVersion: this.nextVersion(), creationTimestamp: EPOCH, ...(seed.labels && { labels: seed.labels }) },
      spec: { schedulerName: seed.schedulerName ?? "default-scheduler", containers: [{ name: "main", image: "registry.k8s.io/pause:3.10" }] },
      status: { phase: "Pending" },
    };
    if (seed.nodeName) assign(pod, seed.nodeName, {}, EPOCH);
    this.pods.set(key(namespace, seed.name), pod);
    this.record({ type: "ADDED", resource: "pods", object: pod });
    return structuredClone(pod);
  }

  /** A copy of one pod, or undefined. */
  pod(namespace: string, name: string): Pod | undefined {
    const pod = this.pods.get(key(namespace, name));
    return pod && structuredClone(pod);
  }

  /** Copies of the pods of one namespace (or all), sorted by namespace and name. */
  listPods(namespace?: string): Pod[] {
    return [...this.pods.entries()]
      .filter(([, pod]) => namespace === undefined || pod.metadata?.namespace === namespace)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, pod]) => structuredClone(pod));
  }

  /** A copy of one node, or undefined. */
  node(name: string): Node | undefined {
    const node = this.nodes.get(name);
    return node && structuredClone(node);
  }

  /** Copies of the nodes, sorted by name. */
  listNodes(): Node[] {
    return [...this.nodes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, node]) => structuredClone(node));
  }

  /** The current resourceVersion of the store, for list answers. */
  get resourceVersion(): string {
    return String(this.version);
  }

  /** Binds a stored pod to a node (the caller has checked every precondition). */
  bindPod(namespace: string, name: string, nodeName: string, annotations: Record<string, string>): void {
    const pod = this.pods.get(key(namespace, name));
    if (!pod) throw new Error(`no pod ${namespace}/${name}`);
    const previous = structuredClone(pod);
    assign(pod, nodeName, annotations, new Date().toISOString().replace(/\.\d+Z$/, "Z"));
    pod.metadata = { ...pod.metadata, resourceVersion: this.nextVersion() };
    this.record({ type: "MODIFIED", resource: "pods", object: pod, previous });
  }

  /** Deletes a stored pod at once, as the apiserver deletes a pod no node runs; watches see its last state, at the deletion's resourceVersion. */
  deletePod(namespace: string, name: string): void {
    const pod = this.pods.get(key(namespace, name));
    if (!pod) throw new Error(`no pod ${namespace}/${name}`);
    this.pods.delete(key(namespace, name));
    const last = { ...pod, metadata: { ...pod.metadata, resourceVersion: this.nextVersion() } };
    this.record({ type: "DELETED", resource: "pods", object: last, previous: pod });
  }

  /** Calls `listener` with each change from now on (copies); returns the function that stops it. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many watches are subscribed (a watch whose client went away must not stay). */
  get watchers(): number {
    return this.listeners.size;
  }

  /** The changes after `version` (copies), or undefined when the store no longer remembers that far back. */
  changesSince(version: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.version ?? this.version + 1;
    if (version < oldest - 1) return undefined;
    return this.history.filter((event) => event.version > version).map((event) => structuredClone(event));
  }

  private record(change: Omit<StoreEvent, "version">): void {
    const event = structuredClone({ ...change, version: this.version });
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    for (const listener of this.listeners) listener(structuredClone(event));
  }

  private nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** What the apiserver does to a pod on a binding: node name, merged annotations, PodScheduled=True. */
function assign(pod: Pod, nodeName: string, annotations: Record<string, string>, now: string): void {
  pod.spec = { containers: [], ...pod.spec, nodeName };
  if (Object.keys(annotations).length) pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...annotations } };
  const scheduled: PodCondition = { type: "PodScheduled", status: "True", lastTransitionTime: now };
  const conditions = (pod.status?.conditions ?? []).filter((condition) => condition.type !== "PodScheduled");
  pod.status = { ...pod.status, conditions: [...conditions, scheduled] };
}
