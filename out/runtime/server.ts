// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/server.ts), never in an output: the next run would put it back.
import { parseQuery } from "./query.js";
import { type BodyRead, readChunks, readJsonBody, streamChunks } from "./request-body.js";
import { type CompiledRoute, type Router, createRouter } from "./router.js";
import { type Status, type StatusDetails, statusObject } from "./status.js";
import { type ApiTable, type QueryParamSpec, queryParam } from "./table.js";
import {
  type Shape,
  checkBody,
  checkNamesMatch,
  checkObjectNames,
  checkTypeMeta,
  invalid,
  nameProblem,
  pathSegmentProblems,
} from "./validate.js";

/** An output's table plus the validation shapes of its models: everything the routes need. */
export interface RouteTable extends ApiTable {
  shapes: Readonly<Record<string, Shape>>;
}

/** What every handler gets besides its input. */
export interface HandlerContext {
  /** The bearer token of the request, if any. */
  token: string | undefined;
  /** What `authenticate` returned for this request (undefined without `authenticate`). */
  user: unknown;
  /** Reads a request header (case-insensitive). */
  header(name: string): string | undefined;
  /** Add texts here to send them as `Warning` headers, as the apiserver does. */
  warnings: string[];
}

/** A handler's answer: `status` defaults to 201 for creates and 200 otherwise. */
export interface HandlerResult<T> {
  status?: number;
  body: T;
  headers?: Record<string, string>;
}

/** Options shared by {@link createFetchHandler} and {@link createRequestListener}. */
export interface RouteOptions {
  /**
   * Decides whether a request may proceed, from its bearer token. Return `false`, `null` or `undefined` to
   * answer 401; anything else is accepted and handed to handlers as `context.user`.
   */
  authenticate?: (
    token: string | undefined,
    request: { method: string; path: string; operationId: string },
  ) => unknown;
  /** Largest accepted request body, in bytes (default 3 MiB, the apiserver's limit). */
  maxBodyBytes?: number;
  /** Longest wait for a whole request body, in milliseconds (default 60 s); a slower body gets 408 and the connection is closed. */
  bodyTimeoutMs?: number;
}

/** The parts of `node:http`'s IncomingMessage the routes use (no dependency on @types/node). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** The parts of `node:http`'s ServerResponse the routes use. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/** A `Status` answer for handlers to return: `statusAnswer(404, "NotFound", 'pods "x" not found')`. */
export function statusAnswer(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): HandlerResult<Status> {
  return { status: code, body: statusObject(code, reason, message, details) };
}

/** A fetch-style handler, `(Request) => Promise<Response>`, for Deno, Bun, workers and `node:http` adapters. */
export function createFetchHandler(
  table: RouteTable,
  handlers: object,
  options: RouteOptions = {},
): (request: Request) => Promise<Response> {
  const router = routerOf(table);
  return async (request) => {
    const url = new URL(request.url);
    const answer = await dispatch(table, router, handlers, options, {
      method: request.method,
      path: url.pathname,
      search: url.search,
      header: (name) => request.headers.get(name) ?? undefined,
      hasBody: request.body !== null,
      readBody: (limit, timeoutMs) =>
        readChunks(
          request.body ? streamChunks(request.body) : [],
          limit,
          request.headers.get("content-length"),
          timeoutMs,
        ),
    });
    return new Response(answer.body === "" ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  };
}

/** A `node:http` request listener: `http.createServer(createRequestListener(table, handlers))`. */
export function createRequestListener(
  table: RouteTable,
  handlers: object,
  options: RouteOptions = {},
): (request: NodeRequestLike, response: NodeResponseLike) => void {
  const router = routerOf(table);
  return (request, response) => {
    const target = request.url ?? "/";
    const query = target.indexOf("?");
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    void dispatch(table, router, handlers, options, {
      method: request.method ?? "GET",
      path: query === -1 ? target : target.slice(0, query),
      search: query === -1 ? "" : target.slice(query),
      header,
      hasBody: announcesBody(header("content-length"), header("transfer-encoding")),
      readBody: (limit, timeoutMs) =>
        readChunks(request, limit, header("content-length"), timeoutMs),
    }).then((answer) => {
      // dispatch never rejects, and has checked the status and headers: nothing here can throw.
      response.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
      response.end(answer.body);
    });
  };
}

/** Whether a node request carries a body: a Content-Length other than 0, or a transfer coding (chunked). */
function announcesBody(
  contentLength: string | undefined,
  transferEncoding: string | undefined,
): boolean {
  return (
    (contentLength !== undefined && contentLength.trim() !== "0") || transferEncoding !== undefined
  );
}

const routers = new WeakMap<object, Router>();

/** One router per table, however many handlers are made from it. */
function routerOf(table: RouteTable): Router {
  let router = routers.get(table);
  if (!router) routers.set(table, (router = createRouter(table)));
  return router;
}

interface IncomingRequest {
  method: string;
  path: string;
  search: string;
  header(name: string): string | undefined;
  /** False when the request says it has no body (no Content-Length or 0, and not chunked). */
  hasBody: boolean;
  readBody(limit: number, timeoutMs: number): Promise<BodyRead>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 60_000;

async function dispatch(
  table: RouteTable,
  router: Router,
  handlers: object,
  options: RouteOptions,
  request: IncomingRequest,
): Promise<Answer> {
  try {
    return checkedAnswer(await route(table, router, handlers, options, request));
  } catch {
    // Never show a stack or a message from the handler to the client.
    return internalError();
  }
}

function internalError(): Answer {
  return answer(
    statusObject(
      500,
      "InternalError",
      "Internal error occurred: the request could not be completed",
    ),
  );
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A handler's status or headers that HTTP cannot carry become a 500, rather than an exception in the server. */
function checkedAnswer(result: Answer): Answer {
  const headersOk = Object.entries(result.headers).every(
    ([name, value]) =>
      HEADER_NAME.test(name) && typeof value === "string" && HEADER_VALUE.test(value),
  );
  if (!(
    Number.isInteger(result.status) &&
    result.status >= 200 &&
    result.status <= 599 &&
    headersOk
  ))
    return internalError();
  // These statuses carry no body: fetch's Response refuses one.
  return [204, 205, 304].includes(result.status) ? { ...result, body: "" } : result;
}

async function route(
  table: RouteTable,
  router: Router,
  handlers: object,
  options: RouteOptions,
  request: IncomingRequest,
): Promise<Answer> {
  const match = router.match(request.method, request.path);
  if (!match)
    return answer(
      statusObject(404, "NotFound", "the server could not find the requested resource"),
    );
  if ("allowed" in match) {
    const allow = match.allowed.join(", ");
    return answer(
      statusObject(
        405,
        "MethodNotAllowed",
        `the server does not allow this method on the requested resource (allowed: ${allow})`,
      ),
      { allow },
    );
  }
  const { route: r, raw } = match;
  const operation = r.operation;
  const token = bearerToken(request.header(table.authHeader));
  let user: unknown;
  if (options.authenticate) {
    user = await options.authenticate(token, {
      method: operation.method,
      path: request.path,
      operationId: operation.operationId,
    });
    if (user === false || user === null || user === undefined)
      return answer(statusObject(401, "Unauthorized", "Unauthorized"));
  }
  const query = parseQuery(request.search, querySpecs(table, r));
  if (typeof query === "string") return answer(statusObject(400, "BadRequest", query));
  const params = parsePathParams(r, raw);
  if ("error" in params) return answer(params.error);
  const input: { params: Record<string, string>; query: Record<string, unknown>; body?: unknown } =
    { params: params.values, query };
  const warnings: string[] = [];
  const body = operation.body;
  // An optional body left out (a DELETE without DeleteOptions, as curl and the client send it) is no body.
  if (body && (body.required || request.hasBody)) {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    const isPatch = body.contentTypes !== undefined;
    const read = await readJsonBody(
      request.header("content-type"),
      body.contentTypes ?? ["application/json"],
      () => request.readBody(limit, timeoutMs),
      limit,
      timeoutMs,
    );
    if ("error" in read) return answer(read.error, read.close ? { connection: "close" } : {});
    if (read.value === undefined && body.required)
      return answer(statusObject(400, "BadRequest", "the request body is required"));
    // Kubernetes reads null as "not set" inside an object, but a null object is no object (the apiserver's message).
    if (read.value === null && !isPatch)
      return answer(statusObject(400, "BadRequest", "Object 'Kind' is missing in 'null'"));
    if (read.value !== undefined && !isPatch) {
      const isKind = body.type === r.kind.type;
      const { problems, unknown } = checkBody(read.value, body.type, table.shapes);
      if (isKind) problems.push(...checkObjectNames(read.value, r.kind.names));
      if (problems.length)
        return answer(invalid(body.type, r.kind.group, read.value, params.values, problems));
      const mismatch = isKind
        ? (checkTypeMeta(read.value, r.kind) ??
          checkNamesMatch(read.value, params.values, operation.method !== "POST"))
        : undefined;
      if (mismatch) return answer(statusObject(400, "BadRequest", mismatch));
      const fieldProblems = [
        ...unknown.map((f) => `unknown field ${JSON.stringify(f)}`),
        ...read.duplicates.map((f) => `duplicate field ${JSON.stringify(f)}`),
      ];
      const mode = query["fieldValidation"] ?? "Warn";
      if (fieldProblems.length && mode === "Strict")
        return answer(
          statusObject(400, "BadRequest", `strict decoding error: ${fieldProblems.join(", ")}`),
        );
      if (fieldProblems.length && mode === "Warn") warnings.push(...fieldProblems);
    }
    input.body = read.value;
  }
  const context: HandlerContext = { token, user, header: (name) => request.header(name), warnings };
  const handler = (handlers as Record<string, unknown>)[r.name];
  // An operation named like an Object.prototype method (`toString`) must not reach that method.
  if (
    typeof handler !== "function" ||
    handler === (Object.prototype as Record<string, unknown>)[r.name]
  )
    return answer(statusObject(501, "NotImplemented", `${r.name} is not implemented`));
  const result = (await handler.call(handlers, input, context)) as HandlerResult<unknown>;
  // Header names are case-insensitive: the handler's `Content-Type` replaces the default, and its own
  // `Warning` stays beside the field warnings.
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    extra[name.toLowerCase()] = value;
  if (warnings.length)
    extra["warning"] = [
      ...(extra["warning"] === undefined ? [] : [extra["warning"]]),
      ...warnings.map(warningValue),
    ].join(", ");
  return {
    status: result.status ?? operation.status,
    headers: { "content-type": "application/json", ...extra },
    body: JSON.stringify(result.body) ?? "",
  };
}

/** The specs of an operation's query parameters, by wire name. */
function querySpecs(table: RouteTable, r: CompiledRoute): Array<readonly [string, QueryParamSpec]> {
  return r.operation.query.map((ref) => {
    const { wire, spec } = queryParam(ref, table);
    return [wire, spec] as const;
  });
}

/** `299 - "text"`, in the ASCII that a header can carry whatever the text holds (field names come from the body). */
function warningValue(text: string): string {
  return `299 - ${JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}`;
}

function bearerToken(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : undefined;
}

/**
 * Path parameters, decoded and checked as the apiserver checks names: `.`, `..`, `/` and `%` (after
 * decoding) are a 400; a name that no object of this kind can have, or a namespace that cannot exist, is
 * a 404.
 */
function parsePathParams(
  r: CompiledRoute,
  raw: readonly string[],
): { values: Record<string, string> } | { error: Status & { code: number } } {
  const values: Record<string, string> = {};
  for (const [index, name] of r.pathParams.entries()) {
    const label = name === "namespace" ? "Namespace" : "Name";
    let value: string;
    try {
      value = decodeURIComponent(raw[index]!);
    } catch {
      return {
        error: statusObject(
          400,
          "BadRequest",
          `${label} parameter invalid: ${JSON.stringify(raw[index])}: invalid percent-encoding`,
        ),
      };
    }
    const problems = pathSegmentProblems(value);
    if (problems.length)
      return {
        error: statusObject(
          400,
          "BadRequest",
          `${label} parameter invalid: ${JSON.stringify(value)}: ${problems.join(";")}`,
        ),
      };
    if (name === "namespace" && nameProblem(value, "label") !== undefined) {
      return {
        error: statusObject(404, "NotFound", `namespaces ${JSON.stringify(value)} not found`, {
          name: value,
          kind: "namespaces",
        }),
      };
    }
    if (name === "name" && nameProblem(value, r.kind.names) !== undefined) {
      return {
        error: statusObject(404, "NotFound", `${r.resource} ${JSON.stringify(value)} not found`, {
          name: value,
          kind: r.resource,
        }),
      };
    }
    // defineProperty: a parameter named `__proto__` stays a parameter.
    Object.defineProperty(values, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { values };
}

function answer(body: Status & { code: number }, headers: Record<string, string> = {}): Answer {
  return {
    status: body.code,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}
