// One createNamespacedPodBinding call with gen-binding's client, as the throughput loop uses it.
import { createClient } from "../../out/client.js";
import { BINDING } from "./binding.js";

export function createCaller(baseUrl: string): () => Promise<unknown> {
  const client = createClient({ baseUrl });
  return () => client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
}
