import { parentPort } from "node:worker_threads";
import { formatTypeScript } from "./format.js";

/** A batch for a worker to format (see format-pool.ts); `null` says there will be no more. */
export interface FormatJob {
  id: number;
  fileName: string;
  text: string;
}

/** A worker's answer: the formatted batch, or the message of the error formatting it threw. */
export type FormatAnswer = { id: number; formatted: string } | { id: number; error: string };

// A worker thread of the format pool: prettier loaded once, then one batch at a time. When the pool closes
// the port, the thread runs out of work and exits normally, which saves the code cache (code-cache.ts).
const port = parentPort!;
port.on("message", (job: FormatJob | null) => {
  if (job === null) return port.close();
  formatTypeScript(job.text, job.fileName).then(
    (formatted) => port.postMessage({ id: job.id, formatted } satisfies FormatAnswer),
    (error: unknown) => port.postMessage({ id: job.id, error: (error as Error).message } satisfies FormatAnswer),
  );
});
