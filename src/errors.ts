/**
 * The one error type for problems the user can fix: bad flags, unreadable or malformed input, a kind
 * that is not in the document. The CLI prints `message` as a single line and exits with `exitCode`.
 */
export class GenBindingError extends Error {
  override readonly name = "GenBindingError";
  /** 2 for bad usage or bad input (the CLI's contract). */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Encodes one JSON-pointer token (RFC 6901) so error messages point exactly at the failing node. */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Builds a JSON pointer (`#/paths/~1api~1v1/post`) from path tokens. */
export function jsonPointer(tokens: readonly (string | number)[]): string {
  return "#" + tokens.map((t) => "/" + pointerToken(t)).join("");
}
