import { parentPort, workerData } from "node:worker_threads";
import { GenBindingError } from "./errors.js";
import { type RenderSettings, type Rendered, Renderer } from "./render.js";
import type { Selection } from "./select.js";

/** A selection to render on the render thread; `null` says there will be no more. */
export interface RenderJob {
  selection: Selection;
  origin: string;
}

/** The render thread's answer: what it rendered, or why it could not. */
export type RenderAnswer = { rendered: Rendered } | { error: { message: string; stack: string | undefined; exitCode: number | undefined } };

// The render thread (see render-thread.ts): TypeScript, openapi-typescript and handlebars live and leave
// their garbage here, in a heap of its own that goes back to the system when the thread ends.
const port = parentPort!;
const renderer = new Renderer(workerData as RenderSettings);
port.on("message", (job: RenderJob | null) => {
  if (job === null) return port.close();
  try {
    port.postMessage({ rendered: renderer.render(job.selection, job.origin) } satisfies RenderAnswer);
  } catch (error) {
    const { message, stack } = error as Error;
    port.postMessage({ error: { message, stack, exitCode: error instanceof GenBindingError ? error.exitCode : undefined } } satisfies RenderAnswer);
  }
});
