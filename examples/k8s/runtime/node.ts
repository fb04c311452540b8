// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/node.ts), never in an output: the next run would put it back.
// Node.js only (it imports node: built-ins; type-checking it needs @types/node). client.ts stays usable in
// browsers and bundlers: this file gives it a transport that can do what the global fetch cannot, namely
// trust a cluster's own CA and present a client certificate.
/// <reference types="node" />
import { readFileSync, statSync } from "node:fs";
import { type IncomingMessage, request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { join } from "node:path";
import type { ClientOptions } from "./client.js";

/** What `createClient` needs to reach a cluster, plus the namespace the configuration names (if any). */
export interface ClusterOptions extends ClientOptions {
  namespace?: string;
}

/** TLS settings for {@link nodeFetch}: PEM text or bytes. */
export interface TlsOptions {
  /** The certificate authorities to trust instead of Node's built-in list (the cluster CA). */
  ca?: string | Uint8Array | undefined;
  /** Client certificate and its private key, for clusters that authenticate by certificate. */
  cert?: string | Uint8Array | undefined;
  key?: string | Uint8Array | undefined;
  /** Accept any server certificate. Only for throwaway test clusters. */
  insecureSkipTlsVerify?: boolean | undefined;
  /** The name to check the server certificate against, when it differs from the URL's host. */
  serverName?: string | undefined;
}

type Fetch = NonNullable<ClientOptions["fetch"]>;

/**
 * A `fetch` for `createClient({ fetch })` built on node:http and node:https, with a custom CA, a client
 * certificate and key. Connections are kept alive and reused; the request's `signal` aborts the exchange,
 * the body read included.
 */
export function nodeFetch(tls: TlsOptions = {}): Fetch {
  const agent = new Agent({
    keepAlive: true,
    rejectUnauthorized: !tls.insecureSkipTlsVerify,
    ...(tls.ca !== undefined && { ca: pem(tls.ca) }),
    ...(tls.cert !== undefined && { cert: pem(tls.cert) }),
    ...(tls.key !== undefined && { key: pem(tls.key) }),
    ...(tls.serverName !== undefined && { servername: tls.serverName }),
  });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      const body = init.body ?? undefined;
      if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array))
        return reject(new TypeError("nodeFetch sends string or Uint8Array bodies only"));
      if (body !== undefined)
        headers["content-length"] = String(
          typeof body === "string" ? Buffer.byteLength(body) : body.length,
        );
      const options = { method: init.method ?? "GET", headers };
      const request =
        url.protocol === "https:"
          ? httpsRequest(url, { ...options, agent })
          : httpRequest(url, options);
      let answer: IncomingMessage | undefined;
      // Destroy the answer first, with the signal's reason, so a body read ends in a TimeoutError or
      // AbortError (not the socket's ECONNRESET) and the client can say why.
      const abort = () => {
        answer?.destroy(signal!.reason);
        request.destroy(signal!.reason);
      };
      signal?.addEventListener("abort", abort, { once: true });
      request.on("error", (error) => {
        signal?.removeEventListener("abort", abort);
        reject(error);
      });
      request.on("response", (response) => {
        answer = response;
        response.on("end", () => signal?.removeEventListener("abort", abort));
        const answerHeaders = new Headers();
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
          answerHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        const status = response.statusCode ?? 0;
        const empty = status === 204 || status === 304 || options.method === "HEAD";
        if (empty) response.resume();
        resolve(
          new Response(empty ? null : bodyStream(response), {
            status,
            statusText: response.statusMessage ?? "",
            headers: answerHeaders,
          }),
        );
      });
      request.end(body);
    });
}

/** How far the body is read ahead of its reader before the socket is left unread (the server then waits). */
const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * The answer's body as a web stream. Made by hand: `Readable.toWeb` costs more than the whole request on
 * loopback (measured in the benchmark). An answer cut off mid-body errors the stream with the cause. When
 * a MiB is waiting for a reader (a watch whose consumer is busy), the socket is paused until it reads.
 */
function bodyStream(response: IncomingMessage): ReadableStream<Uint8Array> {
  // Once the stream is closed, errored or cancelled, what the socket still delivers is dropped.
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = (end: () => void) => {
          if (open) {
            open = false;
            end();
          }
        };
        response.on("data", (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) response.pause();
        });
        response.on("end", () => finish(() => controller.close()));
        response.on("error", (error) => finish(() => controller.error(error)));
        response.on("close", () => {
          if (!response.complete)
            finish(() =>
              controller.error(new Error("the connection closed before the answer was complete")),
            );
        });
      },
      pull() {
        response.resume();
      },
      cancel(reason) {
        open = false;
        response.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: READ_AHEAD_BYTES, size: (chunk) => chunk.byteLength },
  );
}

/**
 * A token read from a file and read again whenever the file changes (size or modification time), as
 * kubelet rotates projected service-account tokens: pass it as `createClient({ token })`. It never gives
 * an empty token: while the file is empty or missing (a writer that truncates it and writes it again, where
 * kubelet renames a new file into place) it gives the last token it read, and before it has read one it
 * throws, naming the file, which fails the call before anything is sent.
 */
export function fileToken(path: string): () => string {
  let seen = "";
  let token = "";
  return () => {
    try {
      const stat = statSync(path);
      const version = `${stat.mtimeMs}:${stat.size}`;
      if (version !== seen) {
        const read = readFileSync(path, "utf8").trim();
        if (read === "") throw new Error(`the token file ${path} is empty`);
        token = read;
        seen = version;
      }
    } catch (error) {
      if (token === "") throw error;
    }
    return token;
  };
}

/** Where a pod finds its service account (kubelet mounts it here). */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Options for a client running in a pod: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the
 * service account's `ca.crt`, its token (re-read when kubelet rotates it) and namespace.
 */
export function inCluster(
  where: { dir?: string; env?: Record<string, string | undefined> } = {},
): ClusterOptions {
  const env = where.env ?? process.env;
  const dir = where.dir ?? SERVICE_ACCOUNT_DIR;
  const host = env["KUBERNETES_SERVICE_HOST"];
  const port = env["KUBERNETES_SERVICE_PORT"];
  if (!host || !port)
    throw new Error(
      "inCluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; this process is not running in a Kubernetes pod",
    );
  const token = fileToken(join(dir, "token"));
  token(); // Fail now, with the path in the message, rather than on the first request.
  const options: ClusterOptions = {
    baseUrl: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    token,
    fetch: nodeFetch({ ca: readFileSync(join(dir, "ca.crt")) }),
  };
  const namespace = readOptional(join(dir, "namespace"));
  if (namespace) options.namespace = namespace.trim();
  return options;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === "string" ? value : Buffer.from(value);
}
