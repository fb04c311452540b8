import { setFlagsFromString } from "node:v8";

// The CLI tunes V8 for a run of half a second, and gives a long run back what pays for itself there. V8
// flags belong to the process, not to a thread: they change only between stages, before the modules that
// the V8 code cache serves are loaded (code-cache.ts keys its caches by the flags). A library user's process
// keeps whatever it was started with: only what the CLI changed is changed back.

let turbofanOff = false;
let youngGenerationHeld = false;

/**
 * The CLI, at start. TurboFan off: it would spend more CPU on its background thread than its code saves
 * in a short run (-25% CPU time, -10 MiB). The young generation kept at its first size while the document
 * is read and selected: its objects live until the selection is made, so big semi-spaces only add memory
 * (-13 MiB on a 4 MB document, no measurable time).
 */
export function tuneForShortRun(): void {
  // --no-turbofan, not its older alias --no-opt, which newer V8 versions may not know.
  setFlagsFromString("--no-turbofan");
  setFlagsFromString("--semi-space-growth-factor=1");
  turbofanOff = youngGenerationHeld = true;
}

/** After the selection: young generations grow again (V8's default), for the emitters and prettier. */
export function releaseYoungGeneration(): void {
  if (!youngGenerationHeld) return;
  setFlagsFromString("--semi-space-growth-factor=2");
  youngGenerationHeld = false;
}

/**
 * Before rendering or formatting a big output (seconds of TypeScript, openapi-typescript and prettier):
 * TurboFan back on, if the CLI turned it off.
 */
export function restoreTurbofan(): void {
  if (!turbofanOff) return;
  setFlagsFromString("--turbofan");
  turbofanOff = false;
}
