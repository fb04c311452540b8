// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/negotiate.ts), never in an output: the next run would put it back.
import { isTrue } from "./query.js";
import { type Status, statusObject } from "./status.js";

/** A media type as HTTP headers carry it: `application/json;as=Table;v=v1;g=meta.k8s.io;q=0.9`. */
export interface MediaType {
  /** `application/json`, lower case. */
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Parses one media type (no wildcard checks); undefined when it is not `type/subtype` with parameters. */
export function parseMediaType(text: string): MediaType | undefined {
  const [head, ...rest] = text.split(";");
  const type = head!.trim().toLowerCase();
  // `@` is no token character, but kubectl asks for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z@-]+$/.test(type)) return undefined;
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq === -1) {
      if (part.trim() === "") continue;
      return undefined;
    }
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    // defineProperty: a parameter named `__proto__` stays a parameter.
    Object.defineProperty(params, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const q = Object.hasOwn(params, "q") ? Number(params["q"]) : 1;
  return { type, params, q: Number.isFinite(q) ? q : 0 };
}

/**
 * The clauses of an Accept header, best first, as the apiserver orders them: by `q`, then concrete types
 * before `type/*`, before `* /*`. Clauses it cannot parse or with `q=0` are dropped.
 */
export function parseAccept(header: string): MediaType[] {
  const wildness = (m: MediaType) => (m.type === "*/*" ? 2 : m.type.endsWith("/*") ? 1 : 0);
  return header
    .split(",")
    .map((clause) => parseMediaType(clause))
    .filter((m): m is MediaType => m !== undefined && m.q > 0)
    .map((m, index) => ({ m, index }))
    .sort((a, b) => b.m.q - a.m.q || wildness(a.m) - wildness(b.m) || a.index - b.index)
    .map(({ m }) => m);
}

/** The media types the routes answer in, first the default. */
export const ANSWER_TYPES = ["application/json", "application/yaml"] as const;

/** What an answer is written as. */
export interface Output {
  type: "application/json" | "application/yaml";
  pretty: boolean;
  /** Set when the client asked for a `meta.k8s.io` Table of the objects (get and list only). */
  table?: "v1" | "v1beta1";
}

/** What the endpoint can give besides its objects: a Table (get and list), or raw bytes of another type. */
export interface OutputRestrictions {
  table: boolean;
  /** Extra media types the endpoint answers in (the OpenAPI document's protobuf form). */
  extra?: readonly string[];
}

/**
 * The answer's form, negotiated as kube-apiserver's `NegotiateOutputMediaType` does it: no Accept means
 * JSON; otherwise the best clause that names a type we write (`* /*` and `application/*` match JSON), where
 * `as=Table;g=meta.k8s.io;v=v1` (or v1beta1) asks for a Table where the endpoint has one and any other
 * conversion (`as=PartialObjectMetadata`, an aggregated discovery document) makes the clause unusable; none
 * usable is a 406. Pretty JSON: `pretty=1` in the clause, the `pretty` query parameter, or, with neither, a
 * curl, Wget or browser User-Agent (what the apiserver does).
 */
export function negotiateOutput(
  accept: string | undefined,
  restrictions: OutputRestrictions,
  prettyQuery: string | null,
  userAgent: string | undefined,
): (Output & { extra?: string }) | { error: Status & { code: number } } {
  const pretty =
    prettyQuery !== null && prettyQuery !== ""
      ? isTrue(prettyQuery)
      : /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent ?? "");
  if (accept === undefined || accept.trim() === "") return { type: "application/json", pretty };
  for (const clause of parseAccept(accept)) {
    const extra = restrictions.extra?.find((type) => type === clause.type);
    if (extra) return { type: "application/json", pretty, extra };
    const type = ANSWER_TYPES.find(
      (t) => clause.type === t || clause.type === "*/*" || clause.type === "application/*",
    );
    if (!type) continue;
    const clausePretty = clause.params["pretty"] === "1" || pretty;
    const { as, g, v } = clause.params;
    if (as === undefined && g === undefined && v === undefined)
      return { type, pretty: clausePretty };
    if (
      restrictions.table &&
      as === "Table" &&
      g === "meta.k8s.io" &&
      (v === "v1" || v === "v1beta1")
    )
      return { type, pretty: clausePretty, table: v };
  }
  return { error: notAcceptable([...ANSWER_TYPES, ...(restrictions.extra ?? [])]) };
}

/** The apiserver's 406, listing what it answers in. */
export function notAcceptable(types: readonly string[]): Status & { code: number } {
  return statusObject(
    406,
    "NotAcceptable",
    `only the following media types are accepted: ${types.join(", ")}`,
  );
}

/**
 * The media type a request body is decoded as, as kube-apiserver's `NegotiateInputSerializer` picks it:
 * no Content-Type means `fallback` (JSON for creates and updates; patches have none); parameters such as
 * `charset` are ignored. Undefined: a 415, see {@link unsupportedMediaType}.
 */
export function bodyMediaType(
  contentType: string | undefined,
  accepted: readonly string[],
  fallback: string | undefined,
): string | undefined {
  if (contentType === undefined || contentType.trim() === "") return fallback;
  const parsed = parseMediaType(contentType);
  return parsed && accepted.includes(parsed.type) ? parsed.type : undefined;
}

/** The apiserver's 415, listing what it decodes. */
export function unsupportedMediaType(accepted: readonly string[]): Status & { code: number } {
  return statusObject(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );
}
