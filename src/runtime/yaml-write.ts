// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/yaml-write.ts), never in an output: the next run would put it back.

/**
 * A JSON value as block YAML, the way kube-apiserver writes `application/yaml` answers: keys sorted,
 * sequences in a mapping not indented, `{}` and `[]` for empty collections. A string is written plain only
 * when no YAML 1.1 or 1.2 reader can take it for anything else (a number, a boolean, null, a date, an
 * indicator); otherwise double-quoted, with every character a YAML stream may not carry escaped.
 */
export function toYaml(value: unknown): string {
  const lines: string[] = [];
  writeValue(value, "", lines);
  return lines.join("\n") + "\n";
}

function writeValue(value: unknown, indent: string, lines: string[]): void {
  if (Array.isArray(value) && value.length > 0) {
    // A sequence under a mapping key sits at the key's indentation (as yaml.v2 writes it).
    for (const item of value) {
      if (isCollection(item)) {
        const nested: string[] = [];
        writeValue(item, `${indent}  `, nested);
        lines.push(`${indent}- ${nested[0]!.slice(indent.length + 2)}`, ...nested.slice(1));
      } else lines.push(`${indent}- ${scalar(item)}`);
    }
    return;
  }
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) {
      const item = value[key];
      if (isCollection(item)) {
        lines.push(`${indent}${scalar(key)}:`);
        writeValue(item, Array.isArray(item) ? indent : `${indent}  `, lines);
      } else lines.push(`${indent}${scalar(key)}: ${scalar(item)}`);
    }
    return;
  }
  lines.push(`${indent}${scalar(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty array or object: written as a block of its own. */
function isCollection(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isObject(value) && Object.keys(value).length > 0;
}

/**
 * Words some YAML reader takes for a boolean or null (YAML 1.1 has y/n/yes/no/on/off), and an exponent with
 * no digits before it (`e5`: a number to some YAML 1.1 readers).
 */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~|e[-+]?\d.*)$/i;
/** Starts with a letter, `_` or `/`; then letters, digits and `_ . / - @ = +`, or `:` not before a space or the end. */
const PLAIN = /^[A-Za-z_/](?:[A-Za-z0-9_./@=+-]|:(?=[^ ]))*$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (Array.isArray(value)) return "[]";
  if (typeof value === "object") return "{}";
  const text = String(value);
  if (PLAIN.test(text) && !RESERVED.test(text)) return text;
  return quoted(text);
}

/**
 * JSON's escapes are YAML's double-quoted escapes; YAML also refuses DEL, C1 controls, line and paragraph
 * separators, the byte order mark and lone surrogates in a stream, so those are escaped too (a lone
 * surrogate as U+FFFD, as Go's encoder writes it).
 */
function quoted(text: string): string {
  return JSON.stringify(text)
    .replace(/\\(?:u(d[89a-f])[0-9a-f]{2}|.)/gi, (escape, surrogate?: string) =>
      surrogate ? "\\ufffd" : escape,
    )
    .replace(
      /[\u007f-\u009f\u2028\u2029\ufeff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}
