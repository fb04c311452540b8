// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/bounded-fetch.ts), never in an output: the next run would put it back.
import { ApiError, excerpt } from "./api-error.js";

/**
 * The most bytes of one answer (and of one watch event) the client reads unless told otherwise: 256 MiB.
 * A PodList weighs about 5 KiB per pod as the apiserver writes it (managed fields included), so this holds
 * some 50,000 pods; a longer list is read in pages (`limit` and `continue`). JavaScript strings stop at
 * about 512 MiB in any case.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** How many redirects within its origin one request follows. */
export const MAX_REDIRECTS = 10;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends a request, following redirects only within its origin: a token, the caller's headers (such as
 * `Impersonate-User`) and the body go to the server they were meant for and to no other. A redirect to
 * another origin is an `ApiError`, and so is a 301, 302 or 303 answering anything but GET or HEAD (it
 * would turn the request into a GET, whose answer is not the answer to the request). 307 and 308 are
 * followed with the same method, headers and body. Failures of the fetch itself are thrown as they are.
 */
export async function fetchWithinOrigin(
  doFetch: Fetch,
  url: string,
  request: RequestInit,
  label: string,
): Promise<Response> {
  const origin = new URL(url).origin;
  const method = request.method ?? "GET";
  let target = url;
  for (let redirects = 0; ; redirects++) {
    const response = await doFetch(target, { ...request, redirect: "manual" });
    // A browser hides where a redirect goes; it is not followed there either.
    if (response.type === "opaqueredirect")
      throw new ApiError(`${label}: the server redirected; not followed`, { status: 0 });
    const location = REDIRECTS.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    void response.body?.cancel().catch(() => undefined);
    const refuse = (why: string) =>
      new ApiError(`${label}: the server redirected (${response.status}) ${why}`, {
        status: response.status,
        headers: response.headers,
      });
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      throw refuse(`to ${excerpt(location)}, which is not a URL`);
    }
    if (next.origin !== origin || next.origin === "null")
      throw refuse(
        `to another origin, ${excerpt(next.origin === "null" ? next.href : next.origin)}: not followed, so that the token, headers and body stay with ${origin}`,
      );
    if (response.status <= 303 && method !== "GET" && method !== "HEAD")
      throw refuse(
        `to ${excerpt(location)}, which would turn the ${method} into a GET: not followed`,
      );
    if (redirects === MAX_REDIRECTS)
      throw new ApiError(`${label}: more than ${MAX_REDIRECTS} redirects`, {
        status: response.status,
        headers: response.headers,
      });
    target = next.href;
  }
}

/**
 * The body as UTF-8 text, read only up to `maxBytes`: a longer body (announced by `Content-Length`, or
 * found while reading) is cancelled, which closes the connection, and fails with an `ApiError` that names
 * the limit. A body cut off mid-way rejects with the transport's error.
 */
export async function readText(
  response: Response,
  maxBytes: number,
  label: string,
): Promise<string> {
  const tooLarge = () =>
    new ApiError(
      `${label}: the ${response.status} answer is larger than maxResponseBytes (${maxBytes} bytes); page a long list with limit and continue, or raise the limit`,
      { status: response.status, headers: response.headers },
    );
  if (Number(response.headers.get("content-length")) > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}
