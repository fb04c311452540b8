// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/informer.ts), never in an output: the next run would put it back.
import { ApiError, STATUS_MESSAGE_LIMIT, excerpt } from "./api-error.js";
import type { StreamInit } from "./client.js";
import { sleep } from "./retry.js";
import type { WatchEvent } from "./watch.js";

/** What the cache needs of an object: its name, namespace and resource version. */
export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string } | undefined;
}

/** What the helper needs of a list answer. */
export interface ObjectList<T> {
  metadata?: { resourceVersion?: string } | undefined;
  items: T[];
}

/** The watch parameters the helper sets itself. */
export interface WatchResumeParams {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

/** What {@link listThenWatch} yields: a (re)list done (`SYNCED`), or one change already applied to the cache. */
export type InformerEvent<T> =
  | { type: "SYNCED"; objects: T[] }
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T; key: string };

export interface InformerOptions {
  /** Ends the iteration at once (no error). */
  signal?: AbortSignal;
  /** The `timeoutSeconds` of each watch (default: 300 to 600, at random, as client-go does). */
  watchTimeoutSeconds?: number;
  /** Wait before trying again after a failure, doubled each time in a row (default 500 ms; at most `maxDelayMs`, default 30 000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called with each failure that will be retried (a dropped watch, a 503, a 410 that makes it list again). */
  onRetry?: (error: ApiError) => void;
  /** The `init` of each watch call (`idleTimeoutMs`, headers). */
  watchInit?: StreamInit;
}

/** A cache of the objects a list returns, kept current by watching them. Iterate it to keep it going. */
export interface Informer<T> extends AsyncIterable<InformerEvent<T>> {
  /** The objects by `namespace/name` (by `name` for objects without a namespace). */
  readonly cache: ReadonlyMap<string, T>;
  /** The resource version the cache is at. */
  readonly resourceVersion: string | undefined;
}

type ListCall<T, P> = (params: P, init?: RequestInit) => Promise<{ body: ObjectList<T> }>;
type WatchCall<T, P> = (
  params: P & WatchResumeParams,
  init?: StreamInit,
) => AsyncIterable<WatchEvent<T>>;

/** `namespace/name`, or `name` for an object without a namespace. */
export function objectKey(object: ObjectWithMeta): string {
  const { name = "", namespace } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * List, then watch from the list's resource version: the cache holds what the list gave and every change
 * since. A watch that ends (the server's `timeoutSeconds`) or drops is resumed from the last resource
 * version seen (bookmarks included); a 410 (that version is too old) lists again. Failures worth retrying
 * (no answer, 429, 5xx, a watch `ERROR`) are retried with backoff; others (401, 403, 404, ...) end the
 * iteration with their `ApiError`. `list` and `watch` are the client's functions for the same objects,
 * `params` their shared parameters (`fieldSelector`, `labelSelector`, `namespace`).
 */
export function listThenWatch<T extends ObjectWithMeta, P extends object>(
  list: ListCall<T, P>,
  watch: WatchCall<T, P>,
  params: P,
  options: InformerOptions = {},
): Informer<T> {
  const cache = new Map<string, T>();
  let resourceVersion: string | undefined;
  let started = false;
  const { signal } = options;
  const backoff = (failures: number) =>
    Math.min((options.baseDelayMs ?? 500) * 2 ** (failures - 1), options.maxDelayMs ?? 30_000);
  const retried = async (error: unknown, failures: number) => {
    if (!(error instanceof ApiError) || !isWorthRetrying(error)) throw error;
    options.onRetry?.(error);
    await sleep(error.status === 410 ? 0 : backoff(failures), signal).catch(() => undefined);
  };

  async function* run(): AsyncGenerator<InformerEvent<T>> {
    let failures = 0;
    let listed = false;
    while (!signal?.aborted) {
      try {
        if (!listed) {
          const answer = await list(params, signal ? { signal } : {});
          cache.clear();
          for (const object of answer.body.items) cache.set(objectKey(object), object);
          resourceVersion = answer.body.metadata?.resourceVersion;
          listed = true;
          failures = 0;
          yield { type: "SYNCED", objects: [...cache.values()] };
          continue;
        }
        const timeoutSeconds = options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
        const resume = { ...params, allowWatchBookmarks: true, timeoutSeconds };
        const events = watch(
          resourceVersion === undefined ? resume : { ...resume, resourceVersion },
          {
            ...options.watchInit,
            ...(signal && { signal }),
          },
        );
        let quiet = true;
        for await (const event of events) {
          failures = 0;
          quiet = false;
          if (event.type === "ERROR") {
            const status = event.object;
            const code = typeof status.code === "number" ? status.code : undefined;
            const said = typeof status.message === "string" ? status.message : "";
            const message = `watch failed: ${code ?? ""} ${excerpt(said, STATUS_MESSAGE_LIMIT)}`;
            throw new ApiError(message.trim(), {
              status: code ?? 500,
              statusObject: status,
            });
          }
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
          if (event.type === "BOOKMARK") continue;
          const key = objectKey(event.object);
          if (event.type === "DELETED") cache.delete(key);
          else cache.set(key, event.object);
          yield { type: event.type, object: event.object, key };
        }
        // A server that ends every watch at once must not be asked again in a tight loop.
        if (quiet) await sleep(backoff(++failures), signal).catch(() => undefined);
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof ApiError && error.status === 410) listed = false;
        await retried(error, ++failures);
      }
    }
  }

  return {
    cache,
    get resourceVersion() {
      return resourceVersion;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new Error("listThenWatch: this informer is already being iterated");
      started = true;
      return run();
    },
  };
}

/** No answer, a 410 (list again), 429, or a server error (not 501: it will not be implemented by then). */
function isWorthRetrying(error: ApiError): boolean {
  const { status } = error;
  return status === 0 || status === 410 || status === 429 || (status >= 500 && status !== 501);
}
