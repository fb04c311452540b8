import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { joinFormatted, splitIntoBatches } from "./format-batches.js";
import type { FormatAnswer, FormatJob } from "./format-worker.js";
import { restoreTurbofan } from "./v8-flags.js";
import { workersSetting } from "./workers-setting.js";

const WORKER_FILE = fileURLToPath(new URL("./format-worker.js", import.meta.url));

/**
 * Each worker's heap. The limit on the old generation is what keeps a worker small: V8 grows a heap by a
 * factor that is smaller for smaller limits (x1.3 up to 256 MB, up to x4 on big machines), and prettier
 * leaves a lot of garbage. A batch that needs more than this kills the worker, and is then formatted on
 * the main thread, without the limit.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 12 };

/** Batches a worker holds at once: while the main thread is busy (outlining), a worker still has work. */
const IN_FLIGHT = 2;

interface QueuedJob extends FormatJob {
  resolve: (formatted: string) => void;
  reject: (error: Error) => void;
}

/**
 * Formats batches of top-level statements on worker threads, each running prettier as format.ts does, the
 * biggest batch first. The main thread, which then never loads prettier, only cuts and joins. A worker that
 * dies (out of memory under its limit) hands its batches to the main thread; errors in the emitted code are
 * reported as formatTypeScript reports them.
 */
export class FormatPool {
  readonly #running = new Map<Worker, QueuedJob[]>();
  /** Sorted by size, biggest last. */
  readonly #queue: QueuedJob[] = [];
  readonly #exits: Array<Promise<void>> = [];
  #nextId = 0;
  #closing = false;

  /**
   * A pool of `size` workers, or undefined when there is no worker script (running from the sources).
   * `resourceLimits`: each worker's heap (tests give less, to see what a worker that dies leaves).
   */
  static start(size: number, resourceLimits: ResourceLimits = RESOURCE_LIMITS): FormatPool | undefined {
    return existsSync(WORKER_FILE) ? new FormatPool(size, resourceLimits) : undefined;
  }

  private constructor(size: number, resourceLimits: ResourceLimits) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_FILE, { resourceLimits });
      this.#running.set(worker, []);
      worker.on("message", (answer: FormatAnswer) => this.#answered(worker, answer));
      // A worker that fails exits too: its batches are taken care of there.
      worker.on("error", () => {});
      this.#exits.push(new Promise((resolve) => worker.once("exit", () => resolve(this.#exited(worker)))));
    }
  }

  /** The module formatted, with the bytes formatModule (format.ts) gives. */
  async formatModule(source: string, fileName: string, statementStarts: readonly number[]): Promise<string> {
    const batches = splitIntoBatches(source, statementStarts);
    const formatted = await Promise.all(batches.map((batch) => this.#submit(fileName, batch.text)));
    return joinFormatted(batches, formatted);
  }

  /** Lets the workers exit (saving their code cache when they made one); batches not formatted yet are dropped. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const worker of this.#running.keys()) worker.postMessage(null);
    await Promise.all(this.#exits);
  }

  #submit(fileName: string, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const job = { id: this.#nextId++, fileName, text, resolve, reject };
      let at = this.#queue.length;
      while (at > 0 && this.#queue[at - 1]!.text.length > text.length) at--;
      this.#queue.splice(at, 0, job);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    if (this.#running.size === 0) return this.#formatHere(this.#queue.splice(0));
    for (let depth = 1; depth <= IN_FLIGHT; depth++) {
      for (const [worker, jobs] of this.#running) {
        if (jobs.length >= depth || this.#queue.length === 0) continue;
        const job = this.#queue.pop()!;
        jobs.push(job);
        worker.postMessage({ id: job.id, fileName: job.fileName, text: job.text } satisfies FormatJob);
      }
    }
  }

  #answered(worker: Worker, answer: FormatAnswer): void {
    const jobs = this.#running.get(worker)!;
    const job = jobs.splice(jobs.findIndex((j) => j.id === answer.id), 1)[0]!;
    if ("error" in answer) job.reject(new Error(answer.error));
    else job.resolve(answer.formatted);
    this.#dispatch();
  }

  #exited(worker: Worker): void {
    const jobs = this.#running.get(worker) ?? [];
    this.#running.delete(worker);
    // Closing after a failure: what is left is not wanted any more.
    if (this.#closing) return;
    this.#formatHere(jobs);
    this.#dispatch();
  }

  /** Batches left by a worker that died: formatted on this thread, with no heap limit but the process's. */
  #formatHere(jobs: readonly QueuedJob[]): void {
    if (jobs.length === 0) return;
    void import("./format.js").then(async ({ formatTypeScript }) => {
      for (const job of jobs) await formatTypeScript(job.text, job.fileName).then(job.resolve, job.reject);
    });
  }
}

/** Below this much emitted text, starting workers costs more than it saves. */
const MIN_CHARS_FOR_WORKERS = 512 * 1024;

/** Formatting is spread over at most this many workers (each has a heap of its own). */
const MAX_WORKERS = 4;

/**
 * A pool for formatting this much emitted text, or undefined when formatting it on this thread is better:
 * small outputs, one core, or no worker script (running from the sources).
 */
export function startFormatPool(totalChars: number): FormatPool | undefined {
  const setting = workersSetting();
  const size = setting ?? Math.min(availableParallelism(), MAX_WORKERS, Math.ceil(totalChars / MIN_CHARS_FOR_WORKERS));
  if (size < 1 || (setting === undefined && size < 2)) return undefined;
  restoreTurbofan();
  return FormatPool.start(size);
}
