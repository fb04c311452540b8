import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
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

/** What a {@link scriptedServer} saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** How a scripted server answers; `count` is 1 for the first request since `serve` was called. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, count: number) => void;

/**
 * A test server whose answer each test sets with `serve`, after the request body has arrived; it records
 * every request since then in `seen`. Start it with {@link listenLoopback}.
 */
export function scriptedServer(): { server: Server; seen: SeenRequest[]; serve(behaviour: Behaviour): void } {
  const seen: SeenRequest[] = [];
  let behave: Behaviour = (_req, res) => res.end();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      behave(req, res, seen.length);
    });
  });
  return {
    server,
    seen,
    serve(behaviour) {
      seen.length = 0;
      behave = behaviour;
    },
  };
}

/** The URL of a 127.0.0.1 port that was just free and is closed again: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const closed = createServer();
  const url = await listenLoopback(closed);
  await new Promise((resolve) => closed.close(resolve));
  return url;
}
