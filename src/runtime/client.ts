// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/client.ts), never in an output: the next run would put it back.
import { DEFAULT_MAX_RESPONSE_BYTES, fetchWithinOrigin, readText } from "./bounded-fetch.js";
import { ApiError, STATUS_MESSAGE_LIMIT, describeFailure, excerpt } from "./api-error.js";
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
  /**
   * A stream (a watch, a followed log) has no whole-answer timeout (`timeoutMs` bounds only the wait for its
   * status and headers) but fails when nothing arrives for this many milliseconds. Default: 300 000 for
   * watches, none for logs (a quiet container says nothing for hours); `0` waits forever.
   */
  idleTimeoutMs?: number;
  /**
   * The most bytes the client reads of one answer, and of one event of a watch (a watch as a whole may run
   * on for ever). A larger one is not read on: the call fails with an `ApiError` naming the limit. Default
   * 268 435 456 (256 MiB, about 50 000 pods in one list); page longer lists with `limit` and `continue`.
   */
  maxResponseBytes?: number;
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
  /** The answer is text (pod logs), not JSON. */
  text?: boolean;
}

/**
 * What an output adds to the client when its operations need it, so that an output without them carries
 * none of their code: watches and followed logs (`streams` of runtime/client-streams.ts), and the media
 * type of a patch body (`patchMediaType` of runtime/patch.ts).
 */
export interface ClientFeatures {
  watch?: StreamCall;
  follow?: StreamCall;
  patchMediaType?: (patchType: unknown, contentTypes: readonly string[], label: string) => string;
}

/**
 * A streamed call (a watch, a followed log). `spec` is called when the stream is first read: a call sends
 * nothing, and fails nothing, until then.
 */
export type StreamCall = (
  transport: Transport,
  spec: () => RequestSpec,
  init: StreamInit | undefined,
) => unknown;

/** Options of a call whose answer is a stream (a watch, a followed log). */
export interface StreamInit extends RequestInit {
  /**
   * End the stream with an `ApiError` when nothing arrives for this many milliseconds: the connection may be
   * dead without anyone saying so. `0` waits forever. Default: the client's `idleTimeoutMs`.
   */
  idleTimeoutMs?: number;
}

/**
 * A client with one method per operation of the table: `method(params, init?)`. The generated `createClient`
 * calls this with its table and the features its operations need, and gives the result its typed `Client`
 * interface.
 */
export function createClient<C>(
  table: ClientTable,
  options: ClientOptions,
  features: ClientFeatures = {},
): C {
  const transport = createTransport(options, table.authHeader);
  const client: Record<string, unknown> = {};
  const { watch, follow, patchMediaType } = features;
  for (const name of Object.keys(table.operations)) {
    const operation = table.operations[name]!;
    const spec = (params: Record<string, unknown> | undefined) =>
      requestSpec(operation, params ?? {}, table, patchMediaType);
    let call: (params: Record<string, unknown> | undefined, init?: StreamInit) => unknown;
    if (operation.answer === "watch") {
      if (!watch)
        throw new Error(`internal error: ${name} is a watch, and the client has no streams`);
      call = (params, init) => watch(transport, () => spec(params), init);
    }
    // async: a path value refused while building the request is a rejection too, like every failure.
    else
      call = (params, init) =>
        operation.answer === "text" && params?.["follow"] === true && follow
          ? follow(transport, () => spec(params), init)
          : (async () => transport.send(spec(params), init))();
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
  patchMediaType?: ClientFeatures["patchMediaType"],
): RequestSpec {
  const own = (key: string) => (Object.hasOwn(params, key) ? params[key] : undefined);
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    segment(own(name), name),
  );
  const query = operation.query.map((ref): [string, unknown] => {
    const { wire, key } = queryParam(ref, table);
    return [wire, own(key)];
  });
  if (operation.answer === "watch") query.push(["watch", true]);
  const spec: RequestSpec = { method: operation.method, path, query };
  if (operation.answer === "text") spec.text = true;
  if (operation.body) {
    spec.body = own("body");
    const { contentTypes } = operation.body;
    if (contentTypes && !patchMediaType)
      throw new Error(
        `internal error: ${operation.operationId} takes patches, and the client has none`,
      );
    spec.contentType = contentTypes
      ? patchMediaType!(own("patchType"), contentTypes, `${operation.method} ${path}`)
      : "application/json";
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

/** A request ready to go: URL, method, headers and body. */
interface PreparedRequest {
  url: string;
  request: RequestInit;
  /** `POST /api/v1/...`, the start of every message. */
  label: string;
}

/** Sends requests for one client: URL, headers, token, body, timeout and retries; and opens streams. */
export function createTransport(options: ClientOptions, authHeader: string) {
  const base = trimTrailingSlashes(String(options.baseUrl));
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  async function prepareRequest(
    spec: RequestSpec,
    init: RequestInit | undefined,
  ): Promise<PreparedRequest> {
    const search = new URLSearchParams();
    for (const [key, value] of spec.query)
      if (value !== undefined) search.append(key, String(value));
    const query = search.toString();
    const url = base + spec.path + (query ? `?${query}` : "");
    const headers = new Headers(options.headers);
    headers.set("accept", spec.text ? "text/plain, application/json" : "application/json");
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
    const { idleTimeoutMs: _, ...rest } = (init ?? {}) as StreamInit;
    return { url, request: { ...rest, method: spec.method, headers, body }, label };
  }

  /** One call with a whole answer, retried as `options.retry` says. */
  async function send<T, S extends number>(
    spec: RequestSpec,
    init: RequestInit | undefined,
  ): Promise<ApiResponse<T, S>> {
    const { url, request, label } = await prepareRequest(spec, init);
    const retries = retriesFor(spec.method, options.retry);
    const callerSignal = init?.signal;
    const exchangeSpec = { doFetch, url, request, callerSignal, timeoutMs, maxBytes, label };
    for (let attempt = 1; ; attempt++) {
      const result = await exchange<T, S>(exchangeSpec, attempt, spec.text === true);
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
  }

  return {
    send,
    prepareRequest,
    doFetch,
    timeoutMs,
    maxBytes,
    idleTimeoutMs: options.idleTimeoutMs,
  };
}

/** What the client's streams need of its transport (see runtime/client-streams.ts). */
export type Transport = ReturnType<typeof createTransport>;

/**
 * `https://host//` -> `https://host`, in linear time whatever the input (`/\/+$/` backtracks over every
 * slash of a long run: 100k slashes, 8 s).
 */
export function trimTrailingSlashes(text: string): string {
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
  maxBytes: number;
  /** `POST /api/v1/...`, the start of every message. */
  label: string;
}

/** One attempt: the answer, or the ApiError that describes why it failed (returned, so the caller can retry). */
async function exchange<T, S extends number>(
  { doFetch, url, request, callerSignal, timeoutMs, maxBytes, label }: ExchangeSpec,
  attempt: number,
  text: boolean,
): Promise<ApiResponse<T, S> | ApiError> {
  const signals = [callerSignal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s != null,
  );
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const attempts = afterAttempts(attempt);
  let response: Response;
  try {
    response = await fetchWithinOrigin(
      doFetch,
      url,
      signal ? { ...request, signal } : request,
      label,
    );
  } catch (error) {
    if (error instanceof ApiError) return error;
    return new ApiError(`${label}: ${describeFailure(error, timeoutMs)}${attempts}`, {
      status: 0,
      attempts: attempt,
      cause: error,
    });
  }
  let body: string;
  try {
    body = await readText(response, maxBytes, label);
  } catch (error) {
    if (error instanceof ApiError) return error;
    const why = describeFailure(error, timeoutMs);
    return new ApiError(`${label}: the ${response.status} answer was cut off: ${why}${attempts}`, {
      status: 0,
      headers: response.headers,
      attempts: attempt,
      cause: error,
    });
  }
  if (!response.ok) return answerError(label, response, body, attempt);
  if (text)
    return {
      status: response.status as S,
      body: textAnswer(response, body) as T,
      headers: response.headers,
    };
  const parsed = parseBody(body);
  if (parsed === NOT_JSON)
    return new ApiError(
      `${label}: the ${response.status} answer is not JSON (${excerpt(response.headers.get("content-type") ?? "no Content-Type", 100)}): ${excerpt(body)}${attempts}`,
      { status: response.status, headers: response.headers, attempts: attempt, body },
    );
  return { status: response.status as S, body: parsed as T, headers: response.headers };
}

/** What a message says after the failure of a retried call: ` (after 3 attempts)`; nothing for the first. */
function afterAttempts(attempt: number): string {
  return attempt > 1 ? ` (after ${attempt} attempts)` : "";
}

/** The `ApiError` of an error answer: its `Status` when it is one, else its text. */
export function answerError(
  label: string,
  response: Response,
  text: string,
  attempt = 1,
): ApiError {
  const body = parseBody(text);
  const statusObject = isStatus(body) ? body : undefined;
  // A server may say anything at any length: the message keeps the start, the error keeps it all.
  const { reason, message } = (statusObject ?? {}) as { reason?: unknown; message?: unknown };
  const why = typeof reason === "string" && reason !== "" ? ` ${excerpt(reason, 100)}` : "";
  const detail =
    typeof message === "string" ? excerpt(message, STATUS_MESSAGE_LIMIT) : excerpt(text);
  return new ApiError(
    `${label}: ${response.status}${why}${detail ? `: ${detail}` : ""}${afterAttempts(attempt)}`,
    {
      status: response.status,
      headers: response.headers,
      attempts: attempt,
      statusObject,
      body: statusObject ? undefined : text,
    },
  );
}

/**
 * A text answer (a pod log) as the text it is. The apiserver sends `text/plain`; a server that sends the
 * text as a JSON string is read too.
 */
function textAnswer(response: Response, text: string): string {
  if (!/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) return text;
  const parsed = parseBody(text);
  return typeof parsed === "string" ? parsed : text;
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
