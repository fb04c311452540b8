import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../src/runtime/api-error.js";
import { type RetryOptions, retriesFor, retryAfterMs, retryDelay, sleep } from "../../src/runtime/retry.js";

describe("retriesFor", () => {
  it.each([
    ["GET", undefined, 0],
    ["GET", {}, 3],
    ["PUT", { retries: 5 }, 5],
    ["DELETE", { retries: 0 }, 0],
    ["HEAD", { retries: 1 }, 1],
    ["OPTIONS", { retries: 1 }, 1],
    ["GET", { retries: 2.9 }, 2],
    ["GET", { retries: -1 }, 0],
    ["POST", { retries: 3 }, 0],
    ["PATCH", { retries: 3 }, 0],
    ["POST", { nonIdempotent: true }, 3],
    ["PATCH", { retries: 2, nonIdempotent: true }, 2],
  ] as Array<[string, RetryOptions | undefined, number]>)("%s with %j: %i", (method, retry, want) => {
    expect(retriesFor(method, retry)).toBe(want);
  });
});

const error = (status: number, details: { cause?: unknown; retryAfter?: string } = {}) =>
  new ApiError("x", { status, ...(details.cause !== undefined && { cause: details.cause }), ...(details.retryAfter !== undefined && { headers: new Headers({ "retry-after": details.retryAfter }) }) });
const named = (name: string) => Object.assign(new Error(name), { name });

describe("retryDelay", () => {
  it.each([
    ["no answer (connection refused), first retry, least jitter", error(0, { cause: new TypeError("fetch failed") }), 1, { baseDelayMs: 100 }, 0, 50],
    ["no answer, first retry, most jitter", error(0, { cause: new TypeError("fetch failed") }), 1, { baseDelayMs: 100 }, 1, 100],
    ["a timeout, third retry (doubled twice)", error(0, { cause: named("TimeoutError") }), 3, { baseDelayMs: 100 }, 0.5, 300],
    ["a 429", error(429), 1, { baseDelayMs: 100 }, 0, 50],
    ["a 502", error(502), 2, { baseDelayMs: 100 }, 0, 100],
    ["a 503", error(503), 1, { baseDelayMs: 100 }, 0, 50],
    ["a 504", error(504), 1, { baseDelayMs: 100 }, 0, 50],
    ["the defaults (250 ms)", error(503), 1, {}, 0, 125],
    ["a backoff capped at maxDelayMs", error(503), 10, { baseDelayMs: 100, maxDelayMs: 1000 }, 0.5, 750],
    ["a backoff capped at the default 10 s", error(503), 20, {}, 1, 10_000],
    ["Retry-After in seconds, without jitter", error(503, { retryAfter: "2" }), 1, { baseDelayMs: 100 }, 0, 2000],
    ["Retry-After capped at maxDelayMs", error(429, { retryAfter: "120" }), 1, { maxDelayMs: 5000 }, 0, 5000],
    ["Retry-After: 0", error(503, { retryAfter: "0" }), 1, {}, 0, 0],
    ["an HTTP date already past", error(503, { retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" }), 1, {}, 0, 0],
    ["a Retry-After it cannot read, as a backoff", error(503, { retryAfter: "soon" }), 1, { baseDelayMs: 100 }, 0, 50],
  ] as Array<[string, ApiError, number, RetryOptions, number, number]>)("waits for %s", (_name, failure, attempt, retry, random, want) => {
    expect(retryDelay(failure, attempt, retry, () => random)).toBe(want);
  });

  it.each([
    ["an abort by the caller", error(0, { cause: named("AbortError") })],
    ["a 400", error(400)],
    ["a 401", error(401)],
    ["a 404", error(404)],
    ["a 409", error(409)],
    ["a 422", error(422)],
    ["a 500", error(500)],
    ["a 501", error(501)],
    ["a 409 with Retry-After", error(409, { retryAfter: "1" })],
  ])("does not retry %s", (_name, failure) => {
    expect(retryDelay(failure, 1, {}, () => 0)).toBeUndefined();
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
  it.each([
    [null, undefined],
    ["0", 0],
    ["5", 5000],
    [" 5 ", 5000],
    ["120", 120_000],
    ["Wed, 21 Oct 2015 07:28:05 GMT", 5000],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["", undefined],
    ["soon", undefined],
  ])("%j: %j", (value, want) => {
    expect(retryAfterMs(value, now)).toBe(want);
  });

  // Regression (found by these tests, fixed): V8's lenient Date.parse reads "1.5" and "-1" as dates in 2001, so a malformed Retry-After means "retry at once" instead of the backoff.
  it.each([["1.5"], ["-1"]])("does not read %j as a date", (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });
});

describe("sleep", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves after ms", async () => {
    vi.useFakeTimers();
    let done = false;
    const wait = sleep(1000, undefined).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait;
    expect(done).toBe(true);
  });

  it("rejects at once with the reason of a signal already aborted", async () => {
    const reason = new Error("stop");
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("rejects with the signal's reason when it aborts during the wait, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const wait = sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort("shutting down");
    await expect(wait).rejects.toBe("shutting down");
    expect(vi.getTimerCount()).toBe(0);
  });
});
