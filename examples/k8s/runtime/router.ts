// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/router.ts), never in an output: the next run would put it back.
import type { ApiTable, KindSpec, OperationSpec } from "./table.js";

/** An operation ready to be matched: its table entry, its kind and the names of its path parameters. */
export interface CompiledRoute {
  name: string;
  operation: OperationSpec;
  kind: KindSpec;
  /** Path parameter names in the order they appear. */
  pathParams: string[];
  /** The resource `{name}` names (`pods`), for NotFound answers. */
  resource: string;
}

/**
 * A path's route for the method, with the raw (still percent-encoded) parameter values, and the watch
 * operation of the same path when the route is a list that has one (served for `watch=true`); or the
 * methods the path allows.
 */
export type RouteMatch =
  { route: CompiledRoute; raw: string[]; watch?: CompiledRoute } | { allowed: string[] };

export interface Router {
  /** undefined when no route has this path. */
  match(method: string, path: string): RouteMatch | undefined;
}

interface TrieNode {
  literal: Map<string, TrieNode>;
  /** Segments with placeholders: `{name}` (any non-empty segment) or mixed text such as `{name}.json`. */
  patterns: Array<{ pattern: RegExp; node: TrieNode }>;
  routes: Array<{ route: CompiledRoute; literals: number }>;
}

const newNode = (): TrieNode => ({
  literal: new Map(),
  patterns: [] as TrieNode["patterns"],
  routes: [],
});

/**
 * Compiles the table's paths into a tree of segments, so a request is matched in time proportional to its
 * segments, whatever the number of routes. Literal segments win over placeholders when both match.
 */
export function createRouter(table: Pick<ApiTable, "kinds" | "operations">): Router {
  const root = newNode();
  for (const name of Object.keys(table.operations)) {
    const operation = table.operations[name]!;
    const kind = table.kinds[operation.kind];
    if (!kind)
      throw new Error(
        `operation ${name} names kind ${operation.kind}, which the table does not have`,
      );
    const route: CompiledRoute = {
      name,
      operation,
      kind,
      pathParams: [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      resource: resourceOf(operation.path),
    };
    let node = root;
    let literals = 0;
    for (const segment of operation.path.split("/")) {
      if (!segment.includes("{")) {
        literals++;
        node = getOrAdd(node.literal, segment);
        continue;
      }
      const source = `^${segment
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join("([^/]+)")}$`;
      let entry = node.patterns.find((p) => p.pattern.source === source);
      if (!entry) node.patterns.push((entry = { pattern: new RegExp(source), node: newNode() }));
      node = entry.node;
    }
    node.routes.push({ route, literals });
  }
  return {
    match(method, path) {
      const found: Found[] = [];
      collect(root, path.split("/"), 0, [], found);
      if (found.length === 0) return undefined;
      const upper = method.toUpperCase();
      // The route with the most literal segments, the first found among equals; a list before its watch.
      let best: Found | undefined;
      let bestAny: Found | undefined;
      for (const f of found) {
        if (f.route.operation.method !== upper) continue;
        if (!bestAny || f.literals > bestAny.literals) bestAny = f;
        if (!isWatch(f.route) && (!best || f.literals > best.literals)) best = f;
      }
      best ??= bestAny;
      if (best) {
        // A list and its watch share a path: the list is the route, the watch goes with it.
        let watch: Found | undefined;
        for (const f of found) {
          if (
            f.route.operation.method === upper &&
            isWatch(f.route) &&
            f.route.operation.path === best.route.operation.path &&
            (!watch || f.literals > watch.literals)
          )
            watch = f;
        }
        return watch && watch !== best
          ? { route: best.route, raw: best.raw, watch: watch.route }
          : { route: best.route, raw: best.raw };
      }
      return { allowed: [...new Set(found.map((f) => f.route.operation.method))] };
    },
  };
}

interface Found {
  route: CompiledRoute;
  literals: number;
  raw: string[];
}

function isWatch(r: CompiledRoute): boolean {
  return r.operation.answer === "watch";
}

function collect(
  node: TrieNode,
  segments: string[],
  at: number,
  raw: string[],
  found: Found[],
): void {
  if (at === segments.length) {
    for (const entry of node.routes)
      found.push({ route: entry.route, literals: entry.literals, raw });
    return;
  }
  const segment = segments[at]!;
  const literal = node.literal.get(segment);
  if (literal) collect(literal, segments, at + 1, raw, found);
  for (const { pattern, node: next } of node.patterns) {
    const match = pattern.exec(segment);
    if (match) {
      const values = raw.slice();
      for (let group = 1; group < match.length; group++) values.push(match[group]!);
      collect(next, segments, at + 1, values, found);
    }
  }
}

function getOrAdd(map: Map<string, TrieNode>, key: string): TrieNode {
  let node = map.get(key);
  if (!node) map.set(key, (node = newNode()));
  return node;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `/api/v1/namespaces/{namespace}/pods/{name}/binding` -> `pods`: the resource `{name}` names. */
export function resourceOf(path: string): string {
  const segments = path.split("/");
  const index = segments.indexOf("{name}");
  return index > 0
    ? segments[index - 1]!
    : (segments.filter((s) => s && !s.startsWith("{")).at(-1) ?? "");
}
