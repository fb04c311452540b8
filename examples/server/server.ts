import { createServer, type Server } from "node:http";
import { Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { parse } from "yaml";
import { discovery } from "../k8s/discovery.js";
import { createRequestListener } from "../k8s/routes.js";
import { createHandlers } from "./handlers.js";
import type { ClusterStore } from "./store.js";
import { exampleTables } from "./tables.js";

export interface ExampleServerOptions {
  /** When set, every request needs `Authorization: Bearer <token>` (401 otherwise, on any path). */
  token?: string;
  /** Serve HTTPS with this certificate and key (kubectl sends a token only over HTTPS). */
  tls?: { cert: string; key: string };
  /** How often a watch that allows bookmarks gets one (default 60 000 ms, as the apiserver's watch cache). */
  bookmarkIntervalMs?: number;
  /** The apiserver's `--min-request-timeout` (default 1800 s): a watch without `timeoutSeconds` ends between it and twice it. */
  minRequestTimeoutSeconds?: number;
}

/**
 * A small Kubernetes API server for pods, nodes and bindings: the generated routes answer every operation of
 * the three kinds (with every request check they make; what this example does not model answers 501), serve
 * the discovery documents and the OpenAPI slice that kubectl reads (the output's `discovery.ts`), decode YAML
 * bodies with the `yaml` package, and answer `kubectl get` with kubectl's columns for pods and nodes.
 */
export function createExampleServer(store: ClusterStore, options: ExampleServerOptions = {}): Server | HttpsServer {
  const listener = createRequestListener(createHandlers(store, options.bookmarkIntervalMs), {
    authenticate: (token) => (options.token === undefined || token === options.token ? { name: "example-user" } : false),
    discovery: { ...discovery, version: { ...discovery.version, gitVersion: `${discovery.version.gitVersion}-gen-binding-example`, platform: `${process.platform}/${process.arch}` } },
    parseYaml: parse,
    tables: exampleTables(),
    ...(options.minRequestTimeoutSeconds !== undefined && { minRequestTimeoutSeconds: options.minRequestTimeoutSeconds }),
  });
  return options.tls ? new HttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener);
}

/** Starts the server on 127.0.0.1 (port 0 picks a free one) and resolves with its base URL. */
export async function listen(server: Server | HttpsServer, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `${server instanceof HttpsServer ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
