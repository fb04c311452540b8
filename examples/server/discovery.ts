import type { ClusterStore, Node, Pod } from "./store.js";

/** A JSON answer: HTTP status and body. */
export interface ReadAnswer {
  status: number;
  body: unknown;
}

const NAMESPACED = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/;
const NODES = /^\/api\/v1\/nodes(?:\/([^/]+))?$/;

/**
 * The read side kube-apiserver offers that the generated Binding routes do not: discovery (`/api`,
 * `/api/v1`, an empty `/apis`), `/version`, and GET on pods and nodes, so tools can find the binding resources and read a binding's result.
 * Returns undefined for paths it does not serve.
 */
export function serveRead(store: ClusterStore, method: string, path: string, search: URLSearchParams, serverAddress: string): ReadAnswer | undefined {
  if (method !== "GET") return undefined;
  if (path === "/api") return { status: 200, body: { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] } };
  if (path === "/api/v1") return { status: 200, body: RESOURCES };
  if (path === "/apis") return { status: 200, body: { kind: "APIGroupList", apiVersion: "v1", groups: [] } };
  if (path === "/version") return { status: 200, body: VERSION };
  if (path === "/api/v1/pods") return listPods(store, undefined, search);
  const pods = NAMESPACED.exec(path);
  if (pods) {
    const namespace = decodeURIComponent(pods[1]!);
    if (pods[2] === undefined) return listPods(store, namespace, search);
    const name = decodeURIComponent(pods[2]);
    const pod = store.pod(namespace, name);
    return pod ? { status: 200, body: pod } : notFound("pods", name);
  }
  const nodes = NODES.exec(path);
  if (nodes) {
    if (nodes[1] === undefined) return { status: 200, body: { kind: "NodeList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion }, items: store.listNodes().map(asItem) } };
    const name = decodeURIComponent(nodes[1]);
    const node = store.node(name);
    return node ? { status: 200, body: node } : notFound("nodes", name);
  }
  return undefined;
}

/** `GET /version`: tools print it and some check it before they start. */
const VERSION = { major: "1", minor: "36", gitVersion: "v1.36.0-gen-binding-example", platform: "linux/amd64" };

/** What `GET /api/v1` lists: the resources this example serves, with the verbs it supports. */
const RESOURCES = {
  kind: "APIResourceList",
  groupVersion: "v1",
  resources: [
    { name: "bindings", singularName: "binding", namespaced: true, kind: "Binding", verbs: ["create"] },
    { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: ["get", "list"], shortNames: ["no"] },
    { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["get", "list"], shortNames: ["po"], categories: ["all"] },
    { name: "pods/binding", singularName: "", namespaced: true, kind: "Binding", verbs: ["create"] },
  ],
};

/** Field selectors kube-apiserver supports on pods that a scheduler uses (`spec.nodeName=` finds pending pods). */
const POD_FIELDS: Record<string, (pod: Pod) => string> = {
  "metadata.name": (pod) => pod.metadata.name,
  "metadata.namespace": (pod) => pod.metadata.namespace,
  "spec.nodeName": (pod) => pod.spec.nodeName ?? "",
  "spec.schedulerName": (pod) => pod.spec.schedulerName,
  "status.phase": (pod) => pod.status.phase,
};

function listPods(store: ClusterStore, namespace: string | undefined, search: URLSearchParams): ReadAnswer {
  if (search.has("labelSelector")) return badRequest("labelSelector is not supported by this example server");
  const tests: Array<(pod: Pod) => boolean> = [];
  for (const term of (search.get("fieldSelector") ?? "").split(",").filter(Boolean)) {
    const match = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    const read = match ? POD_FIELDS[match[1]!] : undefined;
    if (!match || !read) return badRequest(`"${term}" is not a known field selector: only ${Object.keys(POD_FIELDS).map((f) => `"${f}"`).join(", ")}`);
    const [, , operator, value] = match;
    tests.push((pod) => (read(pod) === value) === (operator !== "!="));
  }
  const items = store.listPods(namespace).filter((pod) => tests.every((test) => test(pod)));
  return { status: 200, body: { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion }, items: items.map(asItem) } };
}

/** List items carry no kind and apiVersion, as in kube-apiserver's answers. */
function asItem<T extends Pod | Node>(object: T): Omit<T, "kind" | "apiVersion"> {
  const { kind: _kind, apiVersion: _apiVersion, ...item } = object;
  return item;
}

function notFound(resource: string, name: string): ReadAnswer {
  return { status: 404, body: status(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource }) };
}

function badRequest(message: string): ReadAnswer {
  return { status: 400, body: status(400, "BadRequest", message) };
}

function status(code: number, reason: string, message: string, details?: object) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details && { details }), code };
}
