// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/retry.ts), never in an output: the next run would put it back.
import type { ApiError } from "./api-error.js";

/**
 * When and how often to try again. An attempt is retried when no answer arrived (connection refused or
 * reset, timeout; never after an abort by the caller) or the answer was 429, 502, 503 or 504. A `Retry-After`
 * header sets the wait, capped at `maxDelayMs`. Calls that are not idempotent (POST, PATCH: every create) are
 * retried only with `nonIdempotent: true`, because the server may have acted on a request whose answer got lost.
 */
export interface RetryOptions {
  /** Attempts after the first one (default 3). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, including a server's `Retry-After` (default 10 000 ms). */
  maxDelayMs?: number;
  /** Also retry POST and PATCH calls (default false). */
  nonIdempotent?: boolean;
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

/** How many retries a call of this method gets. */
export function retriesFor(method: string, retry: RetryOptions | undefined): number {
  if (!retry || !(IDEMPOTENT_METHODS.has(method) || retry.nonIdempotent)) return 0;
  return Math.max(0, Math.floor(retry.retries ?? 3));
}

/** How long to wait before the next attempt, or undefined when this failure is not worth retrying. */
export function retryDelay(
  error: ApiError,
  attempt: number,
  retry: RetryOptions,
  random: () => number = Math.random,
): number | undefined {
  const cause = (error.cause as { name?: unknown } | undefined)?.name;
  const retryable =
    error.status === 0 ? cause !== "AbortError" : RETRIED_STATUSES.has(error.status);
  if (!retryable) return undefined;
  const maxDelayMs = retry.maxDelayMs ?? 10_000;
  const retryAfter = retryAfterMs(error.headers?.get("retry-after") ?? null);
  if (retryAfter !== undefined) return Math.min(retryAfter, maxDelayMs);
  const backoff = (retry.baseDelayMs ?? 250) * 2 ** (attempt - 1);
  return Math.min(backoff, maxDelayMs) * (0.5 + random() / 2);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  // An HTTP date starts with the day's name; V8's lenient Date.parse would read "1.5" as a date in 2001.
  if (!/^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`; the signal ends the wait at once, rejecting with its reason. */
export function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
