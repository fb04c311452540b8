// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/json-scan.ts), never in an output: the next run would put it back.

/** Deepest JSON body accepted: the apiserver's decoder limit. */
export const MAX_JSON_DEPTH = 10_000;

/**
 * One pass over JSON text, without recursion: whether it nests deeper than `maxDepth`, and which object keys
 * appear twice (`JSON.parse` keeps the last and says nothing; the apiserver's strict decoding reports them).
 * Tolerates invalid JSON, which `JSON.parse` rejects afterwards.
 */
export function scanJson(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
): { tooDeep: boolean; duplicates: string[] } {
  type Frame = {
    path: string;
    keys: Set<string> | undefined;
    index: number;
    key: string;
    expectKey: boolean;
  };
  const stack: Frame[] = [];
  const duplicates: string[] = [];
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    return top.keys ? (top.path ? `${top.path}.${top.key}` : top.key) : `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === "{" || c === "[") {
      if (stack.length >= maxDepth) return { tooDeep: true, duplicates };
      stack.push({
        path: valuePath(),
        keys: c === "{" ? new Set() : undefined,
        index: 0,
        key: "",
        expectKey: c === "{",
      });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === ":") {
      if (top) top.expectKey = false;
    } else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (top?.keys && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          key = text.slice(i + 1, end);
        }
        if (top.keys.has(key)) duplicates.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        top.key = key;
      }
      i = end;
    }
  }
  return { tooDeep: false, duplicates };
}
