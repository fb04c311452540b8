import { GenBindingError } from "./errors.js";
import { compareVersions } from "./runtime/versions.js";

/** A Kubernetes group/version/kind. The core group is the empty string. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `core/v1/Binding`, `rbac.authorization.k8s.io/v1/RoleBinding`: how gen-binding prints a GVK. */
export function formatGvk(gvk: GroupVersionKind): string {
  return `${gvk.group || "core"}/${gvk.version}/${gvk.kind}`;
}

export { apiVersionOf } from "./runtime/table.js";

/** What `--kind` asked for; absent parts match anything (the best match is chosen later). */
export interface KindQuery {
  group?: string;
  version?: string;
  kind: string;
}

/**
 * Parses `--kind`: `Binding`, `v1/Binding` (apiVersion/kind, so the core group), `core/v1/Binding`,
 * `rbac.authorization.k8s.io/v1/RoleBinding`, or `*` for every kind. Returns undefined when the text has more
 * parts than that.
 */
export function parseKindQuery(text: string): KindQuery | undefined {
  if (text.trim() === "*") return { kind: "*" };
  const parts = text.split("/");
  if (parts.some((p) => p.trim() === "")) return undefined;
  if (parts.length === 1) return { kind: parts[0]! };
  if (parts.length === 2) return { group: "", version: parts[0]!, kind: parts[1]! };
  if (parts.length === 3) return { group: parts[0] === "core" ? "" : parts[0]!, version: parts[1]!, kind: parts[2]! };
  return undefined;
}

/**
 * The order in which a kind's group-versions are preferred: the core group first, then groups by name, then
 * versions as the apiserver prefers them (see compareVersions).
 */
export function compareGroupVersions(a: { group: string; version: string }, b: { group: string; version: string }): number {
  return Number(b.group === "") - Number(a.group === "") || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) || compareVersions(a.version, b.version);
}

/**
 * True when `gvk` satisfies every part the query names; with `ignoreCase`, in any case (`pod` for `Pod`,
 * which the selector accepts when no kind has the exact name).
 */
export function matchesQuery(gvk: GroupVersionKind, query: KindQuery, options: { ignoreCase?: boolean } = {}): boolean {
  const same = options.ignoreCase ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b;
  return same(gvk.kind, query.kind) && (query.group === undefined || same(gvk.group, query.group)) && (query.version === undefined || same(gvk.version, query.version));
}

/** Reads an `x-kubernetes-group-version-kind` value (an object or an array of them) defensively. */
export function readGvkExtension(value: unknown): GroupVersionKind[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const result: GroupVersionKind[] = [];
  for (const item of items) {
    if (typeof item !== "object" || item === null) continue;
    const { group, version, kind } = item as Record<string, unknown>;
    if (typeof group === "string" && typeof version === "string" && typeof kind === "string") result.push({ group, version, kind });
  }
  return result;
}

/** True when both name the same group, version and kind. */
export function sameGvk(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/**
 * The kinds of `--kind` values: each value may list several, comma-separated (`Binding,Pod,Node`); blanks
 * around commas are ignored. Throws a message naming the first value that is not a kind.
 */
export function parseKindQueries(values: readonly string[]): KindQuery[] {
  const queries: KindQuery[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const query = parseKindQuery(part.trim());
      if (!query) throw new GenBindingError(`--kind ${JSON.stringify(part.trim())} is not a kind: use Kind, version/Kind, group/version/Kind or *`);
      queries.push(query);
    }
  }
  return queries;
}
