/**
 * A JSON reader that remembers the line each value starts on, so a configuration error can name the
 * line to fix. Strict JSON (RFC 8259); duplicate keys are refused, since a plan file that says one
 * thing twice is a mistake, not an override.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface LocatedJson {
  readonly value: JsonValue;
  /** The line (1-based) where the value at a path (`a.b[2].c`) starts; the nearest known parent otherwise. */
  lineOf(path: string): number;
}

export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export const JSON_DEPTH_MAX = 32;

/** `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> `` (the root). */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut <= 0 ? "" : path.slice(0, cut);
}

// JSON strings may not hold raw control characters (RFC 8259, section 7), hence the range below.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is what JSON forbids
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseLocatedJson(text: string): LocatedJson {
  const lines = new Map<string, number>();
  let at = 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(line, message);
  };
  const skipSpace = (): void => {
    while (at < text.length) {
      const ch = text[at];
      if (ch === "\n") line += 1;
      else if (ch !== " " && ch !== "\t" && ch !== "\r") return;
      at += 1;
    }
  };
  const expect = (literal: string): void => {
    if (text.startsWith(literal, at)) at += literal.length;
    else fail(`expected ${literal}`);
  };
  const word = <T extends JsonValue>(literal: string, value: T): T => {
    expect(literal);
    return value;
  };
  /** Step past a closing bracket and hand back the finished container. */
  const close = <T extends JsonValue>(result: T): T => {
    at += 1;
    return result;
  };

  const readString = (): string => {
    STRING.lastIndex = at;
    const match = STRING.exec(text);
    if (match === null) return fail("malformed string");
    at += match[0].length;
    return JSON.parse(match[0]) as string;
  };

  const readNumber = (): number => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match === null) return fail("unexpected character");
    at += match[0].length;
    return Number(match[0]);
  };

  const readValue = (path: string, depth: number): JsonValue => {
    skipSpace();
    lines.set(path, line);
    if (depth > JSON_DEPTH_MAX) fail(`nested deeper than ${JSON_DEPTH_MAX}`);
    const ch = text[at];
    if (ch === "{") return readObject(path, depth);
    if (ch === "[") return readArray(path, depth);
    if (ch === '"') return readString();
    if (ch === "t") return word("true", true);
    if (ch === "f") return word("false", false);
    if (ch === "n") return word("null", null);
    if (ch === undefined) return fail("unexpected end of file");
    return readNumber();
  };

  const readObject = (path: string, depth: number): JsonValue => {
    at += 1;
    const result: { [key: string]: JsonValue } = {};
    skipSpace();
    if (text[at] === "}") return close(result);
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail("expected a quoted key");
      const key = readString();
      if (Object.hasOwn(result, key)) fail(`key "${key}" appears twice`);
      skipSpace();
      expect(":");
      // Defined rather than assigned, so a key named "__proto__" is data, as JSON.parse makes it.
      Object.defineProperty(result, key, {
        value: readValue(path === "" ? key : `${path}.${key}`, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipSpace();
      if (text[at] === ",") at += 1;
      else if (text[at] === "}") return close(result);
      else fail("expected , or }");
    }
  };

  const readArray = (path: string, depth: number): JsonValue => {
    at += 1;
    const result: JsonValue[] = [];
    skipSpace();
    if (text[at] === "]") return close(result);
    for (;;) {
      result.push(readValue(`${path}[${result.length}]`, depth + 1));
      skipSpace();
      if (text[at] === ",") at += 1;
      else if (text[at] === "]") return close(result);
      else fail("expected , or ]");
    }
  };

  const value = readValue("", 0);
  skipSpace();
  if (at < text.length) fail("unexpected text after the end");
  return {
    value,
    lineOf(path) {
      for (let probe = path; ; probe = parentPath(probe)) {
        const found = lines.get(probe);
        if (found !== undefined) return found;
        if (probe === "") return 1;
      }
    },
  };
}
