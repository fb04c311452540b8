// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/client-streams.ts), never in an output: the next run would put it back.
import { ApiError, describeFailure } from "./api-error.js";
import { fetchWithinOrigin, readText } from "./bounded-fetch.js";
import {
  type ClientFeatures,
  type RequestSpec,
  type StreamInit,
  type Transport,
  answerError,
} from "./client.js";
import { readChunks, textChunks } from "./stream.js";
import { type WatchEvent, watchEvents } from "./watch.js";

export type { StreamInit } from "./client.js";
export type { WatchBookmark, WatchEvent } from "./watch.js";
export {
  type Informer,
  type InformerEvent,
  type InformerOptions,
  listThenWatch,
  objectKey,
} from "./informer.js";

/** How long a watch may stay silent before it fails, unless told otherwise: 5 minutes. */
const DEFAULT_WATCH_IDLE_MS = 300_000;

/**
 * Watches and followed logs, for `createClient(table, options, streams)`: an output whose operations have
 * neither does without this module.
 */
export const streams: Required<Pick<ClientFeatures, "watch" | "follow">> = {
  /** A watch: its events as they arrive. */
  async *watch(transport, spec, init): AsyncGenerator<WatchEvent<unknown>> {
    const request = spec();
    yield* watchEvents(
      stream(transport, request, init, DEFAULT_WATCH_IDLE_MS),
      `${request.method} ${request.path}`,
      transport.maxBytes,
    );
  },
  /** A followed log: its text as it arrives. */
  async *follow(transport, spec, init): AsyncGenerator<string> {
    yield* textChunks(stream(transport, spec(), init, 0));
  },
};

/**
 * The body of a streamed answer, chunk by chunk: `timeoutMs` bounds the wait for the status and headers,
 * `idleTimeoutMs` each wait for more. Not retried: a watch is resumed by its caller, from the resource
 * version it reached. An abort by the caller ends the stream quietly.
 */
async function* stream(
  transport: Transport,
  spec: RequestSpec,
  init: StreamInit | undefined,
  defaultIdleMs: number,
): AsyncGenerator<Uint8Array> {
  const { doFetch, timeoutMs, maxBytes } = transport;
  const { url, request, label } = await transport.prepareRequest(spec, init);
  const callerSignal = init?.signal;
  if (callerSignal?.aborted) return;
  const controller = new AbortController();
  const forward = () => controller.abort(callerSignal!.reason);
  callerSignal?.addEventListener("abort", forward, { once: true });
  try {
    const headTimer =
      timeoutMs > 0
        ? setTimeout(() => controller.abort(new DOMException("head", "TimeoutError")), timeoutMs)
        : undefined;
    let response: Response;
    try {
      response = await fetchWithinOrigin(
        doFetch,
        url,
        { ...request, signal: controller.signal },
        label,
      );
    } catch (error) {
      if (callerSignal?.aborted) return;
      if (error instanceof ApiError) throw error;
      throw new ApiError(`${label}: ${describeFailure(error, timeoutMs)}`, {
        status: 0,
        cause: error,
      });
    } finally {
      clearTimeout(headTimer);
    }
    if (!response.ok || !response.body) {
      const text = await readText(response, maxBytes, label).catch((error: unknown) => {
        if (error instanceof ApiError) throw error;
        return "";
      });
      throw answerError(label, response, text);
    }
    const idleTimeoutMs = init?.idleTimeoutMs ?? transport.idleTimeoutMs ?? defaultIdleMs;
    yield* readChunks({ body: response.body, controller, callerSignal, idleTimeoutMs, label });
  } finally {
    callerSignal?.removeEventListener("abort", forward);
    controller.abort();
  }
}
