import type { GroupVersionKind } from "./gvk.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Words that cannot name a type, or would shadow a global that the emitted code itself uses; `__proto__`
 * as a key of an object literal sets the prototype instead of a property.
 */
const RESERVED_TYPE_NAMES = new Set(
  (
    "any bigint boolean break case catch class const continue debugger declare default delete do else enum export extends false " +
    "finally for function if implements import in infer instanceof interface is keyof let module namespace never new null number " +
    "object package private protected public readonly require return satisfies static string super switch symbol this throw true " +
    "try type typeof undefined unique unknown var void while with yield Array ArrayBuffer Boolean Date Error Function Headers " +
    "JSON Map Number Object Partial Promise Readonly ReadonlyArray Record Request RequestInit Required Response Set String " +
    "Symbol TextDecoder TextEncoder Uint8Array URL URLSearchParams __proto__"
  ).split(" "),
);

/** True when `name` can be written as a bare identifier (property key or binding). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED_TYPE_NAMES.has(name);
}

/** `rbac.authorization.k8s.io` -> `RbacAuthorization`, `v1beta1` -> `V1beta1`, `x-foo bar` -> `XFooBar`. */
export function pascalCase(text: string): string {
  return text
    .replace(/\.k8s\.io$/, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** Makes any text a safe identifier: invalid characters dropped, a leading digit or reserved word prefixed. */
export function toIdentifier(text: string, prefix = "_"): string {
  let name = text.replace(/[^A-Za-z0-9_$]/g, "");
  if (name === "" || /^[0-9]/.test(name) || RESERVED_TYPE_NAMES.has(name)) name = prefix + name;
  return name;
}

/**
 * Readable type names for definitions: the last dotted segment (`io.k8s.api.core.v1.Binding` -> `Binding`).
 * When two definitions in the output share it, each gets the segments before it as a prefix, as many as
 * it takes to tell them apart (`CoreV1Event`, `EventsV1Event`); the result is the same for the same input.
 * Names in `taken` (the emitted code's own exports) are never handed out.
 */
export function assignTypeNames(definitionNames: readonly string[], taken: ReadonlySet<string> = new Set()): Map<string, string> {
  const result = new Map<string, string>();
  const segmentsOf = (name: string) => name.split(".").filter(Boolean);
  const candidate = (name: string, depth: number) => {
    const segments = segmentsOf(name);
    const last = segments[segments.length - 1] ?? name;
    const prefix = segments.slice(Math.max(0, segments.length - 1 - depth), segments.length - 1).map(pascalCase).join("");
    return toIdentifier(prefix + pascalCase(last), "Model");
  };
  const sorted = [...definitionNames].sort();
  for (let depth = 0, pending = sorted; pending.length; depth++) {
    const proposals = new Map<string, string[]>();
    for (const name of pending) {
      const proposal = depth > 8 ? `${candidate(name, depth)}${sorted.indexOf(name)}` : candidate(name, depth);
      proposals.set(proposal, [...(proposals.get(proposal) ?? []), name]);
    }
    const next: string[] = [];
    for (const [proposal, owners] of proposals) {
      const clash = owners.length > 1 || taken.has(proposal) || [...result.values()].includes(proposal);
      if (clash && depth <= 8) next.push(...owners);
      else result.set(owners[0]!, proposal);
    }
    // A prefix only helps when the name has segments left; definitions that cannot grow keep clashing,
    // and the depth limit above gives them an index suffix.
    pending = next.sort();
  }
  return result;
}

/**
 * The group/version an operation's path is served under: `/api/v1/...` is core/v1, `/apis/apps/v1/...` is
 * apps/v1. Kubernetes builds operationIds from it (`readAppsV1NamespacedDeploymentScale` carries the GVK
 * autoscaling/v1 Scale), so it is what the ids contain. Undefined for other paths.
 */
export function groupVersionOfPath(path: string): { group: string; version: string } | undefined {
  const core = /^\/api\/([^/{}]+)(?:\/|$)/.exec(path);
  if (core) return { group: "", version: core[1]! };
  const named = /^\/apis\/([^/{}]+)\/([^/{}]+)(?:\/|$)/.exec(path);
  return named ? { group: named[1]!, version: named[2]! } : undefined;
}

/**
 * The name users know from the official clients: the operationId without its group-version part
 * (`createCoreV1NamespacedBinding` -> `createNamespacedBinding`). IDs that do not contain it are kept.
 */
export function operationName(operationId: string, groupVersion: { group: string; version: string }): string {
  const infix = pascalCase(groupVersion.group || "core") + pascalCase(groupVersion.version);
  const index = operationId.indexOf(infix);
  const stripped = index > 0 ? operationId.slice(0, index) + operationId.slice(index + infix.length) : operationId;
  return identifierOf(stripped);
}

function identifierOf(operationId: string): string {
  const words = operationId.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
  return toIdentifier(camel, "op");
}

/**
 * Names for the operations of one output. Each drops the group-version its path is served under (see
 * {@link operationName}); when that leaves two operations with one name (`listNamespacedEvent` of core/v1
 * and of events.k8s.io/v1), every operation of the clash keeps its whole operationId instead
 * (`listCoreV1NamespacedEvent`, `listEventsV1NamespacedEvent`). Operation ids that are themselves equal get
 * a numeric suffix from the second on. The same operations always get the same names.
 */
export function operationNames(operations: ReadonlyArray<{ operationId: string; path: string; gvk: GroupVersionKind }>): string[] {
  const short = operations.map((op) => operationName(op.operationId, groupVersionOfPath(op.path) ?? op.gvk));
  const uses = new Map<string, number>();
  for (const name of short) uses.set(name, (uses.get(name) ?? 0) + 1);
  return uniqueNames(short.map((name, i) => (uses.get(name)! > 1 ? identifierOf(operations[i]!.operationId) : name)));
}

/**
 * The watch operation of a list: `listNamespacedPod` -> `watchNamespacedPod`, `listCoreV1NamespacedEvent` ->
 * `watchCoreV1NamespacedEvent`. The deprecated `/watch/` operations had these names; their watch functions
 * now serve the list's path with `watch=true`, as kubectl and the official clients watch.
 */
export function watchOperationName(listName: string): string {
  const rest = listName.startsWith("list") ? listName.slice(4) : listName;
  return `watch${rest[0]?.toUpperCase() ?? ""}${rest.slice(1)}`;
}

/** Gives each name a numeric suffix from its second use on, so `a, a, b` becomes `a, a2, b`. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = `${name}${i}`;
    used.add(unique);
    return unique;
  });
}
