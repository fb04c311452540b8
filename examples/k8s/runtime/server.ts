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
import { cappedWarnings } from "./bounds.js";
import { isTrue } from "./query.js";
import {
  type StreamAnswer,
  type StreamTarget,
  isAsyncIterable,
  streamResponse,
  watchStream,
  writeStream,
} from "./watch-answer.js";
import { negotiateOutput, notAcceptable } from "./negotiate.js";
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
import {
  type ApiTable,
  type DiscoveryDocument,
  type QueryParamSpec,
  apiVersionOf,
  queryParam,
} from "./table.js";
import type { Shape } from "./validate.js";

export type { DiscoveryDocument, VersionInfo } from "./table.js";
export type { RequestAttributes } from "./request-info.js";
export type { TableColumn } from "./table-answer.js";
export type { WatchEvent } from "./watch-answer.js";

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
  /**
   * Aborted when the client goes away, or a watch ends (its `timeoutSeconds`): a watch handler parked on
   * an await wakes on it (its iterator's `return()` runs only once that await settles).
   */
  signal: AbortSignal;
}

/** A handler's answer: `status` defaults to 201 for creates and 200 otherwise. */
export interface HandlerResult<T> {
  status?: number;
  body: T;
  /** Extra headers; those that frame the answer (`content-length`, `transfer-encoding`, `connection`, ...) are ignored. */
  headers?: Record<string, string>;
}

/** Options shared by {@link createFetchHandler} and {@link createRequestListener}. */
export interface RouteOptions {
  /**
   * Decides whether a request may proceed, from its bearer token, before anything else (a bad token gets
   * 401 on any path). Return the user to accept the request: it is handed to `authorize` and handlers as
   * `context.user`; any falsy value (`false`, `null`, `undefined`, `""`, `0`, `NaN`) answers 401.
   * `operationId` is undefined for a path that no operation serves (discovery, or a 404); `namespace` and
   * `name` are the decoded values the handler gets (`""` when the path has none), `path` the raw path.
   */
  authenticate?: (
    token: string | undefined,
    request: {
      method: string;
      path: string;
      operationId: string | undefined;
      namespace: string;
      name: string;
    },
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
  /**
   * The apiserver's `--min-request-timeout`, in seconds (default 1800): a watch without `timeoutSeconds`
   * ends after a random time between it and twice it; 0 lets such a watch run until the client goes away.
   */
  minRequestTimeoutSeconds?: number;
}

/** The parts of `node:http`'s IncomingMessage the routes use (no dependency on @types/node). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** The parts of `node:http`'s ServerResponse the routes use (watches need `write` and `once`). */
export interface NodeResponseLike extends StreamTarget {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string | Uint8Array): unknown;
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
    const { path, search, host } = splitTarget(request.url);
    const answer = await dispatch(table, router, handlers, options, {
      method: request.method,
      path,
      search,
      // fetch keeps the host in the URL, not in the headers.
      header: (name) =>
        request.headers.get(name) ?? (name.toLowerCase() === "host" ? host : undefined),
      hasBody: request.body !== null,
      readBody: (limit, timeoutMs) =>
        readChunks(
          request.body ? streamChunks(request.body) : [],
          limit,
          request.headers.get("content-length"),
          timeoutMs,
        ),
      signal: () => request.signal,
    });
    if ("lines" in answer) return streamResponse(answer);
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
    const { path, search } = splitTarget(request.url ?? "/");
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    // Aborted when the connection closes: handlers learn that the client went away.
    const gone = new LazyAbort();
    response.once?.("close", () => gone.abort());
    void dispatch(table, router, handlers, options, {
      method: request.method ?? "GET",
      path,
      search,
      header,
      hasBody: announcesBody(header("content-length"), header("transfer-encoding")),
      readBody: (limit, timeoutMs) =>
        readChunks(request, limit, header("content-length"), timeoutMs),
      signal: () => gone.signal,
    }).then((answer) => {
      // dispatch never rejects, and has checked the status and headers: nothing here can throw.
      response.statusCode = answer.status;
      for (const name of Object.keys(answer.headers))
        response.setHeader(name, answer.headers[name]!);
      if ("lines" in answer)
        void writeStream(answer, response, gone.signal).catch(() => answer.close());
      else response.end(answer.body);
    });
  };
}

/**
 * The path, query and host of a request target as it was sent, for both entry points alike: `/a/b?x`, or
 * an absolute `http://host/a/b?x`. Never resolved as a URL would be: `%2e%2e` stays a segment of its own,
 * which no route matches (a `Request` made with `new Request(url)` has had its dot segments resolved by
 * the URL parser before the routes see it).
 */
function splitTarget(target: string): { path: string; search: string; host: string | undefined } {
  let rest = target;
  let host: string | undefined;
  const origin = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(rest);
  if (origin) {
    host = origin[1]!.slice(origin[1]!.lastIndexOf("@") + 1);
    rest = rest.slice(origin[0].length);
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  const hash = rest.indexOf("#");
  if (hash !== -1) rest = rest.slice(0, hash);
  const query = rest.indexOf("?");
  return query === -1
    ? { path: rest, search: "", host }
    : { path: rest.slice(0, query), search: rest.slice(query), host };
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
  /** A signal aborted when the client goes away; made only when asked for (see LazyAbort). */
  signal?: () => AbortSignal;
}

const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 60_000;

async function dispatch(
  table: RouteTable,
  router: Router,
  handlers: object,
  options: RouteOptions,
  request: IncomingRequest,
): Promise<Answer | StreamAnswer> {
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
function checkedAnswer<A extends Answer | StreamAnswer>(result: A): A | Answer {
  let headersOk = true;
  for (const name of Object.keys(result.headers)) {
    const value = result.headers[name];
    if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_VALUE.test(value)) {
      headersOk = false;
      break;
    }
  }
  if (!(
    Number.isInteger(result.status) &&
    result.status >= 200 &&
    result.status <= 599 &&
    headersOk
  )) {
    if ("lines" in result) result.close();
    return internalError();
  }
  // These statuses carry no body: fetch's Response refuses one.
  return [204, 205, 304].includes(result.status) && !("lines" in result)
    ? { ...result, body: "" }
    : result;
}

/**
 * A request as the checks, the hooks and the handlers see it, built once: its method in upper case, its
 * query, bearer token, what it is about (read from the path as the apiserver reads it), and how errors are
 * written for it. A class, not an object literal spread from the incoming request: one shape for every
 * request, and its methods made once, not as closures per request.
 */
class ServerRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly header: (name: string) => string | undefined;
  readonly hasBody: boolean;
  readonly readBody: (limit: number, timeoutMs: number) => Promise<BodyRead>;
  readonly signal: (() => AbortSignal) | undefined;
  readonly token: string | undefined;
  readonly query: URLSearchParams;
  readonly attributes: RequestAttributes;

  constructor(incoming: IncomingRequest, method: string, authHeader: string) {
    this.method = method;
    this.path = incoming.path;
    this.search = incoming.search;
    this.header = incoming.header;
    this.hasBody = incoming.hasBody;
    this.readBody = incoming.readBody;
    this.signal = incoming.signal;
    this.query = new URLSearchParams(incoming.search);
    this.token = bearerToken(incoming.header(authHeader));
    this.attributes = requestAttributes(method, incoming.path, this.query);
  }

  /** An error answer in the form the client accepts. */
  fail(reply: Reply): Answer {
    return encodeError(
      reply,
      this.header("accept"),
      this.query.get("pretty"),
      this.header("user-agent"),
    );
  }
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
): Promise<Answer | StreamAnswer> {
  const method = incoming.method.toUpperCase();
  const request = new ServerRequest(incoming, method, table.authHeader);
  const match = router.match(method, request.path);
  const routed = match && "route" in match ? match : undefined;
  // The path's parameters, decoded and checked once: authenticate, authorize and the handler all see
  // these values (`kube-sy%73tem` is `kube-system` to each of them). A bad one is refused after them.
  const params = routed ? parsePathParams(routed.route, routed.raw) : undefined;
  if (params && "values" in params) {
    for (const key of ["namespace", "name"] as const)
      if (Object.hasOwn(params.values, key)) request.attributes[key] = params.values[key]!;
  }
  let user: unknown;
  if (options.authenticate) {
    user = await options.authenticate(request.token, {
      method,
      path: request.path,
      operationId: routed?.route.operation.operationId,
      namespace: request.attributes.namespace,
      name: request.attributes.name,
    });
    // Only a user passes: every falsy value (false, null, undefined, "", 0, NaN) denies.
    if (!user) return request.fail(statusReply(statusObject(401, "Unauthorized", "Unauthorized")));
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
  // A list and its watch share a path: `watch=true` (or 1, t, ...) asks for the watch.
  const route = match.watch && isTrue(request.query.get("watch")) ? match.watch : match.route;
  return serveOperation(table, route, params!, handlers, options, request, user);
}

async function serveOperation(
  table: RouteTable,
  r: CompiledRoute,
  params: ReturnType<typeof parsePathParams>,
  handlers: object,
  options: RouteOptions,
  request: ServerRequest,
  user: unknown,
): Promise<Answer | StreamAnswer> {
  const operation = r.operation;
  // Most requests have no query: nothing to read.
  const query = request.search === "" ? {} : parseQuery(request.query, querySpecs(table, r));
  if (typeof query === "string")
    return request.fail(statusReply(statusObject(400, "BadRequest", query)));
  if ("error" in params) return request.fail(statusReply(params.error));
  const isWatch = operation.answer === "watch";
  const readsObjects = operation.action === "get" || operation.action === "list" || isWatch;
  const output = negotiateOutput(
    request.header("accept"),
    { table: readsObjects },
    request.query.get("pretty"),
    request.header("user-agent"),
  );
  if ("error" in output)
    return encode(statusReply(output.error), { type: "application/json", pretty: false });
  // A watch streams JSON lines: the apiserver has no YAML stream either.
  if (isWatch && output.type !== "application/json")
    return request.fail(statusReply(notAcceptable(["application/json"])));
  const input: {
    params: Record<string, string>;
    query: Record<string, unknown>;
    body?: unknown;
    patchType?: string;
  } = { params: params.values, query };
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
    for (const warning of checked.warnings) warnings.push(warning);
    input.body = checked.value;
    // A patch's handler learns how to apply it: json, merge, strategic-merge or apply.
    if (checked.patchType) input.patchType = checked.patchType;
  }
  const ended = new LazyAbort(request.signal);
  const context = new RequestContext(request, user, warnings, ended);
  const handler = (handlers as Record<string, unknown>)[r.name];
  // An operation named like an Object.prototype method (`toString`) must not reach that method.
  if (
    typeof handler !== "function" ||
    handler === (Object.prototype as Record<string, unknown>)[r.name]
  )
    return request.fail(
      statusReply(statusObject(501, "NotImplemented", `${r.name} is not implemented`)),
    );
  const returned: unknown = await handler.call(handlers, input, context);
  const toTable = output.table ? tableMaker(table, r, options, output.table, request) : undefined;
  if (isWatch && isAsyncIterable(returned)) {
    const timeoutSeconds = query["timeoutSeconds"];
    const stream = watchStream(
      returned,
      toTable
        ? (object) => {
            const converted = toTable(object);
            return isTableError(converted) ? undefined : converted;
          }
        : (object) => object,
      {
        timeoutMs: typeof timeoutSeconds === "number" ? timeoutSeconds * 1000 : undefined,
        minRequestTimeoutSeconds: options.minRequestTimeoutSeconds,
        onClose: () => ended.abort(),
      },
    );
    if (warnings.length)
      stream.headers["warning"] = cappedWarnings(warnings).map(warningValue).join(", ");
    return stream;
  }
  const result = returned as HandlerResult<unknown>;
  // Header names are case-insensitive: the handler's `Content-Type` replaces the default, and its own
  // `Warning` stays beside the field warnings.
  const extra: Record<string, string> = {};
  const own = result.headers;
  if (own)
    for (const name of Object.keys(own)) {
      const lower = name.toLowerCase();
      // The framing of the answer is the server's: a handler's own Content-Length or Connection would
      // desync a keep-alive connection.
      if (!FRAMING_HEADERS.has(lower)) extra[lower] = own[name]!;
    }
  if (warnings.length)
    extra["warning"] = [
      ...(extra["warning"] === undefined ? [] : [extra["warning"]]),
      ...cappedWarnings(warnings).map(warningValue),
    ].join(", ");
  const status = result.status ?? operation.status;
  // A handler that chose its own media type answers in it, as JSON text.
  if (extra["content-type"] !== undefined)
    return { status, headers: extra, body: JSON.stringify(result.body) ?? "" };
  let value = result.body;
  if (toTable && status >= 200 && status < 300 && !isStatus(value)) {
    const converted = toTable(value);
    if (isTableError(converted)) return request.fail(statusReply(converted.error));
    value = converted;
  }
  return encode({ status, headers: extra, value }, output);
}

/**
 * What turns a get or list answer, or a watch event's object, into a Table with the resource's columns.
 * Everything but the value is the same for every value of one request (every event of a watch): it is
 * worked out once.
 */
function tableMaker(
  table: RouteTable,
  r: CompiledRoute,
  options: RouteOptions,
  version: string,
  request: ServerRequest,
): (value: unknown) => ReturnType<typeof asTable> {
  const group = resourcePath(r.operation.path)?.group;
  const key = group ? `${r.resource}.${group}` : r.resource;
  const columns =
    (Object.hasOwn(options.tables ?? {}, key) ? options.tables![key] : undefined) ??
    defaultColumns(table.columnText);
  const kind = r.kind;
  const typeMeta = {
    kind: kind.kind,
    apiVersion: apiVersionOf(kind),
  };
  const includeObject = request.query.get("includeObject");
  return (value) => asTable(value, columns, version, includeObject, typeMeta);
}

/** True for what {@link asTable} answers when it cannot make the Table. */
function isTableError(
  converted: ReturnType<typeof asTable>,
): converted is { error: Status & { code: number } } {
  return typeof converted === "object" && converted !== null && "error" in converted;
}

/** Headers that say how the answer is framed on the connection: set by the server, never by a handler. */
const FRAMING_HEADERS = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
]);

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

const querySpecsByRoute = new WeakMap<CompiledRoute, Array<readonly [string, QueryParamSpec]>>();

/** The specs of an operation's query parameters, by wire name: looked up once per route. */
function querySpecs(table: RouteTable, r: CompiledRoute): Array<readonly [string, QueryParamSpec]> {
  let specs = querySpecsByRoute.get(r);
  if (!specs) {
    specs = r.operation.query.map((ref) => {
      const { wire, spec } = queryParam(ref, table);
      return [wire, spec] as const;
    });
    querySpecsByRoute.set(r, specs);
  }
  return specs;
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
 * A handler's context. A class: an object literal with a getter (`signal`) is built on V8's slow path,
 * a new shape for every request.
 */
class RequestContext implements HandlerContext {
  readonly token: string | undefined;
  readonly user: unknown;
  readonly attributes: RequestAttributes;
  /** The incoming request's own reader: it needs no `this`, so a handler may pass it on alone. */
  readonly header: (name: string) => string | undefined;
  readonly warnings: string[];
  readonly #ended: LazyAbort;

  constructor(request: ServerRequest, user: unknown, warnings: string[], ended: LazyAbort) {
    this.token = request.token;
    this.user = user;
    this.attributes = request.attributes;
    this.header = request.header;
    this.warnings = warnings;
    this.#ended = ended;
  }

  get signal(): AbortSignal {
    return this.#ended.signal;
  }
}

/**
 * An `AbortSignal` made only when something asks for it, and aborted then if `abort()` came first, or its
 * parent's is. Most requests never ask: an `AbortController` per request, and the `DOMException` of each
 * abort when the connection closes, cost a third of a small request's time.
 */
class LazyAbort {
  readonly #parent: (() => AbortSignal | undefined) | undefined;
  #controller: AbortController | undefined;
  #aborted = false;

  constructor(parent?: () => AbortSignal | undefined) {
    this.#parent = parent;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = (this.#controller = new AbortController());
      const parent = this.#parent?.();
      if (this.#aborted || parent?.aborted) controller.abort();
      else parent?.addEventListener("abort", () => controller.abort(), { once: true });
    }
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}
