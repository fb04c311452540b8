import { createServer, request as httpRequest, Agent, type RequestListener, type Server } from "node:http";
import { connect } from "node:net";
import { listenLoopback, stopServer } from "./loopback.js";

/** A real node:http server on 127.0.0.1 around a request listener; `close()` ends it and its connections. */
export async function startServer(listener: RequestListener): Promise<{ server: Server; port: number; close(): void }> {
  const server = createServer(listener);
  const url = await listenLoopback(server);
  return { server, port: Number(new URL(url).port), close: () => stopServer(server) };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: any;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 16 });

/** One request with node:http (bounded by `timeoutMs`); the path is sent as given. */
export function send(port: number, init: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }, timeoutMs = 10_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // node sends a GET or DELETE body with no length unless told: the server would read it as the next request.
    const length = init.body === undefined ? {} : { "content-length": String(Buffer.byteLength(init.body)) };
    const headers = { ...length, ...init.headers };
    const req = httpRequest({ host: "127.0.0.1", port, method: init.method, path: init.path, headers, agent: keepAlive, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parse(Buffer.concat(chunks).toString("utf8")) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

/**
 * Writes raw bytes on a fresh TCP connection (what no well-behaved client would send), optionally more
 * bytes later, and reads the answer (by its Content-Length) within `timeoutMs`. Write errors after the
 * server has answered are expected and ignored.
 */
export function sendRaw(port: number, head: string | Buffer, options: { body?: () => AsyncIterable<Buffer | string>; timeoutMs?: number } = {}): Promise<HttpAnswer & { elapsedMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let answered = false;
    const timer = setTimeout(() => fail(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parseAnswer(received);
      if (!answer || answered) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, elapsedMs: Date.now() - started });
    });
    socket.on("close", () => answered || fail(new Error(`connection closed without a full answer: ${JSON.stringify(received.toString("latin1").slice(0, 200))}`)));
    socket.on("error", () => undefined);
    socket.write(head);
    if (options.body) {
      void (async () => {
        for await (const part of options.body!()) {
          if (answered || socket.destroyed) break;
          if (!socket.write(part)) await new Promise((r) => socket.once("drain", r).once("close", r));
        }
      })().catch(() => undefined);
    }
  });
}

/** A complete HTTP/1.1 answer with a Content-Length body, or undefined while bytes are missing. */
function parseAnswer(bytes: Buffer): HttpAnswer | undefined {
  const end = bytes.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = bytes.subarray(end + 4);
  if (body.length < Number(headers["content-length"] ?? 0)) return undefined;
  return { status: Number(statusLine!.split(" ")[1]), headers, body: parse(body.toString("utf8")) };
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Polls `check` every 10 ms until it holds or `ms` pass; resolves with its last result. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}
