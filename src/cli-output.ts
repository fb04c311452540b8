import { styleText } from "node:util";

/** A colour or modifier of `node:util` `styleText`. */
export type Style = Parameters<typeof styleText>[0];

/** Where the CLI prints: standard output (results) and standard error (problems, timings). */
export interface CliOutput {
  /** `--quiet`: nothing on standard output. */
  quiet: boolean;
  /** Writes to standard output, unless `--quiet` or its reader went away (`gen-binding --check | head -1`). */
  out(text: string): void;
  /** Writes to standard error, unless its reader went away. */
  err(text: string): void;
  /** `text` styled for standard output: plain unless it is a terminal (or FORCE_COLOR), never with NO_COLOR. */
  paintOut(style: Style, text: string): string;
  /** The same for standard error. */
  paintErr(style: Style, text: string): string;
}

/**
 * The CLI's streams. A reader that goes away early (`| head -1`) makes the next write fail with EPIPE, which
 * Node reports as an `error` event on the stream: unhandled, that is a stack trace. Here it only stops further
 * writes to that stream; the run ends as it would have, with its own exit status.
 */
export function cliOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): CliOutput {
  const closed = new Set<NodeJS.WriteStream>();
  for (const stream of [stdout, stderr]) stream.on("error", () => closed.add(stream));
  const write = (stream: NodeJS.WriteStream, text: string): void => {
    if (!closed.has(stream) && !stream.destroyed) stream.write(text);
  };
  const output: CliOutput = {
    quiet: false,
    out: (text) => (output.quiet ? undefined : write(stdout, text)),
    err: (text) => write(stderr, text),
    paintOut: (style, text) => paint(style, text, stdout),
    paintErr: (style, text) => paint(style, text, stderr),
  };
  return output;
}

/**
 * `styleText` decides by the stream (a terminal, FORCE_COLOR, NODE_DISABLE_COLORS, TERM=dumb). NO_COLOR is
 * checked first: Node lets FORCE_COLOR win over it, and https://no-color.org asks that it always wins.
 */
function paint(style: Style, text: string, stream: NodeJS.WriteStream): string {
  if (process.env["NO_COLOR"]) return text;
  return styleText(style, text, { stream });
}
