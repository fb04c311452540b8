import { GenBindingError, pointerToken } from "./errors.js";
import { isRecord } from "./json.js";
import type { LoadedDocument, SwaggerDocument } from "./load.js";

type Section = "definitions" | "paths" | "parameters" | "securityDefinitions";

/**
 * One document from several (the group-version documents of a cluster, or several `--spec`): definitions,
 * paths, shared parameters and security schemes of all of them, each once. A name two documents define
 * differently is refused, naming it and both documents: they come from different clusters or releases, and
 * no output could be right for both. `info` and `security` are those of the document whose origin sorts
 * first, so that the order of the documents changes nothing.
 */
export function mergeDocuments(loaded: readonly LoadedDocument[]): SwaggerDocument {
  if (loaded.length === 1) return loaded[0]!.document;
  const first = [...loaded].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0))[0]!.document;
  const merged: SwaggerDocument = { swagger: "2.0", definitions: {}, paths: {} };
  if (first.info) merged.info = first.info;
  if (first.security) merged.security = first.security;
  for (const section of ["definitions", "paths", "parameters", "securityDefinitions"] as const) {
    const entries = new Map<string, { value: unknown; from: LoadedDocument }>();
    for (const doc of loaded) {
      const table = doc.document[section];
      if (!isRecord(table)) continue;
      for (const name of Object.keys(table)) {
        const value = table[name];
        const seen = entries.get(name);
        if (!seen) entries.set(name, { value, from: doc });
        else if (!sameJson(seen.value, value)) throw conflict(section, name, seen.from, doc);
      }
    }
    if (entries.size || section === "definitions" || section === "paths") {
      // fromEntries defines own properties: a definition named `__proto__` stays one.
      merged[section] = Object.fromEntries([...entries].map(([name, entry]) => [name, entry.value]));
    }
  }
  return merged;
}

function conflict(section: Section, name: string, a: LoadedDocument, b: LoadedDocument): GenBindingError {
  const where = (doc: LoadedDocument) => `#/${openApi3Section(section, doc).map(pointerToken).join("/")}/${pointerToken(name)}`;
  const what = section === "paths" ? `path ${name}` : `${where(a)}`;
  return new GenBindingError(`${what} differs between ${a.origin} and ${b.origin}: documents from different clusters or releases cannot make one output (give documents of one cluster, of one release)`);
}

/** Where a section of the lowered document was in the document as written. */
function openApi3Section(section: Section, doc: LoadedDocument): string[] {
  if (doc.openapi === undefined) return [section];
  return { definitions: ["components", "schemas"], paths: ["paths"], parameters: ["components", "parameters"], securityDefinitions: ["components", "securitySchemes"] }[section];
}

/** Deep equality of two JSON values, key order aside; iterative, as the values may be deep. */
function sameJson(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null || Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      stack.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}
