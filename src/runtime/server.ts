// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/server.ts), never in an output: the next run would put it back.
import {
  type Answer,
  type Reply,
  encode,
  encodeError,
  internalError,
  statusReply,
} from "./answer.js";
import { negotiateOutput } from "./negotiate.js";
import { parsePathParams } from "./path-params.js";
import { parseQuery } from "./query.js";
import { checkedBody } from "./body-checks.js";
import { type BodyRead, readChunks, streamChunks } from "./request-body.js";
import {
  type RequestAttributes,
  forbidden,
  requestAttributes,
  resourcePath,
} from "./request-info.js";
import { type CompiledRoute, type Router, createRouter } from "./router.js";
import { type StatusDetails, type Status, isStatus, statusObject } from "./status.js";
import {
  type DefaultColumnText,
  type TableColumn,
  asTable,
  defaultColumns,
} from "./table-answer.js";
import { type ApiTable, type DiscoveryDocument, type QueryParamSpec, queryParam } from "./table.js";
import type { Shape } from "./validate.js";

export type { DiscoveryDocument, VersionInfo } from "./table.js";
export type { RequestAttributes } from "./request-info.js";
export type { TableColumn } from "./table-answer.js";

/** An output's table plus the validation shapes of its models: everything the routes need. */
export interface RouteTable extends ApiTable {
  shapes: Readonly<Record<string, Shape>>;
  /** The document's descriptions of ObjectMeta's `name` and `creationTimestamp`, for the default Table. */
  columnText?: DefaultColumnText;
}

/** What every handler gets besides its input. */
export interface HandlerContext {
  /** The bearer token of the request, if any. */
  token: string | undefined;
  /** What `authenticate` returned for this request (undefined without `authenticate`). */
  user: unknown;
  /** What the request is about, as `authorize` saw it (verb, resource, namespace, name, ...). */
  attributes: RequestAttributes;
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
   * Decides whether a request may proceed, from its bearer token, before anything else (a bad token gets
   * 401 on any path). Return `false`, `null` or `undefined` to answer 401; anything else is accepted and
   * handed to `authorize` and handlers as `context.user`. `operationId` is undefined for a path that no
   * operation serves (discovery, or a 404).
   */
  authenticate?: (
    token: string | undefined,
    request: { method: string; path: string; operationId: string | undefined },
  ) => unknown;
  /**
   * Decides, after `authenticate` and before the path is matched, whether the user may do what the request
   * asks (`{ verb, resource, subresource, namespace, name, ... }`, read from the path as the apiserver reads
   * it). `true` allows; `false` answers 403 Forbidden in the apiserver's words; a string is the reason
   * added to them. The user's name in the message is `user` itself when it is a string, else its `name`
   * or `username`.
   */
  authorize?: (
    user: unknown,
    attributes: RequestAttributes,
  ) => boolean | string | Promise<boolean | string>;
  /** Largest accepted request body, in bytes (default 3 MiB, the apiserver's limit). */
  maxBodyBytes?: number;
  /** Longest wait for a whole request body, in milliseconds (default 60 s); a slower body gets 408 and the connection is closed. */
  bodyTimeoutMs?: number;
  /**
   * Parses YAML request bodies (`Content-Type: application/yaml`), e.g. `parse` of the `yaml` package.
   * Without it, YAML bodies get 415, which lists the types that are accepted.
   */
  parseYaml?: (text: string) => unknown;
  /**
   * Serves `/api`, `/apis`, their group-versions, `/version` and `/openapi/v2` for the kinds of the routes:
   * pass `discovery` from the output's `discovery.ts` (`--emit ...,discovery`).
   */
  discovery?: DiscoveryDocument;
  /**
   * Table columns by resource (`pods`, `deployments.apps`: the resource, then its group when it has one) for
   * gets and lists asked for as a Table (`kubectl get`); a resource without columns gets the apiserver's
   * default, Name and Created At.
   */
  tables?: Readonly<Record<string, readonly TableColumn[]>>;
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
  end(body: string | Uint8Array): unknown;
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
      // fetch keeps the host in the URL, not in the headers.
      header: (name) =>
        request.headers.get(name) ?? (name.toLowerCase() === "host" ? url.host : undefined),
      hasBody: request.body !== null,
      readBody: (limit, timeoutMs) =>
        readChunks(
          request.body ? streamChunks(request.body) : [],
          limit,
          request.headers.get("content-length"),
          timeoutMs,
        ),
    });
    const body = answer.body;
    // A copy: TypeScript 5.7+ takes only an ArrayBuffer-backed view as a body.
    return new Response(
      body.length === 0 ? null : typeof body === "string" ? body : new Uint8Array(body),
      {
        status: answer.status,
        headers: answer.headers,
      },
    );
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
    return checkedAnswer(await serve(table, router, handlers, options, request));
  } catch {
    // Never show a stack or a message from the handler to the client.
    return internalError();
  }
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

/**
 * A request as the checks, the hooks and the handlers see it, built once: its method in upper case, its
 * query, bearer token, what it is about (read from the path as the apiserver reads it), and how errors are
 * written for it.
 */
interface ServerRequest extends IncomingRequest {
  query: URLSearchParams;
  token: string | undefined;
  attributes: RequestAttributes;
  /** An error answer in the form the client accepts. */
  fail(reply: Reply): Answer;
}

/**
 * kube-apiserver's order: authentication (401 on any path), authorization (403), then the path: discovery,
 * an operation, or 404/405.
 */
async function serve(
  table: RouteTable,
  router: Router,
  handlers: object,
  options: RouteOptions,
  incoming: IncomingRequest,
): Promise<Answer> {
  const method = incoming.method.toUpperCase();
  const query = new URLSearchParams(incoming.search);
  const request: ServerRequest = {
    ...incoming,
    method,
    query,
    token: bearerToken(incoming.header(table.authHeader)),
    attributes: requestAttributes(method, incoming.path, query),
    fail: (reply) =>
      encodeError(
        reply,
        incoming.header("accept"),
        query.get("pretty"),
        incoming.header("user-agent"),
      ),
  };
  const match = router.match(method, request.path);
  let user: unknown;
  if (options.authenticate) {
    const operationId = match && "route" in match ? match.route.operation.operationId : undefined;
    user = await options.authenticate(request.token, { method, path: request.path, operationId });
    if (user === false || user === null || user === undefined)
      return request.fail(statusReply(statusObject(401, "Unauthorized", "Unauthorized")));
  }
  if (options.authorize) {
    const decision = await options.authorize(user, request.attributes);
    if (decision !== true) {
      const name = userName(user, options.authenticate !== undefined);
      const reason = typeof decision === "string" ? decision : "";
      return request.fail(statusReply(forbidden(request.attributes, name, reason)));
    }
  }
  if (options.discovery && method === "GET") {
    const served = options.discovery.serve(table, options.discovery, request);
    if (served) return served;
  }
  if (!match)
    return request.fail(
      statusReply(
        statusObject(404, "NotFound", "the server could not find the requested resource"),
      ),
    );
  if ("allowed" in match) {
    const allow = match.allowed.join(", ");
    return request.fail(
      statusReply(
        statusObject(
          405,
          "MethodNotAllowed",
          `the server does not allow this method on the requested resource (allowed: ${allow})`,
        ),
        { allow },
      ),
    );
  }
  return serveOperation(table, match.route, match.raw, handlers, options, request, user);
}

async function serveOperation(
  table: RouteTable,
  r: CompiledRoute,
  raw: readonly string[],
  handlers: object,
  options: RouteOptions,
  request: ServerRequest,
  user: unknown,
): Promise<Answer> {
  const operation = r.operation;
  const query = parseQuery(request.search, querySpecs(table, r));
  if (typeof query === "string")
    return request.fail(statusReply(statusObject(400, "BadRequest", query)));
  const params = parsePathParams(r, raw);
  if ("error" in params) return request.fail(statusReply(params.error));
  const readsObjects = operation.action === "get" || operation.action === "list";
  const output = negotiateOutput(
    request.header("accept"),
    { table: readsObjects },
    request.query.get("pretty"),
    request.header("user-agent"),
  );
  if ("error" in output)
    return encode(statusReply(output.error), { type: "application/json", pretty: false });
  const input: { params: Record<string, string>; query: Record<string, unknown>; body?: unknown } =
    { params: params.values, query };
  const body = operation.body;
  const warnings: string[] = [];
  // An optional body left out (a DELETE without DeleteOptions, as curl and the client send it) is no body.
  if (body && (body.required || request.hasBody)) {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    const checked = await checkedBody(
      table,
      r,
      params.values,
      query["fieldValidation"],
      request.header("content-type"),
      () => request.readBody(limit, timeoutMs),
      { limit, timeoutMs, ...(options.parseYaml ? { parseYaml: options.parseYaml } : {}) },
    );
    if ("error" in checked) return request.fail(statusReply(checked.error, checked.headers));
    warnings.push(...checked.warnings);
    input.body = checked.value;
  }
  const context: HandlerContext = {
    token: request.token,
    user,
    attributes: request.attributes,
    header: (name) => request.header(name),
    warnings,
  };
  const handler = (handlers as Record<string, unknown>)[r.name];
  // An operation named like an Object.prototype method (`toString`) must not reach that method.
  if (
    typeof handler !== "function" ||
    handler === (Object.prototype as Record<string, unknown>)[r.name]
  )
    return request.fail(
      statusReply(statusObject(501, "NotImplemented", `${r.name} is not implemented`)),
    );
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
  const status = result.status ?? operation.status;
  // A handler that chose its own media type answers in it, as JSON text.
  if (extra["content-type"] !== undefined)
    return { status, headers: extra, body: JSON.stringify(result.body) ?? "" };
  let value = result.body;
  if (output.table && status >= 200 && status < 300 && !isStatus(value)) {
    const group = resourcePath(operation.path)?.group;
    const key = group ? `${r.resource}.${group}` : r.resource;
    const columns =
      (Object.hasOwn(options.tables ?? {}, key) ? options.tables![key] : undefined) ??
      defaultColumns(table.columnText);
    const kind = r.kind;
    const typeMeta = {
      kind: kind.kind,
      apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
    };
    const converted = asTable(
      value,
      columns,
      output.table,
      request.query.get("includeObject"),
      typeMeta,
    );
    if ("error" in converted) return request.fail(statusReply(converted.error));
    value = converted;
  }
  return encode({ status, headers: extra, value }, output);
}

/** The name `forbidden` puts in its message: a string user, or its `name` or `username`. */
function userName(user: unknown, authenticated: boolean): string {
  if (typeof user === "string") return user;
  if (typeof user === "object" && user !== null) {
    const { name, username } = user as { name?: unknown; username?: unknown };
    if (typeof name === "string") return name;
    if (typeof username === "string") return username;
  }
  return authenticated ? "" : "system:anonymous";
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
