// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/api-error.ts), never in an output: the next run would put it back.
import type { Status } from "./status.js";

/** Why a call failed: the HTTP status and the `Status` the server sent, or the network problem (status 0). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status of the answer, or 0 when no answer arrived (connection refused, reset, timeout, abort). */
  readonly status: number;
  /** The `Status` object of the answer, when the body was one. */
  readonly statusObject: Status | undefined;
  /** `reason` from the Status: `NotFound`, `Conflict`, `Invalid`, `Unauthorized`, ... */
  readonly reason: string | undefined;
  /** The raw body, when it was not a `Status`. */
  readonly body: string | undefined;
  /** The headers of the answer, when one arrived (`Retry-After`, `Warning`, ...). */
  readonly headers: Headers | undefined;
  /** How many attempts were made (more than 1 only with `retry`). */
  readonly attempts: number;

  constructor(
    message: string,
    details: {
      status: number;
      statusObject?: Status | undefined;
      body?: string | undefined;
      headers?: Headers | undefined;
      attempts?: number;
      cause?: unknown;
    },
  ) {
    // What a server sends ends up here, and a message ends up in logs: no line breaks, no terminal escapes.
    super(
      escapeControls(message),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.status = details.status;
    this.statusObject = details.statusObject;
    const reason = details.statusObject?.reason;
    this.reason = typeof reason === "string" ? reason : undefined;
    this.body = details.body;
    this.headers = details.headers;
    this.attempts = details.attempts ?? 1;
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the server",
  EPIPE: "connection closed by the server",
  UND_ERR_SOCKET: "connection closed by the server",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
};

/** Why a fetch failed, in words: `connection refused (ECONNREFUSED)`, `no answer within 30000 ms`, ... */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  if (name === "AbortError") return "aborted";
  // The global fetch wraps the socket's error as `cause`; node:http hands it over directly.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const source =
    cause?.code !== undefined ? cause : (error as { code?: unknown; message?: unknown } | null);
  const code = source?.code;
  if (typeof code === "string" && Object.hasOwn(NETWORK_ERRORS, code))
    return `${NETWORK_ERRORS[code]} (${code})`;
  // The cause says why ("bad port", "unknown scheme"); fetch's own message only says "fetch failed".
  const message =
    cause?.message ?? source?.message ?? (error as Error | null)?.message ?? String(error);
  return `request failed (${code === undefined ? String(message) : `${String(code)}: ${String(message)}`})`;
}

/** The start of a long text, for messages (the whole text stays on the error). */
export function excerpt(text: string, limit = 200): string {
  if (text.length <= limit) return text;
  // Never half of a surrogate pair: a lone one is not valid UTF-16, and some loggers choke on it.
  const last = text.charCodeAt(limit - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit;
  return `${text.slice(0, end)}...`;
}

/** How many characters of a `Status` message an `ApiError.message` keeps (the whole Status stays on the error). */
export const STATUS_MESSAGE_LIMIT = 1000;

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional overrides
// (which make a log line read differently from what it holds).
const CONTROLS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character written as an escape (`\n`, `\u001b`), so it stays one plain line. */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROLS,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
