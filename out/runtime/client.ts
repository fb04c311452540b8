// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/client.ts), never in an output: the next run would put it back.
import { ApiError, describeFailure, excerpt } from "./api-error.js";
import { type RetryOptions, retriesFor, retryDelay, sleep } from "./retry.js";
import { isStatus } from "./status.js";
import { type ApiTable, type OperationSpec, queryParam } from "./table.js";

export { ApiError } from "./api-error.js";
export { isStatus } from "./status.js";
export type { RetryOptions } from "./retry.js";

/** How to reach the API server. */
export interface ClientOptions {
  /** Server URL, such as `https://127.0.0.1:6443`; a path prefix (`https://host/k8s/clusters/c1`) is kept. */
  baseUrl: string | URL;
  /** Bearer token, or a function that returns the current one: it is called for every request, so rotating tokens work. */
  token?: string | (() => string | Promise<string>);
  /** The fetch to use (default: the global `fetch`). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Headers sent with every request; the per-call `init.headers` win over them. */
  headers?: Record<string, string>;
  /**
   * Give up on an attempt that has not been answered in full (status, headers and body) after this many
   * milliseconds. Default 30 000; `0` waits forever.
   */
  timeoutMs?: number;
  /** Retry failed attempts with backoff. Off unless given; see {@link RetryOptions}. */
  retry?: RetryOptions;
}

/** A successful answer: the HTTP status and the parsed JSON body. */
export interface ApiResponse<T, S extends number = number> {
  status: S;
  body: T;
  headers: Headers;
}

/** What the client needs of an output's table. */
export type ClientTable = Pick<ApiTable, "operations" | "query" | "authHeader">;

/** The request one call sends, before the base URL, token and headers are added. */
export interface RequestSpec {
  method: string;
  /** Path with the parameters filled in and encoded. */
  path: string;
  query: Array<[string, unknown]>;
  body?: unknown;
  contentType?: string;
}

/**
 * A client with one method per operation of the table: `method(params, init?)`. The generated `createClient`
 * calls this with its table and gives the result its typed `Client` interface.
 */
export function createClient<C>(table: ClientTable, options: ClientOptions): C {
  const send = createTransport(options, table.authHeader);
  const client: Record<string, unknown> = {};
  for (const name of Object.keys(table.operations)) {
    const operation = table.operations[name]!;
    // async: a path value refused while building the request is a rejection too, like every failure.
    const call = async (params: Record<string, unknown> | undefined, init?: RequestInit) =>
      send(requestSpec(operation, params ?? {}, table), init);
    // defineProperty: an operation named `__proto__` stays an operation.
    Object.defineProperty(client, name, { value: call, enumerable: true });
  }
  return client as C;
}

/** Fills in an operation's path, query and body from the params of a call. */
export function requestSpec(
  operation: OperationSpec,
  params: Record<string, unknown>,
  table: Pick<ApiTable, "query">,
): RequestSpec {
  const own = (key: string) => (Object.hasOwn(params, key) ? params[key] : undefined);
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    segment(own(name), name),
  );
  const query = operation.query.map((ref): [string, unknown] => {
    const { wire, key } = queryParam(ref, table);
    return [wire, own(key)];
  });
  const spec: RequestSpec = { method: operation.method, path, query };
  if (operation.body) {
    spec.body = own("body");
    spec.contentType =
      (own("contentType") as string | undefined) ??
      operation.body.contentTypes?.[0] ??
      "application/json";
  }
  return spec;
}

/** Encodes one path segment; refuses values that would change the path (empty, `.`, `..`). */
export function segment(value: unknown, name: string): string {
  const text = value === undefined || value === null ? "" : String(value);
  if (text === "" || text === "." || text === "..")
    throw new ApiError(`${name} must be a non-empty name other than "." and ".."`, { status: 0 });
  return encodeURIComponent(text);
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends requests for one client: URL, headers, token, body, timeout and retries. */
export function createTransport(options: ClientOptions, authHeader: string) {
  const base = trimTrailingSlashes(String(options.baseUrl));
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async function send<T, S extends number>(
    spec: RequestSpec,
    init: RequestInit | undefined,
  ): Promise<ApiResponse<T, S>> {
    const search = new URLSearchParams();
    for (const [key, value] of spec.query)
      if (value !== undefined) search.append(key, String(value));
    const query = search.toString();
    const url = base + spec.path + (query ? `?${query}` : "");
    const headers = new Headers(options.headers);
    headers.set("accept", "application/json");
    if (spec.body !== undefined)
      headers.set("content-type", spec.contentType ?? "application/json");
    const label = `${spec.method} ${spec.path}`;
    const token = await prepare(label, "could not get the bearer token", async () =>
      typeof options.token === "function" ? options.token() : options.token,
    );
    if (token) headers.set(authHeader, `Bearer ${token}`);
    new Headers(init?.headers).forEach((value, key) => headers.set(key, value));
    const body = await prepare(label, "could not serialize the body", async () =>
      spec.body === undefined ? null : JSON.stringify(spec.body),
    );
    const request: RequestInit = { ...init, method: spec.method, headers, body };
    const retries = retriesFor(spec.method, options.retry);
    const exchangeSpec = { doFetch, url, request, callerSignal: init?.signal, timeoutMs, label };
    for (let attempt = 1; ; attempt++) {
      const result = await exchange<T, S>(exchangeSpec, attempt);
      if (!(result instanceof ApiError)) return result;
      const wait = attempt <= retries ? retryDelay(result, attempt, options.retry!) : undefined;
      if (wait === undefined || init?.signal?.aborted) throw result;
      await sleep(wait, init?.signal).catch((error: unknown) => {
        throw new ApiError(`${label}: aborted while waiting to retry`, {
          status: 0,
          attempts: attempt,
          cause: error,
        });
      });
    }
  };
}

/** `https://host//` -> `https://host`, in linear time whatever the input. */
function trimTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "/") end--;
  return text.slice(0, end);
}

/** Runs a step before the request is sent; its failure (a token file gone, a body with a cycle) is an ApiError too. */
async function prepare<T>(label: string, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ApiError(
      `${label}: ${what}: ${error instanceof Error ? error.message : String(error)}`,
      { status: 0, cause: error },
    );
  }
}

interface ExchangeSpec {
  doFetch: (input: string, init: RequestInit) => Promise<Response>;
  url: string;
  request: RequestInit;
  callerSignal: AbortSignal | null | undefined;
  timeoutMs: number;
  /** `POST /api/v1/...`, the start of every message. */
  label: string;
}

/** One attempt: the answer, or the ApiError that describes why it failed (returned, so the caller can retry). */
async function exchange<T, S extends number>(
  { doFetch, url, request, callerSignal, timeoutMs, label }: ExchangeSpec,
  attempt: number,
): Promise<ApiResponse<T, S> | ApiError> {
  const signals = [callerSignal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s != null,
  );
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const attempts = attempt > 1 ? ` (after ${attempt} attempts)` : "";
  let response: Response;
  try {
    response = await doFetch(url, signal ? { ...request, signal } : request);
  } catch (error) {
    return new ApiError(`${label}: ${describeFailure(error, timeoutMs)}${attempts}`, {
      status: 0,
      attempts: attempt,
      cause: error,
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const why = describeFailure(error, timeoutMs);
    return new ApiError(`${label}: the ${response.status} answer was cut off: ${why}${attempts}`, {
      status: 0,
      headers: response.headers,
      attempts: attempt,
      cause: error,
    });
  }
  const body = parseBody(text);
  const details = { status: response.status, headers: response.headers, attempts: attempt };
  if (response.ok) {
    if (body === NOT_JSON)
      return new ApiError(
        `${label}: the ${response.status} answer is not JSON (${response.headers.get("content-type") ?? "no Content-Type"}): ${excerpt(text)}${attempts}`,
        { ...details, body: text },
      );
    return { status: response.status as S, body: body as T, headers: response.headers };
  }
  const statusObject = isStatus(body) ? body : undefined;
  const detail = statusObject?.message ?? excerpt(text);
  return new ApiError(
    `${label}: ${response.status}${statusObject?.reason ? ` ${statusObject.reason}` : ""}${detail ? `: ${detail}` : ""}${attempts}`,
    {
      ...details,
      statusObject,
      body: statusObject ? undefined : text,
    },
  );
}

const NOT_JSON: unique symbol = Symbol("not JSON");

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
