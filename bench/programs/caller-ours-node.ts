// One createNamespacedPodBinding call with gen-binding's client on its Node transport (out/node.ts:
// node:http(s) with kept-alive connections), as a Node program would use it against a real cluster.
import { createClient } from "../../out/client.js";
import { nodeFetch } from "../../out/node.js";
import { BINDING } from "./binding.js";

export function createCaller(baseUrl: string): () => Promise<unknown> {
  const client = createClient({ baseUrl, fetch: nodeFetch() });
  return () => client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
}
