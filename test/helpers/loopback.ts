import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts a test server on 127.0.0.1 (a free port) and resolves with its base URL. */
export async function listenLoopback(server: Server, scheme = "http"): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a test server now, dropping kept-alive and hanging connections. */
export function stopServer(server: Server): void {
  server.closeAllConnections();
  server.close();
}

/** A request handler that answers with JSON (or the given text) and extra headers. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}
