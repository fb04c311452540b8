// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/watch-answer.ts), never in an output: the next run would put it back.
import { type Status, statusObject } from "./status.js";

/**
 * One event a watch handler yields, as the apiserver streams it: an object `ADDED`, `MODIFIED` (its new
 * state) or `DELETED` (its last state); a `BOOKMARK` that only moves the resource version on; or an `ERROR`
 * with a `Status` (410 Gone: the resource version is too old), after which the watch should end.
 */
export type WatchEvent<T> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T }
  | {
      type: "BOOKMARK";
      object: {
        kind?: string;
        apiVersion?: string;
        metadata: { resourceVersion: string; annotations?: Record<string, string> };
      };
    }
  | { type: "ERROR"; object: Status };

/** A streamed answer: its status and headers, then one line per event until the events end. */
export interface StreamAnswer {
  status: number;
  headers: Record<string, string>;
  /** The lines of the answer (one JSON event each, `\n`-terminated). */
  lines: AsyncIterator<string>;
  /** Ends the stream at once: the handler's iterator is returned (`return()`), `context.signal` aborts. */
  close(): void;
}

const EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/** True for what a watch handler returns to stream (an async iterable), not a `{ status, body }` answer. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

/** The longest delay setTimeout keeps (2^31 - 1 ms); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** kube-apiserver's default `--min-request-timeout`, in seconds. */
export const MIN_REQUEST_TIMEOUT_SECONDS = 1800;

/** What {@link watchStream} needs besides the events. */
export interface WatchStreamOptions {
  /** The request's `timeoutSeconds`, in milliseconds; undefined or 0 takes the default deadline. */
  timeoutMs?: number | undefined;
  /**
   * The apiserver's `--min-request-timeout` (default 1800): a watch without `timeoutSeconds` ends after a
   * random time between it and twice it; 0 lets such a watch run until it ends or the client goes away.
   */
  minRequestTimeoutSeconds?: number | undefined;
  /** The random source of the default deadline, in [0, 1) (tests pin it). */
  random?: () => number;
  onClose?: () => void;
}

/**
 * A watch handler's iterable may have `setDeadline`: the routes call it once, before reading the first
 * event, with the time they will end the watch, so that the handler can send a bookmark just before it (as
 * the apiserver's watch cache does, 2 s ahead).
 */
export interface WatchDeadlineHook {
  setDeadline?(deadline: Date): void;
}

/**
 * How long a watch runs before the server ends it, as kube-apiserver's GetTimeoutForWatch decides: its
 * `timeoutSeconds` when given and not 0 (a negative one ends it at once), else a random time in
 * [minRequestTimeout, 2 x minRequestTimeout) so that clients' new watches spread out; undefined (no end)
 * when minRequestTimeout is 0.
 */
export function watchTimeoutMs(
  timeoutMs: number | undefined,
  minRequestTimeoutSeconds: number = MIN_REQUEST_TIMEOUT_SECONDS,
  random: () => number = Math.random,
): number | undefined {
  if (timeoutMs !== undefined && timeoutMs !== 0) return Math.max(0, timeoutMs);
  if (minRequestTimeoutSeconds <= 0) return undefined;
  return minRequestTimeoutSeconds * 1000 * (random() + 1);
}

/**
 * The events of a watch handler as the lines of a JSON watch answer, each object passed through `convert`
 * (a Table row for `kubectl get -w`). The stream ends when the events end, at its deadline (the request's
 * `timeoutSeconds`, else the apiserver's default, {@link watchTimeoutMs}), or on `close()` (the client
 * went away): the handler's iterator is then returned at once, without waiting for its next event. An
 * event that is no event ends the stream with an `ERROR` event holding a 500 Status, as the apiserver ends
 * a broken watch.
 */
export function watchStream(
  events: AsyncIterable<unknown>,
  convert: (object: unknown) => unknown,
  options: WatchStreamOptions,
): StreamAnswer {
  const iterator = events[Symbol.asyncIterator]();
  let closed = false;
  // Ends the wait of the next() under way, if any: a promise of its own per event, not one for the whole
  // watch (racing a promise that settles only at the end would add a reaction to it per event).
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    wake?.();
    options.onClose?.();
    // Not awaited: an async generator parked on an await handles return() only once that await settles.
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => undefined);
  };
  const timeoutMs = watchTimeoutMs(
    options.timeoutMs,
    options.minRequestTimeoutSeconds,
    options.random,
  );
  if (timeoutMs !== undefined) {
    // setTimeout fires at once past 2^31 - 1 ms (24.8 days): a longer timeoutSeconds waits in steps.
    const endAt = Date.now() + timeoutMs;
    const arm = () => {
      const left = endAt - Date.now();
      timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(close, left);
    };
    arm();
    const hook = (events as WatchDeadlineHook).setDeadline;
    try {
      if (typeof hook === "function") hook.call(events, new Date(endAt));
    } catch {
      // The handler's hook failing does not end its watch earlier than the deadline.
    }
  }
  const done = (): IteratorResult<string> => ({ done: true, value: undefined });
  const lines: AsyncIterator<string> = {
    async next() {
      if (closed) return done();
      let next: IteratorResult<unknown> | undefined;
      try {
        next = await new Promise<IteratorResult<unknown> | undefined>((resolve, reject) => {
          wake = () => resolve(undefined);
          iterator.next().then(resolve, reject);
        });
      } catch {
        close();
        return { done: false, value: errorLine() };
      }
      if (next === undefined || closed) return done();
      if (next.done) {
        close();
        return done();
      }
      const line = eventLine(next.value, convert);
      if (line === undefined) {
        close();
        return { done: false, value: errorLine() };
      }
      return { done: false, value: line };
    },
    async return() {
      close();
      return done();
    },
  };
  return { status: 200, headers: { "content-type": "application/json" }, lines, close };
}

/** One event as a line of the answer, or undefined when it is no event. */
function eventLine(event: unknown, convert: (object: unknown) => unknown): string | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const { type, object } = event as { type?: unknown; object?: unknown };
  if (typeof type !== "string" || !EVENT_TYPES.has(type) || object === undefined) return undefined;
  try {
    const converted = type === "BOOKMARK" || type === "ERROR" ? object : convert(object);
    if (converted === undefined) return undefined;
    const json = JSON.stringify({ type, object: converted });
    return json === undefined ? undefined : `${json}\n`;
  } catch {
    // A value JSON cannot write (a BigInt, a cycle).
    return undefined;
  }
}

function errorLine(): string {
  const status = statusObject(
    500,
    "InternalError",
    "Internal error occurred: the watch could not be continued",
  );
  return `${JSON.stringify({ type: "ERROR", object: status })}\n`;
}

/** The parts of `node:http`'s ServerResponse a streamed answer needs. */
export interface StreamTarget {
  end(body?: string | Uint8Array): unknown;
  /** Sends the status and headers at once (the apiserver flushes them as a watch starts). */
  flushHeaders?(): unknown;
  /** Without it, the answer is written whole when the events end. */
  write?(chunk: string): boolean;
  once?(event: "close" | "drain", listener: () => void): unknown;
}

/**
 * Writes a streamed answer to a node response: headers at once, then one write per event (node sends each
 * as a chunk); a write the socket cannot take yet waits for `drain`. The stream is closed when the
 * connection closes (`gone`), which returns the handler's iterator.
 */
export async function writeStream(
  answer: StreamAnswer,
  response: StreamTarget,
  gone: AbortSignal,
): Promise<void> {
  // One listener for the whole stream, however many writes wait for `drain`.
  const closed = new Promise<void>((resolve) => {
    if (gone.aborted) resolve();
    else gone.addEventListener("abort", () => resolve(), { once: true });
  });
  void closed.then(() => answer.close());
  const write = response.write?.bind(response);
  let held = "";
  response.flushHeaders?.();
  for (;;) {
    const next = await answer.lines.next();
    if (next.done) break;
    if (!write) held += next.value;
    else if (!write(next.value))
      await Promise.race([
        new Promise<void>((resolve) => response.once?.("drain", resolve)),
        closed,
      ]);
  }
  response.end(held === "" ? undefined : held);
}

/** A streamed answer as a fetch Response whose body ends the stream when it is cancelled. */
export function streamResponse(answer: StreamAnswer): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await answer.lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      answer.close();
    },
  });
  return new Response(body, { status: answer.status, headers: answer.headers });
}
