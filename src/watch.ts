import { type FSWatcher, watch } from "node:fs";
import { dirname, resolve } from "node:path";
import { BUILTIN_TEMPLATE_DIR } from "./template-sources.js";

/** What `--watch` watches and runs. */
export interface WatchOptions {
  spec: string;
  templates: string | undefined;
  /** One regeneration; it reports its own outcome (and must not throw for bad input). */
  run: () => Promise<void>;
  debounceMs?: number;
  /** Where to say that the watch started and ended. */
  log: (line: string) => void;
}

/**
 * Runs once, then again whenever the spec file or a template changes (debounced, never two runs at once),
 * until SIGINT or SIGTERM; resolves when it has stopped. The spec's folder is watched rather than the file,
 * so editors that replace the file on save are seen too.
 */
export async function watchAndRegenerate(options: WatchOptions): Promise<void> {
  const specPath = resolve(options.spec);
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
  watchers.push(watch(dirname(specPath), (_event, file) => (file === null || resolve(dirname(specPath), file.toString()) === specPath) && trigger()));
  for (const dir of [BUILTIN_TEMPLATE_DIR, options.templates]) if (dir) watchers.push(watch(dir, (_event, file) => (file === null || file.toString().endsWith(".hbs")) && trigger()));
  await options.run();
  options.log(`watching ${options.spec}${options.templates ? ` and ${options.templates}` : ""} (Ctrl-C to stop)`);
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
