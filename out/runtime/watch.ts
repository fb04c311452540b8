// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/watch.ts), never in an output: the next run would put it back.
import { DEFAULT_MAX_RESPONSE_BYTES } from "./bounded-fetch.js";
import { ApiError, STATUS_MESSAGE_LIMIT, excerpt } from "./api-error.js";
import type { Status } from "./status.js";
import { lines } from "./stream.js";

/**
 * One change seen by a watch, as the apiserver streams it (one JSON object per line): an object `ADDED`,
 * `MODIFIED` (its new state) or `DELETED` (its last state); a `BOOKMARK` that only moves the resource
 * version on; or an `ERROR` with a `Status`, after which the server ends the watch. An `ERROR` with code 410
 * (the resource version is too old: list again) is not yielded but thrown, as an `ApiError` with status 410.
 */
export type WatchEvent<T> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T }
  | { type: "BOOKMARK"; object: WatchBookmark }
  | { type: "ERROR"; object: Status };

/** The object of a `BOOKMARK`: only the resource version the watch has reached. */
export interface WatchBookmark {
  kind?: string;
  apiVersion?: string;
  metadata: {
    resourceVersion: string;
    /** `k8s.io/initial-events-end: "true"` ends the initial events of `sendInitialEvents`. */
    annotations?: Record<string, string>;
  };
}

const EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/**
 * The events of a watch answer, parsed as they arrive: a chunk may end mid-line or mid-character. A line
 * that is not an event, one longer than `maxEventBytes`, or an answer that ends mid-line, fails with an
 * `ApiError` (status 200: the answer came, and was wrong). The watch as a whole has no length limit.
 */
export async function* watchEvents<T>(
  chunks: AsyncIterable<Uint8Array>,
  label: string,
  maxEventBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): AsyncGenerator<WatchEvent<T>> {
  const broken = (what: string, text: string) =>
    new ApiError(`${label}: the watch ${what}: ${excerpt(text)}`, { status: 200, body: text });
  const errors = {
    unfinished: (rest: string) => broken("ended in the middle of an event", rest),
    tooLong: () =>
      new ApiError(
        `${label}: the watch sent an event larger than maxResponseBytes (${maxEventBytes} bytes)`,
        { status: 200 },
      ),
  };
  for await (const line of lines(chunks, maxEventBytes, errors)) {
    if (line.trim() === "") continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      throw broken("sent a line that is not JSON", line);
    }
    const { type, object } = (event ?? {}) as { type?: unknown; object?: unknown };
    if (typeof type !== "string" || !EVENT_TYPES.has(type) || typeof object !== "object" || !object)
      throw broken("sent a line that is not a watch event", line);
    if (type === "ERROR" && (object as Status).code === 410)
      throw goneError(label, object as Status);
    yield event as WatchEvent<T>;
  }
}

/** The `ApiError` of an `ERROR` event with code 410: the watch's resource version is too old. */
function goneError(label: string, status: Status): ApiError {
  const { reason, message } = status as { reason?: unknown; message?: unknown };
  const detail =
    typeof message === "string" && message ? `: ${excerpt(message, STATUS_MESSAGE_LIMIT)}` : "";
  const why = typeof reason === "string" && reason ? excerpt(reason, 100) : "Gone";
  return new ApiError(`${label}: 410 ${why}${detail}`, {
    status: 410,
    statusObject: status,
  });
}
