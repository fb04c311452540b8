// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/json-scan.ts), never in an output: the next run would put it back.
import { type Listed, type Place, fieldPath, listed, note } from "./bounds.js";

const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON, QUOTE, BACKSLASH] = [
  ...'{}[],:"\\',
].map((c) => c.charCodeAt(0));

/** The most keys of an object compared one by one for duplicates; past them, a Set holds them. */
const FEW_KEYS = 8;

/** Deepest JSON body accepted: the apiserver's decoder limit. */
export const MAX_JSON_DEPTH = 10_000;

/**
 * One pass over JSON text, without recursion: whether it nests deeper than `maxDepth`, and which object keys
 * appear twice (`JSON.parse` keeps the last and says nothing; the apiserver's strict decoding reports them):
 * the first of them by path (shortened), and how many more. Tolerates invalid JSON, which `JSON.parse`
 * rejects afterwards.
 */
export function scanJson(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
): { tooDeep: boolean; duplicates: Listed<string> } {
  // Paths are written only for the duplicates an answer lists: a frame knows its parent, not its path.
  type Frame = Place & {
    /**
     * An object's keys so far (undefined for an array): one key as itself, a few in an array, a Set past
     * {@link FEW_KEYS} (most objects have a few keys, and a Set costs more to make than they to compare).
     */
    keys: Set<string> | string[] | string | null | undefined;
    index: number;
    key: string;
    expectKey: boolean;
  };
  const stack: Frame[] = [];
  const duplicates = listed<string>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= maxDepth) return { tooDeep: true, duplicates };
      stack.push({
        parent: top,
        at: top === undefined ? "" : top.keys !== undefined ? top.key : top.index,
        keys: c === OPEN_BRACE ? null : undefined,
        index: 0,
        key: "",
        expectKey: c === OPEN_BRACE,
      });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      if (top && top.keys !== undefined) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === COLON) {
      if (top) top.expectKey = false;
    } else if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (let code = text.charCodeAt(end); end < text.length && code !== QUOTE;) {
        if (code === BACKSLASH) {
          escaped = true;
          end += 2;
        } else end++;
        code = text.charCodeAt(end);
      }
      if (top && top.keys !== undefined && top.expectKey) {
        // Without a backslash a key is its text (JSON.parse would give the same, or refuse it, and the
        // text is what an invalid key is read as).
        let key = text.slice(i + 1, end);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            // Invalid JSON: the text as it is; JSON.parse refuses the body afterwards.
          }
        }
        const seen = top.keys;
        if (seen === null) top.keys = key;
        else if (typeof seen === "string") {
          if (seen === key) note(duplicates, () => fieldPath(top, key));
          else top.keys = [seen, key];
        } else if (Array.isArray(seen)) {
          if (seen.includes(key)) note(duplicates, () => fieldPath(top, key));
          else if (seen.push(key) > FEW_KEYS) top.keys = new Set(seen);
        } else if (seen) {
          if (seen.has(key)) note(duplicates, () => fieldPath(top, key));
          else seen.add(key);
        }
        top.key = key;
      }
      i = end;
    }
  }
  return { tooDeep: false, duplicates };
}
