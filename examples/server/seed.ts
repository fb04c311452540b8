import { ClusterStore } from "./store.js";

/** The state the example starts with: web-1..3 wait for the example scheduler; db-0 already runs on node-a. */
export function exampleCluster(): ClusterStore {
  return new ClusterStore({
    nodes: ["node-a", "node-b"],
    pods: [
      { name: "web-1", schedulerName: "example-scheduler", labels: { app: "web" } },
      { name: "web-2", schedulerName: "example-scheduler", labels: { app: "web" } },
      { name: "web-3", schedulerName: "example-scheduler", labels: { app: "web" } },
      { name: "db-0", nodeName: "node-a", labels: { app: "db" } },
    ],
  });
}
