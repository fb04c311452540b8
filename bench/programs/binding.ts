/** The Binding every client sends: pod web-1 to node node-a. */
export const BINDING = { apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: { apiVersion: "v1", kind: "Node", name: "node-a" } } as const;
