// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/yaml-subset.ts), never in an output: the next run would put it back.

type Entry = Record<string, unknown>;

interface Line {
  indent: number;
  text: string;
  number: number;
}

/**
 * The block-style YAML kubectl writes: mappings, sequences (also at their key's indentation), plain and
 * quoted scalars, comments, `{}` and `[]`. Anchors, tags, flow collections with content, block scalars and
 * multiple documents are refused with the line number.
 */
export function parseYamlSubset(text: string): unknown {
  const lines: Line[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const content = stripComment(raw);
    if (content.trim() === "" || (lines.length === 0 && content.trim() === "---")) continue;
    if (content.includes("\t") && /^\s*\t/.test(content))
      throw new Error(`line ${index + 1}: tabs are not allowed for indentation`);
    lines.push({
      indent: content.length - content.trimStart().length,
      text: content.trim(),
      number: index + 1,
    });
  }
  if (lines.length === 0) return {};
  const state = { lines, at: 0 };
  const value = parseBlock(state, lines[0]!.indent);
  if (state.at < lines.length)
    throw new Error(`line ${lines[state.at]!.number}: unexpected indentation`);
  return value;
}

function parseBlock(state: { lines: Line[]; at: number }, indent: number): unknown {
  const first = state.lines[state.at]!;
  if (first.text === "-" || first.text.startsWith("- ")) {
    const items: unknown[] = [];
    while (
      state.at < state.lines.length &&
      state.lines[state.at]!.indent === indent &&
      isItem(state.lines[state.at]!.text)
    ) {
      const line = state.lines[state.at]!;
      const rest = line.text === "-" ? "" : line.text.slice(2).trimStart();
      if (rest === "") {
        state.at++;
        items.push(nested(state, indent, false));
      } else if (keyValue(rest)) {
        // "- key: value": the item is a mapping whose keys line up with this first one.
        const column = line.indent + line.text.length - rest.length;
        state.lines[state.at] = { ...line, indent: column, text: rest };
        items.push(parseBlock(state, column));
      } else {
        state.at++;
        items.push(scalar(rest, line.number));
      }
    }
    return items;
  }
  const mapping: Entry = {};
  while (state.at < state.lines.length && state.lines[state.at]!.indent === indent) {
    const line = state.lines[state.at]!;
    const pair = keyValue(line.text);
    if (!pair || isItem(line.text)) throw new Error(`line ${line.number}: expected "key: value"`);
    state.at++;
    // defineProperty: a key `__proto__` is data, not the mapping's prototype.
    Object.defineProperty(mapping, pair.key, {
      value: pair.value === "" ? nested(state, indent, true) : scalar(pair.value, line.number),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return mapping;
}

/** The value of a key or item written on the following lines: deeper, or a sequence at the key's indentation. */
function nested(
  state: { lines: Line[]; at: number },
  indent: number,
  sequenceMayAlign: boolean,
): unknown {
  const next = state.lines[state.at];
  if (
    next &&
    (next.indent > indent || (sequenceMayAlign && next.indent === indent && isItem(next.text)))
  )
    return parseBlock(state, next.indent);
  return null;
}

function isItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

/**
 * `key: value`, `key:` or `"quoted key": value`. Found by position, not by one regex for the whole line: a
 * lazy key followed by optional spaces backtracks over every space, quadratic on a long line (a 100 KB line
 * took 4 s).
 */
function keyValue(text: string): { key: string; value: string } | undefined {
  const quoted = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(text)?.[0];
  if (quoted !== undefined) {
    const rest = text.slice(quoted.length).trimStart();
    const value = rest.startsWith(":") ? valueAfterColon(rest.slice(1)) : undefined;
    return value === undefined ? undefined : { key: scalar(quoted, 0) as string, value };
  }
  // A plain key holds no colon, so the first colon ends it.
  const colon = text.indexOf(":");
  const key = text.slice(0, Math.max(colon, 0)).trimEnd();
  if (colon === -1 || !(/^[^\s"'#{}[\],&*!|>%@`-]/.test(key) || /^-[^\s:]/.test(key)))
    return undefined;
  const value = valueAfterColon(text.slice(colon + 1));
  return value === undefined ? undefined : { key, value };
}

/** What follows a key's colon: nothing, or white space and the value (on this line). */
function valueAfterColon(rest: string): string | undefined {
  if (rest !== "" && !/^\s/.test(rest)) return undefined;
  const value = rest.trimStart();
  return /[\n\r\u2028\u2029]/.test(value) ? undefined : value;
}

function scalar(text: string, line: number): unknown {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new Error(`line ${line}: unsupported double-quoted string ${text}`);
    }
  }
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text))
      throw new Error(`line ${line}: unterminated single-quoted string`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text === "{}") return {};
  if (text === "[]") return [];
  if (/^[[{&*!|>%@`]/.test(text))
    throw new Error(
      `line ${line}: ${JSON.stringify(text.slice(0, 20))}: flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here`,
    );
  if (text === "null" || text === "~") return null;
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/** Drops a `#` comment that starts a line or follows a space, outside quotes. */
function stripComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = "";
    } else if ((char === '"' || char === "'") && (i === 0 || line[i - 1] === " ")) {
      quote = char;
    } else if (char === "#" && (i === 0 || line[i - 1] === " ")) {
      return line.slice(0, i);
    }
  }
  return line;
}
