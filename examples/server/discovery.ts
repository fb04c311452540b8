/** A JSON answer: HTTP status and body. */
export interface DiscoveryAnswer {
  status: number;
  body: unknown;
}

/**
 * The discovery kube-apiserver offers beside its resources (`/api`, `/api/v1`, an empty `/apis`, `/version`),
 * so that tools can find the resources this example serves. Undefined for other paths.
 */
export function serveDiscovery(method: string, path: string, serverAddress: string): DiscoveryAnswer | undefined {
  if (method !== "GET") return undefined;
  if (path === "/api") return { status: 200, body: { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] } };
  if (path === "/api/v1") return { status: 200, body: RESOURCES };
  if (path === "/apis") return { status: 200, body: { kind: "APIGroupList", apiVersion: "v1", groups: [] } };
  if (path === "/version") return { status: 200, body: VERSION };
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
