// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/stream.ts), never in an output: the next run would put it back.
import { ApiError, describeFailure } from "./api-error.js";

/** What reading a stream's body needs: the body, who may abort it, and how to name it in errors. */
export interface OpenStream {
  body: ReadableStream<Uint8Array>;
  /** Aborting it ends the exchange (the connection is closed). */
  controller: AbortController;
  /** The caller's signal: when it aborts, the stream just ends. */
  callerSignal: AbortSignal | null | undefined;
  idleTimeoutMs: number;
  /** `GET /api/v1/pods`, the start of every message. */
  label: string;
}

/**
 * The body's chunks as they arrive. Ends when the server ends the answer, or at once when the caller aborts;
 * fails with an `ApiError` (status 0) when the connection drops mid-answer or stays silent for
 * `idleTimeoutMs`. Stopping early (a `break` out of `for await`) closes the connection.
 */
export async function* readChunks(stream: OpenStream): AsyncGenerator<Uint8Array> {
  const { body, controller, callerSignal, idleTimeoutMs, label } = stream;
  const reader = body.getReader();
  // Raced with each read, so that neither waits on a transport that does not end the body on abort.
  let wake: (why: "idle" | "aborted") => void = () => undefined;
  const onAbort = () => wake("aborted");
  callerSignal?.addEventListener("abort", onAbort, { once: true });
  let done = false;
  try {
    for (;;) {
      if (callerSignal?.aborted) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const interrupted = new Promise<"idle" | "aborted">((resolve) => {
        wake = resolve;
        if (idleTimeoutMs > 0) timer = setTimeout(() => resolve("idle"), idleTimeoutMs);
      });
      let result: ReadableStreamReadResult<Uint8Array> | "idle" | "aborted";
      try {
        result = await Promise.race([reader.read(), interrupted]);
      } catch (error) {
        done = true;
        if (callerSignal?.aborted) return;
        const why = describeFailure(error, idleTimeoutMs);
        throw new ApiError(`${label}: the 200 answer was cut off: ${why}`, {
          status: 0,
          cause: error,
        });
      } finally {
        clearTimeout(timer);
      }
      if (result === "aborted") return;
      if (result === "idle")
        throw new ApiError(`${label}: no data within ${idleTimeoutMs} ms`, { status: 0 });
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    callerSignal?.removeEventListener("abort", onAbort);
    if (!done) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
    controller.abort();
  }
}

/** The chunks as text, decoded as UTF-8 across chunk boundaries (a character may be split between two). */
export async function* textChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The complete lines of a stream of bytes, decoded as UTF-8, without their `\n` (or `\r\n`): a chunk may end
 * mid-line or mid-character. A line longer than `maxLineBytes` fails with `errors.tooLong` as soon as it is
 * (nothing more of it is kept); a last line the stream ended without finishing fails with
 * `errors.unfinished`. The work is linear in the stream's length, however its lines are cut into chunks.
 */
export async function* lines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
  errors: { unfinished: (rest: string) => Error; tooLong: () => Error },
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  // The start of the line under way, as the chunks brought it: joined once, when its end arrives.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const take = (last: Uint8Array): string => {
    let bytes = last;
    if (pending.length > 0) {
      bytes = new Uint8Array(pendingBytes + last.byteLength);
      let at = 0;
      for (const part of [...pending, last]) {
        bytes.set(part, at);
        at += part.byteLength;
      }
    }
    pending = [];
    pendingBytes = 0;
    const line = decoder.decode(bytes);
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (pendingBytes + (end - start) > maxLineBytes) throw errors.tooLong();
      yield take(chunk.subarray(start, end));
      start = end + 1;
    }
    if (start < chunk.byteLength) {
      pendingBytes += chunk.byteLength - start;
      if (pendingBytes > maxLineBytes) throw errors.tooLong();
      pending.push(chunk.subarray(start));
    }
  }
  if (pendingBytes > 0) {
    const rest = take(new Uint8Array(0));
    if (rest.trim() !== "") throw errors.unfinished(rest);
  }
}
