import { GenBindingError } from "./errors.js";
import { type FetchBytes, type LoadedDocument, loadDocument } from "./load.js";
import { type GroupVersionKind, type KindQuery, compareGroupVersions, formatGvk, sameGvk } from "./gvk.js";
import { isOpenApi3Index } from "./openapi3.js";
import { trimTrailingSlashes } from "./runtime/client.js";
import { listKinds } from "./select.js";

/** One group-version document a cluster lists at `/openapi/v3`. */
export interface IndexEntry {
  /** `api/v1`, `apis/apps/v1`: the key of the index. */
  path: string;
  group: string;
  version: string;
  /** Where to fetch it: the server plus its `serverRelativeURL` (with the `?hash=` that names its content). */
  url: string;
}

/** At most this many documents are fetched at once. */
const PARALLEL_FETCHES = 6;

/**
 * The group-version documents of a cluster's `/openapi/v3` index (`{"paths": {"api/v1": {"serverRelativeURL":
 * "/openapi/v3/api/v1?hash=..."}}}`), sorted in the order an unqualified kind is looked for: `api/v1` first
 * (the core group wins, as for a Swagger 2.0 document), then the groups by name, each one's versions
 * preferred first (GA, beta, alpha). Entries that are no group-version (`apis`, `version`, `logs`, ...) are
 * left out. Undefined when `value` is not such an index.
 */
export function readIndex(value: unknown, indexUrl: string): IndexEntry[] | undefined {
  if (!isOpenApi3Index(value)) return undefined;
  const server = trimTrailingSlashes(indexUrl.replace(/[?#].*$/, "")).replace(/\/openapi\/v3$/, "");
  const entries: IndexEntry[] = [];
  for (const [path, entry] of Object.entries(value.paths)) {
    const match = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!match) continue;
    const relative = (entry as { serverRelativeURL: string }).serverRelativeURL;
    if (!relative.startsWith("/") || relative.startsWith("//")) {
      throw new GenBindingError(`${indexUrl}: #/paths/${path}/serverRelativeURL is ${JSON.stringify(relative)}, not a path on the server`);
    }
    entries.push({ path, group: match[2] ?? "", version: match[1] ?? match[3]!, url: server + relative });
  }
  return entries.sort(compareGroupVersions);
}

/** What a cluster gave for the requested kinds. */
export interface ClusterDocuments {
  /** The documents the kinds need, in index order. */
  documents: LoadedDocument[];
  /** The kinds as found (`group/version/Kind` for each query; `*` stays `*`). */
  queries: KindQuery[];
}

/**
 * Fetches only the documents the kinds need, in parallel (at most {@link PARALLEL_FETCHES} at once), each
 * at most once:
 *
 * - `group/version/Kind` (and `v1/Kind`, the core group): that group-version's document; an index without
 *   it is an error that names it;
 * - `Kind`: the first document in index order ({@link readIndex}) whose own group-version has the kind;
 * - `*`: every document.
 *
 * A kind that no document of its own group-version defines is served only as a subresource of other
 * groups' resources (`autoscaling/v1` `Scale`, `policy/v1` `Eviction`): then every document is fetched, and
 * those that define the kind are kept (a document carries the definitions its operations use), so its
 * operations are all there, as in the single Swagger 2.0 document.
 */
export async function loadClusterDocuments(indexUrl: string, index: readonly IndexEntry[], queries: readonly KindQuery[], fetchBytes: FetchBytes): Promise<ClusterDocuments> {
  const fetchOne = limitParallel(PARALLEL_FETCHES, fetchBytes);
  const cache = new Map<string, Promise<LoadedDocument>>();
  const load = (entry: IndexEntry): Promise<LoadedDocument> => {
    let loaded = cache.get(entry.path);
    if (!loaded) {
      loaded = loadDocument(entry.url, undefined, fetchOne);
      // A document fetched ahead of need and never awaited must not end the process when it fails.
      loaded.catch(() => undefined);
      cache.set(entry.path, loaded);
    }
    return loaded;
  };
  const loadAll = () => Promise.all(index.map(load));
  if (queries.some((q) => q.kind === "*" && q.group === undefined && q.version === undefined)) return { documents: await loadAll(), queries: [...queries] };

  const found = await Promise.all(
    queries.map(async (query): Promise<{ gvk: GroupVersionKind; entries: IndexEntry[] }> => {
      const own = query.group !== undefined && query.version !== undefined ? [ownEntry(indexUrl, index, query as Required<KindQuery>)] : index;
      const entry = await firstInOrder(own, load, (e, doc) => definesKind(doc, { group: e.group, version: e.version, kind: query.kind }));
      if (entry) return { gvk: { group: entry.group, version: entry.version, kind: query.kind }, entries: [entry] };
      // No group-version defines the kind as its own: it lives as a subresource of others, or nowhere.
      const documents = await loadAll();
      const gvk = query.group !== undefined && query.version !== undefined ? (query as GroupVersionKind) : preferredKind(documents, query.kind);
      const entries = gvk ? index.filter((_e, i) => definesKind(documents[i]!, gvk)) : [];
      if (!gvk || entries.length === 0) {
        // Every document, so that the selector names the closest kinds.
        return { gvk: { group: query.group ?? "", version: query.version ?? "", kind: query.kind }, entries: [...index] };
      }
      return { gvk, entries };
    }),
  );
  const needed = index.filter((entry) => found.some((f) => f.entries.includes(entry)));
  const documents = await Promise.all(needed.map(load));
  const resolved = found.map(({ gvk }, i) => (gvk.version === "" ? queries[i]! : gvk));
  return { documents, queries: resolved };
}

function ownEntry(indexUrl: string, index: readonly IndexEntry[], query: Required<KindQuery>): IndexEntry {
  const entry = index.find((e) => e.group === query.group && e.version === query.version);
  if (entry) return entry;
  const path = query.group === "" ? `api/${query.version}` : `apis/${query.group}/${query.version}`;
  const sameGroup = index.filter((e) => e.group === query.group).map((e) => e.path);
  const serves = sameGroup.length ? `of that group it serves ${sameGroup.join(", ")}` : `it serves no version of ${query.group === "" ? "the core group" : `the group ${query.group}`}`;
  throw new GenBindingError(`${indexUrl} lists no ${path} document, which kind ${formatGvk(query)} needs (${serves})`);
}

/**
 * The first entry, in order, whose document passes `test`. The first is fetched alone (for an unqualified
 * kind it is `api/v1`, where the kinds of a scheduler are); after it, a few are fetched ahead, in parallel.
 */
async function firstInOrder(entries: readonly IndexEntry[], load: (e: IndexEntry) => Promise<LoadedDocument>, test: (e: IndexEntry, doc: LoadedDocument) => boolean): Promise<IndexEntry | undefined> {
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) for (const ahead of entries.slice(i + 1, i + PARALLEL_FETCHES)) void load(ahead);
    const entry = entries[i]!;
    if (test(entry, await load(entry))) return entry;
  }
  return undefined;
}

const kindLists = new WeakMap<LoadedDocument, GroupVersionKind[]>();

/** The kinds a document defines, listed once per document. */
function kindsOf(doc: LoadedDocument): GroupVersionKind[] {
  let kinds = kindLists.get(doc);
  if (!kinds) kindLists.set(doc, (kinds = listKinds(doc.document)));
  return kinds;
}

function definesKind(doc: LoadedDocument, gvk: GroupVersionKind): boolean {
  return kindsOf(doc).some((k) => sameGvk(k, gvk));
}

/** Among every document's kinds of that name, the one a Swagger 2.0 document would give: core, then by group, then preferred version. */
function preferredKind(documents: readonly LoadedDocument[], kind: string): GroupVersionKind | undefined {
  const candidates = documents.flatMap(kindsOf).filter((gvk) => gvk.kind === kind);
  return candidates.sort(compareGroupVersions)[0];
}

/** `fetchBytes` with at most `limit` calls under way at once; the others wait their turn, in order. */
function limitParallel(limit: number, fetchBytes: FetchBytes): FetchBytes {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (url) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fetchBytes(url);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
