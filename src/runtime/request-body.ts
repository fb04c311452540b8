// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/request-body.ts), never in an output: the next run would put it back.
import { type Listed, listed, shortened } from "./bounds.js";
import { MAX_JSON_DEPTH, scanJson } from "./json-scan.js";
import { bodyMediaType, unsupportedMediaType } from "./negotiate.js";
import { type Status, statusObject } from "./status.js";

/** A request body as read: its bytes, or why there are none. */
export type BodyRead = { bytes: Uint8Array } | { failure: "too-large" | "timeout" | "unreadable" };

/** A decoded body: its value (undefined when empty) and the duplicate keys of its JSON text; or the answer refusing it. */
export type DecodedBody =
  | { value: unknown; duplicates: Listed<string>; mediaType: string }
  | { error: Status & { code: number }; close: boolean };

/** How bodies are decoded besides JSON. */
export interface BodyFormats {
  /** The media type of a body sent without Content-Type (kube-apiserver: JSON; patches have none). */
  fallback?: string | undefined;
  /** Parses YAML text (`application/yaml`, `application/apply-patch+yaml`); without it YAML is refused. */
  parseYaml?: (text: string) => unknown;
}

/** JSON and YAML media types: what the routes decode. */
function isDecodable(mediaType: string): boolean {
  return mediaType === "application/json" || mediaType.endsWith("+json") || isYamlType(mediaType);
}

/** YAML media types: `application/yaml` and the `+yaml` patch types. */
export function isYamlType(mediaType: string): boolean {
  return mediaType === "application/yaml" || mediaType.endsWith("+yaml");
}

const decodableByAccepted = new WeakMap<
  readonly string[],
  { withYaml: readonly string[]; withoutYaml: readonly string[] }
>();

/**
 * The accepted media types that the routes decode, YAML ones only with a parser: worked out once per list
 * (an operation's list is made once).
 */
function decodableTypes(accepted: readonly string[], parsesYaml: boolean): readonly string[] {
  let known = decodableByAccepted.get(accepted);
  if (!known) {
    // CBOR and protobuf bodies (`application/apply-patch+cbor`) are not decoded: those types are refused.
    const decodable = accepted.filter(isDecodable);
    known = { withYaml: decodable, withoutYaml: decodable.filter((type) => !isYamlType(type)) };
    decodableByAccepted.set(accepted, known);
  }
  return parsesYaml ? known.withYaml : known.withoutYaml;
}

/** One decoder for every body: without `stream`, decoding keeps no state between calls. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Checks the media type (415 unless one of `accepted`, after `formats.fallback` for none), reads the body
 * within `limit` bytes and `timeoutMs`, and decodes it as JSON, or YAML with `formats.parseYaml`: not UTF-8,
 * nested deeper than the apiserver allows, or not JSON (YAML) is a 400; a stalled or broken body also closes
 * the connection (it is in an unknown state).
 */
export async function readBody(
  contentType: string | undefined,
  accepted: readonly string[],
  read: () => Promise<BodyRead>,
  limit: number,
  timeoutMs: number,
  formats: BodyFormats = {},
): Promise<DecodedBody> {
  const decodable = decodableTypes(accepted, formats.parseYaml !== undefined);
  const mediaType = bodyMediaType(contentType, decodable, formats.fallback);
  if (mediaType === undefined) return { error: unsupportedMediaType(decodable), close: false };
  const body = await read();
  if ("failure" in body && body.failure === "too-large")
    return {
      error: statusObject(
        413,
        "RequestEntityTooLarge",
        `the request body is larger than the limit of ${limit} bytes`,
      ),
      close: false,
    };
  if ("failure" in body && body.failure === "timeout")
    return {
      error: statusObject(
        408,
        "Timeout",
        `the request body was not received within ${timeoutMs} ms`,
      ),
      close: true,
    };
  if ("failure" in body)
    return {
      error: statusObject(400, "BadRequest", "the request body could not be read"),
      close: true,
    };
  if (body.bytes.length === 0) return { value: undefined, duplicates: listed(), mediaType };
  let text: string;
  try {
    text = UTF8.decode(body.bytes);
  } catch {
    return {
      error: statusObject(400, "BadRequest", "the request body is not valid UTF-8"),
      close: false,
    };
  }
  if (isYamlType(mediaType)) return decodeYaml(text, formats.parseYaml!, mediaType);
  const scan = scanJson(text);
  if (scan.tooDeep)
    return {
      error: statusObject(
        400,
        "BadRequest",
        `the request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
      ),
      close: false,
    };
  try {
    return { value: JSON.parse(text), duplicates: scan.duplicates, mediaType };
  } catch (error) {
    return {
      error: statusObject(
        400,
        "BadRequest",
        `the request body is not valid JSON: ${shortened(error instanceof Error ? error.message : "parse error")}`,
      ),
      close: false,
    };
  }
}

/**
 * YAML through the user's parser, then through JSON, as the apiserver converts YAML to JSON before decoding:
 * what JSON cannot carry (a date object, a function) comes out as JSON writes it.
 */
function decodeYaml(
  text: string,
  parse: (text: string) => unknown,
  mediaType: string,
): DecodedBody {
  try {
    const value = parse(text);
    const json = JSON.stringify(value);
    return {
      value: json === undefined ? undefined : JSON.parse(json),
      duplicates: listed<string>(),
      mediaType,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : "parse error";
    return {
      error: statusObject(
        400,
        "BadRequest",
        `the request body is not valid YAML: ${shortened(why ?? "parse error")}`,
      ),
      close: false,
    };
  }
}

/** A web ReadableStream as an async iterable. */
export async function* streamChunks(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads a body up to `limit` bytes and `timeoutMs`. Iterates by hand and never ends the iterator early:
 * ending it would destroy a node request and its socket before the 413 or 408 could be sent. A node
 * request not read yet is read through its events instead (see {@link readEvents}).
 */
export async function readChunks(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
  limit: number,
  contentLength: string | null | undefined,
  timeoutMs: number,
): Promise<BodyRead> {
  if (contentLength != null && Number(contentLength) > limit) return { failure: "too-large" };
  // One promise settled by whichever comes first, the body or the timer.
  return new Promise<BodyRead>((resolve, reject) => {
    let stop: (() => void) | undefined;
    const timer = setTimeout(() => {
      stop?.();
      resolve({ failure: "timeout" });
    }, timeoutMs);
    const done = (read: BodyRead) => {
      clearTimeout(timer);
      resolve(read);
    };
    if (isEventBody(body)) stop = readEvents(body, limit, done);
    else
      collectChunks(body, limit).then(done, (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
  });
}

/** The parts of a node `Readable` (an `IncomingMessage`) that {@link readEvents} uses. */
interface EventBody {
  on(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: "end" | "close" | "error", listener: () => void): unknown;
  removeListener(event: "data" | "end" | "close", listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readableFlowing: boolean | null;
  readableEnded: boolean;
  destroyed: boolean;
}

/** A node stream that nothing has read, paused or piped yet: its events give the whole body. */
function isEventBody(body: object): body is EventBody {
  const stream = body as Partial<EventBody>;
  return (
    typeof stream.on === "function" &&
    typeof stream.removeListener === "function" &&
    typeof stream.pause === "function" &&
    stream.readableFlowing === null &&
    stream.readableEnded === false &&
    stream.destroyed === false
  );
}

/**
 * Reads a node stream as {@link collectChunks} reads an iterable, through its `data`, `end`, `error` and
 * `close` events: Node's async iterator of a stream costs a promise and listeners per request, a tenth of a
 * small request's time. Past `limit` it answers `too-large` and drains as {@link drain} does, then pauses;
 * the returned function stops reading (the timeout) and pauses the stream, so that nothing more is read.
 */
function readEvents(stream: EventBody, limit: number, done: (read: BodyRead) => void): () => void {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let drained: number | undefined;
  let settled = false;
  const settle = (read: BodyRead) => {
    if (settled) return;
    settled = true;
    done(read);
  };
  const stop = () => {
    stream.removeListener("data", onData);
    stream.removeListener("end", onEnd);
    stream.removeListener("close", onBroken);
    stream.pause();
  };
  const onData = (chunk: Uint8Array | string) => {
    if (drained !== undefined) {
      drained += chunk.length;
      if (drained >= limit * 4) stop();
      return;
    }
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.length;
    if (size > limit) {
      drained = 0;
      return settle({ failure: "too-large" });
    }
    chunks.push(bytes);
  };
  const onEnd = () => settle(joined(chunks, size));
  // The client went away, or the stream broke: `close` before `end`, or an error.
  const onBroken = () => settle({ failure: "unreadable" });
  stream.on("data", onData);
  stream.on("end", onEnd);
  stream.on("close", onBroken);
  // Kept after the body is read: a stream with no `error` listener would throw its error.
  stream.on("error", onBroken);
  return stop;
}

/**
 * Reads and drops the rest of a refused body, up to `budget` bytes, so that the client, still sending, can
 * read the 413 (closing on unread data resets the connection and loses the answer). Past the budget the
 * connection stays stalled until the server's own request timeout ends it.
 */
async function drain(
  iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array>,
  budget: number,
): Promise<void> {
  try {
    for (let drained = 0; drained < budget;) {
      const next = await iterator.next();
      if (next.done) return;
      drained += next.value.length;
    }
  } catch {
    // The client went away: nothing left to drain.
  }
}

async function collectChunks(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
  limit: number,
): Promise<BodyRead> {
  const iterator =
    Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const bytes =
        typeof next.value === "string" ? new TextEncoder().encode(next.value) : next.value;
      size += bytes.length;
      if (size > limit) {
        void drain(iterator, limit * 4);
        return { failure: "too-large" };
      }
      chunks.push(bytes);
    }
  } catch {
    // The client went away, or the stream broke.
    return { failure: "unreadable" };
  }
  return joined(chunks, size);
}

/** The chunks of a body as one array of `size` bytes; a body that came in one chunk is that chunk. */
function joined(chunks: readonly Uint8Array[], size: number): BodyRead {
  if (chunks.length === 1) return { bytes: chunks[0]! };
  const result = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes: result };
}
