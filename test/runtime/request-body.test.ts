import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type BodyRead, readChunks, readBody, streamChunks } from "../../src/runtime/request-body.js";
import { statusObject } from "../../src/runtime/status.js";
import { parse } from "yaml";

const JSON_ONLY = ["application/json"];
const JSON_AND_YAML = ["application/json", "application/yaml"];
const PATCH = ["application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json"];
const bytes = (text: string) => new TextEncoder().encode(text);
const reads = (text: string) => async (): Promise<BodyRead> => ({ bytes: bytes(text) });

/** An async body that yields the chunks, counting how many were pulled. */
function chunked(chunks: Array<Uint8Array | string>) {
  const counter = { pulled: 0 };
  async function* body() {
    for (const chunk of chunks) {
      counter.pulled++;
      yield chunk;
    }
  }
  return { body: body(), counter };
}

describe("readBody", () => {
  it.each([
    ["application/json", JSON_ONLY],
    ["application/json; charset=utf-8", JSON_ONLY],
    ["Application/JSON", JSON_ONLY],
    ["  application/json  ;charset=UTF-8", JSON_ONLY],
    ["application/json-patch+json", PATCH],
    ["application/merge-patch+json; charset=utf-8", PATCH],
  ])("accepts the media type %j", async (contentType, accepted) => {
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    expect(await readBody(contentType, accepted, reads('{"a":1}'), 100, 1000)).toEqual({ value: { a: 1 }, duplicates: { items: [], omitted: 0 }, mediaType });
  });

  const unknownFormat = (types: string) => `the body of the request was in an unknown format - accepted media types include: ${types}`;
  it.each([
    ["YAML without a parser", "application/yaml", JSON_AND_YAML, unknownFormat("application/json")],
    ["text", "text/plain;charset=UTF-8", JSON_ONLY, unknownFormat("application/json")],
    ["plain JSON on a patch", "application/json", PATCH, unknownFormat("application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json")],
    ["a type that only starts like JSON", "application/jsonx", JSON_ONLY, unknownFormat("application/json")],
    ["a patch without Content-Type", undefined, PATCH, unknownFormat("application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json")],
    ["a media type that does not parse", "application/json;charset", JSON_ONLY, unknownFormat("application/json")],
    ["an apply patch as CBOR (listed by the document since v1.33, not decoded here)", "application/apply-patch+cbor", [...PATCH, "application/apply-patch+cbor"], unknownFormat("application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json")],
  ])("answers 415 in the apiserver's words for %s, without reading the body", async (_name, contentType, accepted, message) => {
    let read = false;
    const result = await readBody(contentType, accepted, async () => ((read = true), { bytes: bytes("{}") }), 100, 1000);
    expect(result).toEqual({ error: statusObject(415, "UnsupportedMediaType", message), close: false });
    expect(read).toBe(false);
  });

  it.each([
    ["no Content-Type", undefined],
    ["an empty Content-Type", ""],
  ])("reads a body with %s as JSON when JSON is the fallback (what the apiserver does)", async (_name, contentType) => {
    expect(await readBody(contentType, JSON_ONLY, reads('{"a":1}'), 100, 1000, { fallback: "application/json" })).toEqual({ value: { a: 1 }, duplicates: { items: [], omitted: 0 }, mediaType: "application/json" });
  });

  it("reads YAML with the parser it is given, through JSON (a date becomes its string)", async () => {
    const parseYaml = (text: string) => (text.startsWith("when") ? { when: new Date("2026-01-02T03:04:05Z") } : parse(text));
    expect(await readBody("application/yaml; charset=utf-8", JSON_AND_YAML, reads("a:\n  b: [1, two]\n"), 100, 1000, { parseYaml })).toEqual({ value: { a: { b: [1, "two"] } }, duplicates: { items: [], omitted: 0 }, mediaType: "application/yaml" });
    expect(await readBody("application/yaml", JSON_AND_YAML, reads("when: x"), 100, 1000, { parseYaml })).toEqual({ value: { when: "2026-01-02T03:04:05.000Z" }, duplicates: { items: [], omitted: 0 }, mediaType: "application/yaml" });
  });

  it("answers 400 with the parser's first line for YAML it refuses", async () => {
    const result = await readBody("application/yaml", JSON_AND_YAML, reads("a: 1\na: 2\n"), 100, 1000, { parseYaml: (text) => parse(text) });
    expect(result).toMatchObject({ error: { code: 400, reason: "BadRequest", message: expect.stringMatching(/^the request body is not valid YAML: Map keys must be unique/) } });
  });

  it.each([
    ["too-large", { error: statusObject(413, "RequestEntityTooLarge", "the request body is larger than the limit of 100 bytes"), close: false }],
    ["timeout", { error: statusObject(408, "Timeout", "the request body was not received within 1000 ms"), close: true }],
    ["unreadable", { error: statusObject(400, "BadRequest", "the request body could not be read"), close: true }],
  ] as const)("turns a %s read into its answer, closing the connection only when its state is unknown", async (failure, want) => {
    expect(await readBody("application/json", JSON_ONLY, async () => ({ failure }), 100, 1000)).toEqual(want);
  });

  it.each([
    ["an empty body as no value", "", { value: undefined, duplicates: { items: [], omitted: 0 } }],
    ["null", "null", { value: null, duplicates: { items: [], omitted: 0 } }],
    ["a string", '"x"', { value: "x", duplicates: { items: [], omitted: 0 } }],
    ["UTF-8 text", '{"a":"ü€😀"}', { value: { a: "ü€😀" }, duplicates: { items: [], omitted: 0 } }],
    ["a leading byte order mark", '\uFEFF{"a":1}', { value: { a: 1 }, duplicates: { items: [], omitted: 0 } }],
    ["duplicate keys, with their paths", '{"a":{"b":1,"b":2},"a":3}', { value: { a: 3 }, duplicates: { items: ["a.b", "a"], omitted: 0 } }],
  ])("reads %s", async (_name, text, want) => {
    expect(await readBody("application/json", JSON_ONLY, reads(text), 100, 1000)).toEqual({ ...want, mediaType: "application/json" });
  });

  it.each([
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), "the request body is not valid UTF-8"],
    ["a lone UTF-8 continuation byte", new Uint8Array([0x22, 0x80, 0x22]), "the request body is not valid UTF-8"],
    ["a truncated UTF-8 sequence", new Uint8Array([0x22, 0xe2, 0x82]), "the request body is not valid UTF-8"],
    ["JSON nested past 10,000 levels", bytes("[".repeat(10_001) + "]".repeat(10_001)), "the request body is nested more than 10000 levels deep"],
    ["text that is not JSON", bytes("{not json"), /^the request body is not valid JSON: .+/],
    ["blanks only", bytes("   "), /^the request body is not valid JSON: .+/],
  ])("answers 400 for %s, keeping the connection", async (_name, body, message) => {
    const result = await readBody("application/json", JSON_ONLY, async () => ({ bytes: body }), 1_000_000, 1000);
    expect(result).toMatchObject({ error: { code: 400, reason: "BadRequest", status: "Failure", message }, close: false });
  });

  it("accepts JSON nested exactly 10,000 levels", async () => {
    const result = await readBody("application/json", JSON_ONLY, reads("[".repeat(10_000) + "]".repeat(10_000)), 1_000_000, 1000);
    expect("value" in result).toBe(true);
  });
});

describe("readChunks", () => {
  it.each([
    ["Uint8Array chunks", [bytes('{"a":'), bytes("1}")], '{"a":1}'],
    ["string chunks, encoded as UTF-8", ['{"a":"', "ü", '"}'], '{"a":"ü"}'],
    ["a character split across chunks", [new Uint8Array([0x22, 0xc3]), new Uint8Array([0xbc, 0x22])], '"ü"'],
    ["no chunks", [], ""],
    ["exactly the limit", ["x".repeat(10)], "x".repeat(10)],
  ])("joins %s", async (_name, chunks, want) => {
    const result = await readChunks(chunked(chunks).body, 10, null, 1000);
    expect("bytes" in result && new TextDecoder().decode(result.bytes)).toBe(want);
  });

  it("reads a plain iterable (a body that is already in memory)", async () => {
    const result = await readChunks([bytes("ab"), bytes("c")], 10, undefined, 1000);
    expect(result).toEqual({ bytes: bytes("abc") });
  });

  it.each([
    ["larger than the limit", "11", { failure: "too-large" }],
    ["exactly the limit", "10", { bytes: bytes("{}") }],
    ["not a number (the bytes decide)", "ten", { bytes: bytes("{}") }],
  ])("with a Content-Length %s: %j", async (_name, contentLength, want) => {
    const { body, counter } = chunked([bytes("{}")]);
    expect(await readChunks(body, 10, contentLength, 1000)).toEqual(want);
    expect(counter.pulled).toBe("failure" in want ? 0 : 1);
  });

  it("refuses a body that grows past the limit while it is read, whatever its Content-Length claimed", async () => {
    expect(await readChunks(chunked(["x".repeat(6), "x".repeat(6)]).body, 10, "2", 1000)).toEqual({ failure: "too-large" });
  });

  it("after refusing, reads and drops the rest of the body up to 4x the limit, then stops", async () => {
    const counter = { pulled: 0 };
    async function* endless() {
      for (;;) {
        counter.pulled++;
        yield "x".repeat(10);
      }
    }
    expect(await readChunks(endless(), 25, null, 1000)).toEqual({ failure: "too-large" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // 3 chunks to go past 25 bytes, then 10 more (100 bytes) drained.
    expect(counter.pulled).toBe(3 + 10);
  });

  it("gives up on a body that stops arriving after timeoutMs", async () => {
    async function* stalled() {
      yield "{";
      await new Promise(() => {});
    }
    const started = Date.now();
    expect(await readChunks(stalled(), 100, null, 30)).toEqual({ failure: "timeout" });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("says unreadable when the body breaks mid-way", async () => {
    async function* broken() {
      yield "{";
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    }
    expect(await readChunks(broken(), 100, null, 1000)).toEqual({ failure: "unreadable" });
  });
});

describe("readChunks of a node stream (read through its events)", () => {
  it("joins the chunks; one chunk is handed on as it is", async () => {
    expect(await readChunks(Readable.from([bytes('{"a":'), bytes("1}")]), 10, null, 1000)).toEqual({ bytes: bytes('{"a":1}') });
    const only = bytes("{}");
    const one = await readChunks(Readable.from([only]), 10, null, 1000);
    expect("bytes" in one && one.bytes).toBe(only);
    expect(await readChunks(Readable.from([]), 10, null, 1000)).toEqual({ bytes: new Uint8Array(0) });
  });

  it("refuses past the limit, drains up to 4x the limit, then pauses the stream", async () => {
    const stream = new PassThrough();
    const read = readChunks(stream, 25, null, 1000);
    for (let i = 0; i < 3; i++) stream.write("x".repeat(10));
    expect(await read).toEqual({ failure: "too-large" });
    for (let i = 0; i < 10; i++) stream.write("x".repeat(10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([stream.readableFlowing, stream.listenerCount("data")]).toEqual([false, 0]);
  });

  it("gives up after timeoutMs and stops reading", async () => {
    const stream = new PassThrough();
    stream.write("{");
    expect(await readChunks(stream, 100, null, 30)).toEqual({ failure: "timeout" });
    expect([stream.readableFlowing, stream.listenerCount("data")]).toEqual([false, 0]);
  });

  it.each([
    ["an error", (stream: PassThrough) => stream.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }))],
    ["a close before the end", (stream: PassThrough) => stream.destroy()],
  ])("says unreadable after %s", async (_name, breakIt) => {
    const stream = new PassThrough();
    const read = readChunks(stream, 100, null, 1000);
    stream.write("{");
    setTimeout(() => breakIt(stream), 5);
    expect(await read).toEqual({ failure: "unreadable" });
  });

  it("reads a stream that was paused before as any other iterable", async () => {
    const stream = Readable.from([bytes("{}")]);
    stream.pause();
    expect(await readChunks(stream, 10, null, 1000)).toEqual({ bytes: bytes("{}") });
  });
});

describe("streamChunks", () => {
  it("yields a web stream's chunks in order", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("a"));
        controller.enqueue(bytes("b"));
        controller.close();
      },
    });
    const seen: string[] = [];
    for await (const chunk of streamChunks(stream)) seen.push(new TextDecoder().decode(chunk));
    expect(seen).toEqual(["a", "b"]);
  });

  it("hands on a stream's error, which readChunks reads as unreadable", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("{"));
        controller.error(new Error("socket hang up"));
      },
    });
    expect(await readChunks(streamChunks(stream), 100, null, 1000)).toEqual({ failure: "unreadable" });
  });
});
