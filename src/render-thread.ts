import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { GenBindingError } from "./errors.js";
import type { RenderSettings, Rendered } from "./render.js";
import type { RenderAnswer, RenderJob } from "./render-worker.js";
import type { Selection } from "./select.js";
import { restoreTurbofan } from "./v8-flags.js";
import { workersSetting } from "./workers-setting.js";

const WORKER_FILE = fileURLToPath(new URL("./render-worker.js", import.meta.url));

/**
 * The render thread's heap. Limits make V8 grow it by a smaller factor (x1.4 at 512 MB instead of up to x4),
 * so that TypeScript's garbage does not pile up; a model that needs more kills the thread, and is then
 * rendered on the main thread, without the limit.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

/** Selections smaller than this (operations plus definitions) render on the main thread. */
const MIN_SIZE_FOR_THREAD = 500;

/** model -> emit -> outline (see render.ts), on the main thread or on a thread of its own. */
export interface RenderStage {
  render(selection: Selection, origin: string): Promise<Rendered>;
  /** Renders stubs of handler methods (on this thread: the emitters are loaded here if they were elsewhere). */
  handlerStubs(selection: Selection, origin: string, reserved: readonly string[] | undefined): Promise<(name: string) => string>;
  /** Ends the thread, if there is one: its memory goes back to the system. */
  close(): Promise<void>;
}

/**
 * The render stage for a selection of this size (operations plus definitions). Big ones render on a worker
 * thread: TypeScript, openapi-typescript and handlebars then never load into the main thread, and their
 * garbage goes away with the thread instead of staying in the main heap while the output is formatted
 * (peak memory). Small ones render here: starting a thread costs more than it saves. Running from the
 * TypeScript sources (tests), there is no worker script and everything renders here. `resourceLimits`: the
 * thread's heap (tests give less, to see a thread die).
 */
export async function startRenderStage(settings: RenderSettings, selectionSize: number, resourceLimits: ResourceLimits = RESOURCE_LIMITS): Promise<RenderStage> {
  const setting = workersSetting();
  const onThread = setting === undefined ? selectionSize >= MIN_SIZE_FOR_THREAD : setting > 0;
  if (!onThread || !existsSync(WORKER_FILE)) return renderHere(settings);
  // Seconds of rendering and formatting follow: TurboFan pays for itself there (every kind: -0.8 s of 4.8 s).
  restoreTurbofan();
  return new RenderThread(settings, resourceLimits);
}

async function renderHere(settings: RenderSettings): Promise<RenderStage> {
  const { Renderer } = await import("./render.js");
  const renderer = new Renderer(settings);
  return {
    render: async (selection, origin) => renderer.render(selection, origin),
    handlerStubs: async (selection, origin, reserved) => renderer.handlerStubs(selection, origin, reserved),
    close: async () => {},
  };
}

class RenderThread implements RenderStage {
  readonly #settings: RenderSettings;
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #pending: { job: RenderJob; resolve: (rendered: Rendered) => void; reject: (error: Error) => void } | undefined;
  #fallback: Promise<RenderStage> | undefined;

  constructor(settings: RenderSettings, resourceLimits: ResourceLimits) {
    this.#settings = settings;
    this.#worker = new Worker(WORKER_FILE, { workerData: settings, resourceLimits });
    this.#worker.on("message", (answer: RenderAnswer) => this.#answered(answer));
    // A thread that fails exits too: its model is rendered here then.
    this.#worker.on("error", () => {});
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve(this.#exit())));
  }

  render(selection: Selection, origin: string): Promise<Rendered> {
    if (this.#fallback) return this.#fallback.then((stage) => stage.render(selection, origin));
    return new Promise((resolve, reject) => {
      const job = { selection, origin };
      this.#pending = { job, resolve, reject };
      this.#worker.postMessage(job satisfies RenderJob);
    });
  }

  async handlerStubs(selection: Selection, origin: string, reserved: readonly string[] | undefined): Promise<(name: string) => string> {
    return (this.#fallback ??= renderHere(this.#settings)).then((stage) => stage.handlerStubs(selection, origin, reserved));
  }

  async close(): Promise<void> {
    this.#worker.postMessage(null);
    await this.#exited;
  }

  #answered(answer: RenderAnswer): void {
    const pending = this.#pending!;
    this.#pending = undefined;
    if ("rendered" in answer) return pending.resolve(answer.rendered);
    const { message, stack, exitCode } = answer.error;
    const error = exitCode === undefined ? new Error(message) : new GenBindingError(message, exitCode);
    if (exitCode === undefined && stack !== undefined) error.stack = stack;
    pending.reject(error);
  }

  #exit(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return;
    this.#fallback ??= renderHere(this.#settings);
    this.render(pending.job.selection, pending.job.origin).then(pending.resolve, pending.reject);
  }
}
