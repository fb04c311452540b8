import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestListener } from "../k8s/routes.js";
import { serveDiscovery } from "./discovery.js";
import { createHandlers } from "./handlers.js";
import type { ClusterStore } from "./store.js";

export interface ExampleServerOptions {
  /** When set, every request needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
}

/**
 * A small Kubernetes API server for pods, nodes and bindings: the generated routes answer every operation of
 * the three kinds (with every request check they make; what this example does not model answers 501), and
 * `serveDiscovery` answers the discovery documents tools look for first.
 */
export function createExampleServer(store: ClusterStore, options: ExampleServerOptions = {}): Server {
  const allowed = (token: string | undefined) => options.token === undefined || token === options.token;
  const routes = createRequestListener(createHandlers(store), { authenticate: (token) => allowed(token) });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const address = server.address() as AddressInfo | null;
    const discovery = serveDiscovery(request.method ?? "GET", url.pathname, address ? `127.0.0.1:${address.port}` : "127.0.0.1");
    if (!discovery) return routes(request, response);
    const answer = allowed(bearer(request)) ? discovery : { status: 401, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 } };
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  return server;
}

function bearer(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
}

/** Starts the server on 127.0.0.1 (port 0 picks a free one) and resolves with its base URL. */
export async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
