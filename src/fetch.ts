import { GenBindingError } from "./errors.js";
import { readStream } from "./load.js";
import { isStatus, trimTrailingSlashes } from "./runtime/client.js";
import { fromKubeconfig, KubeconfigError } from "./runtime/kubeconfig.js";

/** How documents are fetched over HTTP: with which `fetch`, which token, for which server, within what time. */
export interface Transport {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Sent as `Authorization: Bearer ...` to {@link Transport.server} only, and only over https. */
  token: string | (() => string | Promise<string>) | undefined;
  /** The server the credentials belong to (`https://host:6443`, maybe with a path prefix). */
  server: string | undefined;
  /** Where the credentials come from, for messages. */
  credentials: string | undefined;
  /** Longest wait for one document, answer and body. */
  timeoutMs: number;
}

/** How long one document may take when no `--timeout` is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The global `fetch`, no credentials: for a public URL. */
export function plainTransport(timeoutMs = DEFAULT_TIMEOUT_MS): Transport {
  return { fetch: (input, init) => fetch(input, init), token: undefined, server: undefined, credentials: undefined, timeoutMs };
}

/**
 * The server, CA, client certificate and token of a kubeconfig context, read by the same reader the output's
 * `fromKubeconfig()` uses (src/runtime/kubeconfig.ts): `path`, else `$KUBECONFIG`, else `~/.kube/config`;
 * `context`, else the current one.
 */
export function kubeconfigTransport(path: string | undefined, context: string | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Transport {
  let options;
  try {
    options = fromKubeconfig(path, context);
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    // The reader's advice (pass a token option) is for programs; a command line has its own way round.
    const advice = error.advice === undefined ? "" : "; instead, save the documents with kubectl (kubectl get --raw /openapi/v3/api/v1 > api__v1.json) and give them to --spec";
    throw new GenBindingError(`kubeconfig: ${error.problem}${advice}`);
  }
  const server = trimTrailingSlashes(String(options.baseUrl));
  const credentials = `the kubeconfig's ${context === undefined ? "current context" : `context "${context}"`}${path === undefined ? "" : ` (${path})`}`;
  return { fetch: options.fetch!, token: options.token, server, credentials, timeoutMs };
}

/**
 * GETs a URL and returns its body, bounded in size and time. The token goes only to the transport's own
 * server and never over plain http (kubectl does not send it there either). Every failure is one line that
 * names the URL and what went wrong. `cancel` ends the fetch early (another one failed: the run is over).
 */
export async function fetchBytes(url: string, transport: Transport, cancel?: AbortSignal): Promise<Buffer> {
  const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9" };
  const token = sendsToken(url, transport) ? await bearerToken(url, transport) : undefined;
  if (token) headers["authorization"] = `Bearer ${token}`;
  const timeout = AbortSignal.timeout(transport.timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  try {
    const response = await transport.fetch(url, { headers, signal });
    if (!response.ok) throw new GenBindingError(`cannot fetch spec ${url}: HTTP ${response.status} ${response.statusText}${await statusMessage(response)}${refusalHint(response.status, url, transport, token)}`);
    if (!response.body) return Buffer.alloc(0);
    return await readStream(response.body as unknown as NodeJS.ReadableStream, url);
  } catch (error) {
    if (error instanceof GenBindingError) throw error;
    const why = timeout.aborted ? `no answer within ${transport.timeoutMs / 1000} s (--timeout)` : cancel?.aborted ? "cancelled, as another fetch failed" : networkProblem(error, transport);
    throw new GenBindingError(`cannot fetch spec ${url}: ${why}`);
  }
}

function sendsToken(url: string, transport: Transport): boolean {
  if (transport.token === undefined || transport.server === undefined) return false;
  const target = new URL(url);
  return target.protocol === "https:" && target.origin === new URL(transport.server).origin;
}

async function bearerToken(url: string, transport: Transport): Promise<string> {
  try {
    return typeof transport.token === "function" ? await transport.token() : (transport.token ?? "");
  } catch (error) {
    throw new GenBindingError(`cannot fetch spec ${url}: could not get the token of ${transport.credentials}: ${(error as Error).message}`);
  }
}

/** `: <message>` when the answer is a Kubernetes `Status` (what the apiserver answers errors with). */
async function statusMessage(response: Response): Promise<string> {
  try {
    const body: unknown = JSON.parse((await response.text()).slice(0, 64 * 1024));
    return isStatus(body) && typeof body.message === "string" && body.message !== "" ? `: ${body.message}` : "";
  } catch {
    return "";
  }
}

function refusalHint(status: number, url: string, transport: Transport, token: string | undefined): string {
  if (status !== 401) return "";
  if (token) return ` (the token of ${transport.credentials} was refused)`;
  if (transport.token !== undefined && new URL(url).protocol === "http:") return " (the kubeconfig's token is not sent over http://, as kubectl does not send it)";
  return " (no credentials were sent: add --kubeconfig, or use --from-cluster)";
}

function networkProblem(error: unknown, transport: Transport): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as NodeJS.ErrnoException).code;
  const message = (cause as Error).message ?? String(cause);
  const text = code && !message.includes(code) ? `${code}: ${message}` : message;
  const tls = typeof code === "string" && /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_)/.test(code);
  return tls && transport.credentials === undefined ? `${text} (to trust a cluster's own CA, add --kubeconfig)` : text;
}
