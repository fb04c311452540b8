// The ceiling for any fetch-based client: the same POST with a bare global fetch and JSON.parse.
import { BINDING } from "./binding.js";

export function createCaller(baseUrl: string): () => Promise<unknown> {
  const url = `${baseUrl}/api/v1/namespaces/default/pods/web-1/binding`;
  const body = JSON.stringify(BINDING);
  const headers = { accept: "application/json", "content-type": "application/json" };
  return async () => (await fetch(url, { method: "POST", headers, body })).json();
}
