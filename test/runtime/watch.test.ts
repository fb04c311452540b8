import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/runtime/api-error.js";
import { lines, readChunks, textChunks } from "../../src/runtime/stream.js";
import { watchEvents } from "../../src/runtime/watch.js";

const encoder = new TextEncoder();

async function* chunksOf(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? encoder.encode(part) : part;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function failure(iterable: AsyncIterable<unknown>): Promise<ApiError> {
  try {
    await collect(iterable);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the stream to fail");
}

const POD = { kind: "Pod", apiVersion: "v1", metadata: { name: "wéb-1", namespace: "default", resourceVersion: "7" } };
const added = `${JSON.stringify({ type: "ADDED", object: POD })}\n`;
const bytes = encoder.encode(added);
const label = "GET /api/v1/pods";

describe("watchEvents", () => {
  it.each([
    ["whole lines", [added, added]],
    ["one chunk with two events", [added + added]],
    ["chunks cut mid-line", [added.slice(0, 10), added.slice(10) + added.slice(0, 30), added.slice(30)]],
    ["a chunk cut mid-character (é is 2 bytes)", [bytes.subarray(0, bytes.indexOf(0xc3) + 1), bytes.subarray(bytes.indexOf(0xc3) + 1), added]],
    ["one byte per chunk", [...encoder.encode(added + added)].map((b) => new Uint8Array([b]))],
    ["CRLF line ends and blank lines", [added.replace("\n", "\r\n"), "\n\n", added]],
  ])("parses events from %s", async (_name, parts) => {
    expect(await collect(watchEvents(chunksOf(...parts), label))).toEqual([
      { type: "ADDED", object: POD },
      { type: "ADDED", object: POD },
    ]);
  });

  it("yields every event type, an ERROR other than 410 included", async () => {
    const events = [
      { type: "MODIFIED", object: POD },
      { type: "DELETED", object: POD },
      { type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "9" } } },
      { type: "ERROR", object: { kind: "Status", apiVersion: "v1", status: "Failure", code: 500, reason: "InternalError", message: "etcd is down" } },
    ];
    expect(await collect(watchEvents(chunksOf(events.map((e) => `${JSON.stringify(e)}\n`).join("")), label))).toEqual(events);
  });

  it("throws an ERROR event with code 410 as an ApiError with status 410, after the events before it", async () => {
    const gone = { kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "too old resource version: 1 (5)" };
    const seen: unknown[] = [];
    const error = await failure(
      (async function* () {
        for await (const event of watchEvents(chunksOf(added, `${JSON.stringify({ type: "ERROR", object: gone })}\n`, added), label)) yield seen.push(event);
      })(),
    );
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 410, reason: "Expired", statusObject: gone, message: "GET /api/v1/pods: 410 Expired: too old resource version: 1 (5)" });
  });

  it.each([
    ["a line that is not JSON", ["{nope\n"], 'GET /api/v1/pods: the watch sent a line that is not JSON: {nope'],
    ["a line that is not an event", ['{"type":"ADDED"}\n'], 'GET /api/v1/pods: the watch sent a line that is not a watch event: {"type":"ADDED"}'],
    ["an unknown event type", ['{"type":"RENAMED","object":{}}\n'], 'GET /api/v1/pods: the watch sent a line that is not a watch event: {"type":"RENAMED","object":{}}'],
    ["an answer that ends mid-event", [added, added.slice(0, 20)], `GET /api/v1/pods: the watch ended in the middle of an event: ${added.slice(0, 20)}`],
  ])("fails on %s, naming it", async (_name, parts, message) => {
    expect(await failure(watchEvents(chunksOf(...parts), label))).toMatchObject({ status: 200, message });
  });
});

describe("lines and textChunks", () => {
  const errors = { unfinished: (rest: string) => new Error(`unfinished: ${rest}`), tooLong: () => new Error("too long") };

  it("keeps a long line that comes in many chunks whole", async () => {
    const long = "x".repeat(100_000);
    const parts = [...long.matchAll(/.{1,1000}/g)].map((m) => m[0]);
    expect(await collect(lines(chunksOf(...parts, "\nend\n"), 1e9, errors))).toEqual([long, "end"]);
  });

  // Regression (issue 14): each chunk of a line under way flattened all of it again (`buffer += text`, then a search):
  // a 64 MB watch line in 16 KiB chunks took 113 s. 16 MB in 16 KiB chunks took about 7 s; now milliseconds.
  it("takes time linear in the line's length, however many chunks bring it", async () => {
    const chunk = encoder.encode("x".repeat(16 * 1024));
    async function* many(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1024; i++) yield chunk;
      yield encoder.encode("\n");
    }
    const started = performance.now();
    const [line] = await collect(lines(many(), 1e9, errors));
    expect(line).toHaveLength(16 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    ["a line over the limit, its end not yet come", ["x".repeat(11)]],
    ["a line over the limit in one chunk with its end", ["x".repeat(11) + "\n"]],
    ["a line over the limit across chunks", ["xxxxxx", "xxxxx\n"]],
  ])("fails on %s, as soon as it is over", async (_name, parts) => {
    await expect(collect(lines(chunksOf(...parts), 10, errors))).rejects.toThrow("too long");
  });

  it("takes lines of exactly the limit, \r\n ends, and a character cut between chunks", async () => {
    const euro = encoder.encode("€€€\r\n"); // 3 bytes each
    expect(await collect(lines(chunksOf(euro.subarray(0, 4), euro.subarray(4), "xxxxxxxxxx\n"), 10, errors))).toEqual(["€€€", "xxxxxxxxxx"]);
  });

  it("fails on an unfinished last line, and ignores a blank one", async () => {
    await expect(collect(lines(chunksOf("a\nb"), 10, errors))).rejects.toThrow("unfinished: b");
    expect(await collect(lines(chunksOf("a\n  "), 10, errors))).toEqual(["a"]);
  });

  it("decodes a character split between chunks, and flushes at the end", async () => {
    const euro = encoder.encode("€"); // 3 bytes
    expect((await collect(textChunks(chunksOf(euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2))))).join("")).toBe("€");
  });
});

describe("readChunks", () => {
  const open = (body: ReadableStream<Uint8Array>, idleTimeoutMs: number, callerSignal?: AbortSignal) => ({ body, controller: new AbortController(), callerSignal, idleTimeoutMs, label });

  it("fails with an ApiError when nothing arrives within the idle timeout, and aborts the exchange", async () => {
    const stream = open(new ReadableStream({ start: (c) => c.enqueue(bytes) }), 50);
    const started = Date.now();
    const error = await failure(readChunks(stream));
    expect(error).toMatchObject({ status: 0, message: "GET /api/v1/pods: no data within 50 ms" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it("ends quietly when the caller aborts", async () => {
    const caller = new AbortController();
    const body = new ReadableStream<Uint8Array>({ start: (c) => void caller.signal.addEventListener("abort", () => c.error(caller.signal.reason)) });
    setTimeout(() => caller.abort(), 20);
    expect(await collect(readChunks(open(body, 0, caller.signal)))).toEqual([]);
  });

  it("cancels the body and aborts the exchange when the reader stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes), cancel: () => void (cancelled = true) });
    const stream = open(body, 0);
    for await (const chunk of readChunks(stream)) {
      expect(chunk).toEqual(bytes);
      break;
    }
    expect(cancelled).toBe(true);
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it("says the answer was cut off when the body fails", async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.error(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }))) });
    expect(await failure(readChunks(open(body, 0)))).toMatchObject({ status: 0, message: "GET /api/v1/pods: the 200 answer was cut off: connection closed by the server (UND_ERR_SOCKET)" });
  });
});
