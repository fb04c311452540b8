// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/table.ts), never in an output: the next run would put it back.

/**
 * The shape of the tables that generated code hands to the runtime: what varies with the kinds of an
 * output is data of these types (operations.ts), the code that reads it is the same for every output.
 */

/** How the apiserver validates object names of a kind (most kinds: a DNS-1123 subdomain). */
export type NameRule = "subdomain" | "label" | "label1035" | "segment";

/** One kind of the output. */
export interface KindSpec {
  /** `""` for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The model type of its objects (`Binding`), as validation shapes name it. */
  type: string;
  names: NameRule;
}

/** A query parameter's type: what the routes accept and how the client writes it. */
export interface QueryParamSpec {
  type: "string" | "boolean" | "integer" | "number";
  /** The only values allowed, when Kubernetes restricts them (`dryRun: All`). */
  enum?: readonly string[];
}

/**
 * A query parameter of an operation: its wire name, when the table's `query` describes it as this operation
 * takes it; otherwise an entry that says how it differs.
 */
export type QueryParamRef = string | QueryParamEntry;

export interface QueryParamEntry {
  /** The wire name. */
  name: string;
  /** Its key in the client's params, when that is not the wire name (`pathQuery` beside a `{path}`). */
  key?: string;
  /** Its type for this operation, when it differs from the table's `query` entry. */
  spec?: QueryParamSpec;
}

/** The four ways the apiserver applies a PATCH body, each with its media type (client and routes alike). */
export const PATCH_MEDIA_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  "strategic-merge": "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export type PatchType = keyof typeof PATCH_MEDIA_TYPES;

/** One operation: the request the client sends and the routes accept. */
export interface OperationSpec {
  method: string;
  /** Path template: `/api/v1/namespaces/{namespace}/pods/{name}/binding`. */
  path: string;
  operationId: string;
  /** `x-kubernetes-action`: post, get, list, put, patch, delete, deletecollection, watch, watchlist, connect. */
  action: string;
  /** Index into {@link ApiTable.kinds}. */
  kind: number;
  query: readonly QueryParamRef[];
  body?: {
    /** The model type of the body (`Binding`), or `unknown`. */
    type: string;
    required: boolean;
    /** Media types the body may be sent as (patch types), first the default; absent: JSON only. */
    contentTypes?: readonly string[];
  };
  /** The status a handler answers with when it sets none (201 for creates). */
  status: number;
  /**
   * How a success answer is read, when it is not JSON: `text` (pod logs: `text/plain`), or `watch` (a watch
   * operation: the list's path with `watch=true`, answered by JSON watch events, one per line).
   */
  answer?: "text" | "watch";
}

/** Everything an output's client and routes know about its API. */
export interface ApiTable {
  kinds: readonly KindSpec[];
  /** Query parameters by wire name. */
  query: Readonly<Record<string, QueryParamSpec>>;
  /** Operations by the name the client and the handlers use. */
  operations: Readonly<Record<string, OperationSpec>>;
  /** The header that carries the bearer token (Kubernetes: `authorization`). */
  authHeader: string;
}

/** The `apiVersion` of objects of a group and version: `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** A query parameter of an operation, resolved: wire name, key in the client's params, and type. */
export function queryParam(
  ref: QueryParamRef,
  table: Pick<ApiTable, "query">,
): { wire: string; key: string; spec: QueryParamSpec } {
  const wire = typeof ref === "string" ? ref : ref.name;
  const key = typeof ref === "string" ? ref : (ref.key ?? ref.name);
  const own = typeof ref === "string" ? undefined : ref.spec;
  return {
    wire,
    key,
    spec: own ?? (Object.hasOwn(table.query, wire) ? table.query[wire]! : { type: "string" }),
  };
}

/** `GET /version`: kube-apiserver's version.Info. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/**
 * What an output's `discovery.ts` hands to the routes' `discovery` option: the selected slice of the document
 * (`GET /openapi/v2`), the version, and the code that serves discovery (runtime/discovery.ts), which comes
 * with it so that routes without discovery carry none of that code.
 */
export interface DiscoveryDocument {
  /** The selected kinds and operations as a Swagger 2.0 document. */
  openapi: unknown;
  version: VersionInfo;
  /** Answers a discovery path for the kinds of `table`; undefined for any other path. */
  serve(
    table: ApiTable,
    document: DiscoveryDocument,
    request: { path: string; query: URLSearchParams; header(name: string): string | undefined },
  ): { status: number; headers: Record<string, string>; body: string | Uint8Array } | undefined;
}
