import { isRecord } from "./json.js";

/**
 * Finds a `$ref` cycle that no TypeScript type can express: definitions that are nothing but another
 * definition (`{"$ref": ...}`, or members of a top-level `allOf`/`anyOf`/`oneOf`) all the way round, such
 * as `A = B`, `B = A`. Cycles through properties, items or map values are fine: they become recursive
 * interfaces (`JSONSchemaProps`). Returns the definition names of the cycle, the first repeated at the end.
 * Iterative, so that a hostile chain of a million aliases cannot overflow the stack.
 */
export function findAliasCycle(definitions: Record<string, unknown>, names: readonly string[], refTarget: (ref: string) => string): string[] | undefined {
  const done = new Set<string>();
  for (const start of names) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    const stack: Array<{ name: string; next: string[] }> = [];
    const enter = (name: string) => {
      path.push(name);
      onPath.add(name);
      stack.push({ name, next: directRefs(definitions[name]).map(refTarget).filter((n) => Object.hasOwn(definitions, n)) });
    };
    enter(start);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top.next.shift();
      if (next === undefined) {
        stack.pop();
        path.pop();
        onPath.delete(top.name);
        done.add(top.name);
      } else if (onPath.has(next)) {
        return [...path.slice(path.indexOf(next)), next];
      } else if (!done.has(next)) {
        enter(next);
      }
    }
  }
  return undefined;
}

function directRefs(schema: unknown): string[] {
  if (!isRecord(schema)) return [];
  const members = [schema, ...["allOf", "anyOf", "oneOf"].flatMap((key) => (Array.isArray(schema[key]) ? (schema[key] as unknown[]) : []))];
  return members.flatMap((member) => (isRecord(member) && typeof member["$ref"] === "string" ? [member["$ref"]] : []));
}
