import { describe, expect, it } from "vitest";
import { ApiError, describeFailure, escapeControls, excerpt } from "../../src/runtime/api-error.js";

const withCode = (code: unknown, message: string) => Object.assign(new Error(message), { code });
const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
const named = (name: string, message = "m") => Object.assign(new Error(message), { name });

describe("ApiError", () => {
  it("carries the answer: status, Status and its reason, headers, attempts", () => {
    const statusObject = { kind: "Status", reason: "Conflict", message: "taken", code: 409 };
    const headers = new Headers({ "retry-after": "1" });
    const error = new ApiError("POST /x: 409 Conflict: taken", { status: 409, statusObject, headers, attempts: 2 });
    expect(error).toBeInstanceOf(Error);
    expect({ ...error, message: error.message }).toEqual({ name: "ApiError", message: "POST /x: 409 Conflict: taken", status: 409, statusObject, reason: "Conflict", body: undefined, headers, attempts: 2 });
    expect(String(error)).toBe("ApiError: POST /x: 409 Conflict: taken");
  });

  it("counts one attempt, and has a cause only when given one", () => {
    const bare = new ApiError("x", { status: 0 });
    const caused = new ApiError("x", { status: 0, cause: "why" });
    expect([bare.attempts, "cause" in bare, caused.cause]).toEqual([1, false, "why"]);
  });
});

describe("describeFailure", () => {
  it.each([
    ["ECONNREFUSED", "connection refused (ECONNREFUSED)"],
    ["ECONNRESET", "connection reset by the server (ECONNRESET)"],
    ["EPIPE", "connection closed by the server (EPIPE)"],
    ["UND_ERR_SOCKET", "connection closed by the server (UND_ERR_SOCKET)"],
    ["ENOTFOUND", "host not found (ENOTFOUND)"],
    ["EAI_AGAIN", "host name lookup failed (EAI_AGAIN)"],
    ["ETIMEDOUT", "connection timed out (ETIMEDOUT)"],
    ["EHOSTUNREACH", "host unreachable (EHOSTUNREACH)"],
  ])("says %s in words, wrapped by fetch or handed over by node:http", (code, want) => {
    expect(describeFailure(fetchFailed(withCode(code, `connect ${code}`)), 30_000)).toBe(want);
    expect(describeFailure(withCode(code, `connect ${code}`), 30_000)).toBe(want);
  });

  it.each([
    ["a timeout, with the time it waited", named("TimeoutError"), 5000, "no answer within 5000 ms"],
    ["an abort", named("AbortError"), 5000, "aborted"],
    ["a DOMException timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), 30_000, "no answer within 30000 ms"],
    ["a DOMException abort", new DOMException("This operation was aborted", "AbortError"), 30_000, "aborted"],
    ["a TLS error, with its code and message", fetchFailed(withCode("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate")), 0, "request failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate)"],
    ["a code that is not a string", withCode(42, "odd"), 0, "request failed (42: odd)"],
    ["a code named like an Object.prototype member", withCode("toString", "odd"), 0, "request failed (toString: odd)"],
    ["an error without a code", new Error("boom"), 0, "request failed (boom)"],
    ["a thrown string", "weird", 0, "request failed (weird)"],
    ["null", null, 0, "request failed (null)"],
    ["undefined", undefined, 0, "request failed (undefined)"],
  ])("describes %s", (_name, error, timeoutMs, want) => {
    expect(describeFailure(error, timeoutMs)).toBe(want);
  });

  // Regression (found by these tests, fixed): when fetch's cause has no code (a bad port such as 6000, a base URL without http://), the message is fetch's useless "fetch failed", not the cause's.
  it.each([
    ["a port fetch refuses to use", "bad port"],
    ["a URL without a known scheme", "unknown scheme"],
  ])("gives the cause's message for %s", (_name, message) => {
    expect(describeFailure(fetchFailed(new Error(message)), 0)).toBe(`request failed (${message})`);
  });
});

describe("excerpt", () => {
  it.each([
    ["", 200, ""],
    ["x".repeat(200), 200, "x".repeat(200)],
    ["x".repeat(201), 200, `${"x".repeat(200)}...`],
    ["abcdef", 3, "abc..."],
  ])("%j (limit %i): %j", (text, limit, want) => {
    expect(excerpt(text, limit)).toBe(want);
  });

  it("keeps 200 characters by default", () => {
    expect(excerpt("y".repeat(500))).toBe(`${"y".repeat(200)}...`);
  });
});

describe("escapeControls", () => {
  it.each([
    ["line breaks and tabs as their short escapes", "a\r\nb\tc", "a\\r\\nb\\tc"],
    ["ANSI escapes, NUL, DEL and C1 controls as \\u escapes", "\u001b[31mred\u0000\u007f\u0085\u009b", "\\u001b[31mred\\u0000\\u007f\\u0085\\u009b"],
    ["the Unicode line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["bidirectional overrides and marks", "\u202eevil\u202c\u2066x\u2069\u200e\u200f\u061c", "\\u202eevil\\u202c\\u2066x\\u2069\\u200e\\u200f\\u061c"],
    ["printable text, backslashes and non-ASCII as they are", 'ok "ü" \\n €', 'ok "ü" \\n €'],
  ])("writes %s", (_name, text, want) => {
    expect(escapeControls(text)).toBe(want);
  });

  it("applies to every ApiError message", () => {
    expect(new ApiError("GET /x: 409: a\nb\u001b[0m", { status: 409 }).message).toBe("GET /x: 409: a\\nb\\u001b[0m");
  });

  it("leaves a reason that is not a string out of ApiError.reason", () => {
    expect(new ApiError("x", { status: 500, statusObject: { kind: "Status", reason: { evil: true } as unknown as string } }).reason).toBeUndefined();
  });
});

describe("excerpt, at a surrogate pair", () => {
  it("never ends on half a pair", () => {
    expect(excerpt("ab😀cd", 3)).toBe("ab...");
    expect(excerpt("ab😀cd", 4)).toBe("ab😀...");
  });
});
