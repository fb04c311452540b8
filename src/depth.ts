import { GenBindingError, jsonPointer } from "./errors.js";

/**
 * Deepest nesting accepted. Kubernetes documents nest 7 levels (schemas recurse through `$ref`, not
 * inline); the stages after loading recurse over schemas, and a hostile document must not overflow the stack.
 */
export const MAX_DOCUMENT_DEPTH = 200;

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/**
 * The path of the first value nested deeper than `limit`, found without recursion (the input may be
 * hostile) and without copying paths (it runs over whole documents).
 */
export function findTooDeep(root: unknown, limit: number): Array<string | number> | undefined {
  if (typeof root !== "object" || root === null) return undefined;
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: "" }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > limit) {
      const path: Array<string | number> = [];
      for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.unshift(f.key);
      return path;
    }
    const isArray = Array.isArray(frame.value);
    for (const key in frame.value) {
      const child = (frame.value as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key: isArray ? Number(key) : key });
    }
  }
  return undefined;
}

/** Refuses a value nested deeper than {@link MAX_DOCUMENT_DEPTH}, naming where (`at` is its pointer). */
export function checkDepth(value: unknown, at: ReadonlyArray<string | number>, origin: string): void {
  const tooDeep = findTooDeep(value, MAX_DOCUMENT_DEPTH - at.length);
  if (tooDeep) {
    const path = [...at, ...tooDeep].slice(0, 8);
    throw new GenBindingError(`${origin}: ${jsonPointer(path)}/... is nested more than ${MAX_DOCUMENT_DEPTH} levels deep; an API document is not`);
  }
}
