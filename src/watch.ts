import { type FSWatcher, watch } from "node:fs";
import { dirname, resolve } from "node:path";
import { BUILTIN_TEMPLATE_DIR } from "./template-sources.js";

/** What `--watch` watches and runs. */
export interface WatchOptions {
  /** The spec files (several documents are watched together). */
  specs: readonly string[];
  templates: string | undefined;
  /** One regeneration; it reports its own outcome (and must not throw for bad input). */
  run: () => Promise<void>;
  debounceMs?: number;
  /** Where to say that the watch started and ended. */
  log: (line: string) => void;
}

/**
 * Runs once, then again whenever a spec file or a template changes (debounced, never two runs at once),
 * until SIGINT or SIGTERM; resolves when it has stopped. The specs' folders are watched rather than the
 * files, so editors that replace a file on save are seen too.
 */
export async function watchAndRegenerate(options: WatchOptions): Promise<void> {
  const specPaths = new Set(options.specs.map((spec) => resolve(spec)));
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(runNow, options.debounceMs ?? 100);
  };
  const runNow = () => {
    if (running) {
      again = true;
      return;
    }
    running = options.run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        runNow();
      }
    });
  };
  for (const dir of new Set([...specPaths].map((path) => dirname(path)))) {
    watchers.push(watch(dir, (_event, file) => (file === null || specPaths.has(resolve(dir, file.toString()))) && trigger()));
  }
  for (const dir of [BUILTIN_TEMPLATE_DIR, options.templates]) if (dir) watchers.push(watch(dir, (_event, file) => (file === null || file.toString().endsWith(".hbs")) && trigger()));
  await options.run();
  options.log(`watching ${options.specs.join(", ")}${options.templates ? ` and ${options.templates}` : ""} (Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      void (running ?? Promise.resolve()).then(() => {
        options.log("stopped watching");
        done();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
