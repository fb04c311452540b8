// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/bounds.ts), never in an output: the next run would put it back.

/**
 * How much of what a request body holds an answer may repeat. With these bounds an answer about any body
 * within `maxBodyBytes` stays under 64 KiB: at most {@link MAX_LISTED} problems (causes, unknown or
 * duplicate fields), each field path and value excerpt at most {@link MAX_TEXT_CHARS} characters, and the
 * `Warning` headers within kube-apiserver's own limits.
 */
export const MAX_LISTED = 100;

/** Longest field path, name or value excerpt an answer quotes from a request. */
export const MAX_TEXT_CHARS = 256;

/** A place in a parsed body, linked to the place that holds it: paths are kept without being written. */
export interface Place {
  parent: Place | undefined;
  /** Its key in its parent, or its index. */
  at: string | number;
}

/** `spec.containers[0].name`: the path of `key` inside `place` (the root has no parent), shortened. */
export function fieldPath(place: Place, key: string): string {
  const segments: Array<string | number> = [key];
  for (let p: Place | undefined = place; p?.parent; p = p.parent) segments.push(p.at);
  let path = "";
  for (const segment of segments.reverse())
    path += typeof segment === "number" ? `[${segment}]` : path ? `.${segment}` : segment;
  return shortened(path);
}

/** kube-apiserver's limits on `Warning` headers: 4 KiB of text in all, and 256 characters each once over. */
export const WARNINGS_TOTAL_CHARS = 4 * 1024;
export const WARNING_ITEM_CHARS = 256;

/** Problems found in a body: the first {@link MAX_LISTED}, and how many more were left out. */
export interface Listed<T> {
  items: T[];
  omitted: number;
}

/** An empty {@link Listed}. */
export function listed<T>(): Listed<T> {
  return { items: [], omitted: 0 };
}

/** Adds an item, made only while there is room for it (past the bound, only counted: work stays linear). */
export function note<T>(list: Listed<T>, make: () => T): void {
  if (list.items.length < MAX_LISTED) list.items.push(make());
  else list.omitted++;
}

/**
 * `text` itself, or its beginning and end around `...` when it is longer than `max` characters; a
 * surrogate pair is never cut in two.
 */
export function shortened(text: string, max: number = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 3) / 2);
  let end = head;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  let start = text.length - (max - 3 - head);
  if (isLowSurrogate(text.charCodeAt(start))) start++;
  return `${text.slice(0, end)}...${text.slice(start)}`;
}

/** A name or value from a request as an answer quotes it: JSON (close to Go's %q), shortened when long. */
export function quoted(text: string): string {
  return JSON.stringify(shortened(text));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The first `max` characters (code points) of a text. */
function firstChars(text: string, max: number): string {
  let out = "";
  let count = 0;
  for (const char of text) {
    if (count++ === max) break;
    out += char;
  }
  return out;
}

function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Warning texts as kube-apiserver's recorder keeps them: each text once; all in full while they fit in
 * {@link WARNINGS_TOTAL_CHARS} characters, else each cut to {@link WARNING_ITEM_CHARS} characters and no more
 * added once the total is reached (the one that reaches it is kept).
 */
export function cappedWarnings(texts: Iterable<string>): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  let written = 0;
  let truncating = false;
  for (const text of texts) {
    if (truncating && written >= WARNINGS_TOTAL_CHARS) break;
    if (text === "" || seen.has(text)) continue;
    seen.add(text);
    kept.push(text);
    let length = Math.min(charCount(text), truncating ? WARNING_ITEM_CHARS + 1 : Infinity);
    if (truncating && length > WARNING_ITEM_CHARS) length = WARNING_ITEM_CHARS;
    if (written + length <= WARNINGS_TOTAL_CHARS || truncating) {
      written += length;
      continue;
    }
    // Over the limit: from now on every warning, earlier ones too, is cut to its first 256 characters.
    truncating = true;
    written = kept.reduce((sum, kept) => sum + Math.min(charCount(kept), WARNING_ITEM_CHARS), 0);
  }
  return truncating ? kept.map((text) => firstChars(text, WARNING_ITEM_CHARS)) : kept;
}
