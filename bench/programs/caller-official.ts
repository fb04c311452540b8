// One createNamespacedPodBinding call with @kubernetes/client-node, as the throughput loop uses it.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { BINDING } from "./binding.js";

export function createCaller(baseUrl: string): () => Promise<unknown> {
  const config = new KubeConfig();
  // skipTLSVerify: the client refuses plain http:// (the loopback server) without it.
  config.loadFromClusterAndUser({ name: "local", server: baseUrl, skipTLSVerify: true }, { name: "me" });
  const api = config.makeApiClient(CoreV1Api);
  return () => api.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
}
