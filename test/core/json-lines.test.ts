/**
 * The line-aware JSON reader against JSON.parse, the reference for what strict JSON is: it reads the
 * same values, refuses the same texts (and duplicate keys besides), names the line of each problem,
 * and remembers the line each value starts on.
 */
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  JSON_DEPTH_MAX,
  JsonSyntaxError,
  type JsonValue,
  type LocatedJson,
  parseLocatedJson,
} from "../../src/core/json-lines.js";

/** The error `parseLocatedJson` throws for a text, or a failure when it throws none or another kind. */
function syntaxErrorOf(text: string): JsonSyntaxError {
  try {
    parseLocatedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

const acceptedByJsonParse = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The 1-based line of a character offset. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split("\n").length;

/**
 * The layout `JSON.stringify(value, null, 2)` produces, built line by line so that the line each value
 * starts on is known independently of the reader under test.
 */
function layout(value: JsonValue): { text: string; lineOfPath: Map<string, number> } {
  const lines: string[] = [];
  const lineOfPath = new Map<string, number>();
  const put = (item: JsonValue, path: string, depth: number, lead: string, tail: string): void => {
    lineOfPath.set(path, lines.length + 1);
    const children: [string, string, JsonValue][] = Array.isArray(item)
      ? item.map((child, index) => [`${path}[${index}]`, "", child])
      : typeof item === "object" && item !== null
        ? Object.entries(item).map(([key, child]) => [
            path === "" ? key : `${path}.${key}`,
            `${JSON.stringify(key)}: `,
            child,
          ])
        : [];
    if (children.length === 0) {
      lines.push(`${lead}${JSON.stringify(item)}${tail}`);
      return;
    }
    const pad = "  ".repeat(depth);
    lines.push(`${lead}${Array.isArray(item) ? "[" : "{"}`);
    children.forEach(([childPath, key, child], index) => {
      put(child, childPath, depth + 1, `${pad}  ${key}`, index < children.length - 1 ? "," : "");
    });
    lines.push(`${pad}${Array.isArray(item) ? "]" : "}"}${tail}`);
  };
  put(value, "", 0, "", "");
  return { text: lines.join("\n"), lineOfPath };
}

// Values a few levels deep cover every construct; the depth limit has tests of its own below.
// fast-check types object members as optional, which generated values never leave out.
const jsonArb: fc.Arbitrary<JsonValue> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 6 }),
    // Any code point, control characters included, so that escapes are read as JSON.parse reads them.
    fc.jsonValue({ maxDepth: 6, stringUnit: "binary" }),
  )
  .map((value) => value as JsonValue)
  // A "__proto__" key is read wrongly (see the last test of this file); leaving it out here keeps that
  // one known problem from failing every property below at random.
  .filter((value) => !JSON.stringify(value).includes('"__proto__"'));

const textArb = jsonArb.chain((value) =>
  fc
    .constantFrom<(v: JsonValue) => string>(
      (v) => JSON.stringify(v),
      (v) => JSON.stringify(v, null, 2),
      (v) => JSON.stringify(v, null, "\t"),
      (v) => JSON.stringify(v, null, 2).replaceAll("\n", "\r\n"),
    )
    .map((write) => write(value)),
);

describe("parseLocatedJson reads what JSON.parse reads", () => {
  it("gives the same value for any JSON value, compact or indented", () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(parseLocatedJson(text).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("records the line every value of an indented document starts on", () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const { text, lineOfPath } = layout(value);
        // The layout is only a reference if it is exactly what JSON.stringify writes.
        expect(text).toBe(JSON.stringify(value, null, 2));
        const located = parseLocatedJson(text);
        for (const [path, line] of lineOfPath) expect([path, located.lineOf(path)]).toEqual([path, line]);
      }),
      { numRuns: 300 },
    );
  });

  it("reads the literals, numbers and escapes at the edges of the grammar", () => {
    const samples = [
      "true",
      "false",
      "null",
      "-0",
      "0.5e-7",
      "1E+21",
      "1e400",
      "-123.456e2",
      '"\\u00e9\\ud83d\\ude00 \\" \\\\ \\/ \\b\\f\\n\\r\\t"',
      '"\\ud800"',
      '"\u007f\u2028"',
      " \t\r\n[ ]\r\n",
      '{"a":{"a":{"a":1}}}',
      '[{"k":1},{"k":2}]',
    ];
    for (const text of samples) expect(parseLocatedJson(text).value).toEqual(JSON.parse(text));
  });
});

const MALFORMED: readonly { name: string; text: string; line: number }[] = [
  { name: "a trailing comma in an object", text: '{\n  "a": 1,\n  "b": 2,\n}', line: 4 },
  { name: "a trailing comma in an array", text: "[\n  1,\n  2,\n]", line: 4 },
  { name: "a single-quoted key", text: "{\n  'a': 1\n}", line: 2 },
  { name: "a single-quoted string", text: "{\n  \"a\":\n    'one'\n}", line: 3 },
  { name: "a line comment", text: '{\n  "a": 1, // the answer\n  "b": 2\n}', line: 2 },
  { name: "a block comment", text: '{\n  "a": 1,\n  /* later */ "b": 2\n}', line: 3 },
  { name: "a raw tab inside a string", text: '{\n  "a":\n    "one\ttwo"\n}', line: 3 },
  { name: "a raw line break inside a string", text: '{\n  "a": "one\ntwo"\n}', line: 2 },
  { name: "a raw NUL inside a string", text: '[\n  "a\u0000b"\n]', line: 2 },
  { name: "an unterminated string", text: '{\n  "a": 1,\n  "b": "two\n}', line: 3 },
  { name: "an unterminated object", text: '{\n  "a": 1,\n  "b": 2\n', line: 4 },
  { name: "an unterminated array", text: "[\n  1,\n  2", line: 3 },
  { name: "an empty document", text: "", line: 1 },
  { name: "a document of blank lines", text: "\n\n", line: 3 },
  { name: "a second value after the first", text: '{"a": 1}\n\n{"b": 2}', line: 3 },
  { name: "a missing colon", text: '{\n  "a" 1\n}', line: 2 },
  { name: "a missing comma", text: '{\n  "a": 1\n  "b": 2\n}', line: 3 },
  { name: "an unquoted key", text: "{\n  a: 1\n}", line: 2 },
  { name: "a leading zero", text: '{\n  "a": 01\n}', line: 2 },
  { name: "a leading plus", text: "[\n  +1\n]", line: 2 },
  { name: "a bare fraction", text: "[\n  .5\n]", line: 2 },
  { name: "a number ending in a point", text: "[\n  1.\n]", line: 2 },
  { name: "an exponent without digits", text: "[\n  1e\n]", line: 2 },
  { name: "a hexadecimal number", text: "[\n  0x10\n]", line: 2 },
  { name: "NaN", text: "[\n  NaN\n]", line: 2 },
  { name: "Infinity", text: "[\n  -Infinity\n]", line: 2 },
  { name: "a misspelt literal", text: "[\n  tru\n]", line: 2 },
  { name: "a capitalised literal", text: "[\n  True\n]", line: 2 },
  { name: "undefined", text: '{\n  "a": undefined\n}', line: 2 },
  { name: "an unknown escape", text: '[\n  "\\x41"\n]', line: 2 },
  { name: "a short unicode escape", text: '[\n  "\\u12"\n]', line: 2 },
  { name: "a byte order mark", text: "\ufeff{}", line: 1 },
  { name: "a non-breaking space", text: "[\n\u00a01\n]", line: 2 },
  { name: "a vertical tab", text: "[1,\n\u000b2]", line: 2 },
];

describe("parseLocatedJson refuses what JSON.parse refuses", () => {
  for (const { name, text, line } of MALFORMED) {
    it(`refuses ${name} on line ${line}`, () => {
      // Each sample must be malformed by JSON.parse's judgement too, or it proves nothing.
      expect(acceptedByJsonParse(text)).toBe(false);
      const error = syntaxErrorOf(text);
      expect(error.line).toBe(line);
      expect(error.message).toMatch(new RegExp(`^line ${line}: \\S`));
    });
  }

  const mutationArb = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom("delete", "insert", "replace"),
    char: fc.constantFrom(..."{}[],:\"\\ \n\t0123-+.eEtfnul/'\u0000x"),
  });

  it("agrees with JSON.parse on texts one character away from valid JSON", () => {
    fc.assert(
      fc.property(jsonArb, fc.boolean(), mutationArb, (value, indented, mutation) => {
        const valid = indented ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        const at = mutation.at % (valid.length + 1);
        const skip = mutation.kind === "insert" ? 0 : 1;
        const insert = mutation.kind === "delete" ? "" : mutation.char;
        const text = valid.slice(0, at) + insert + valid.slice(at + skip);
        let located: LocatedJson | JsonSyntaxError;
        try {
          located = parseLocatedJson(text);
        } catch (error) {
          // Anything but a JsonSyntaxError (a RangeError, a TypeError) is a crash, not a refusal.
          if (!(error instanceof JsonSyntaxError)) throw error;
          located = error;
        }
        if (!(located instanceof JsonSyntaxError)) {
          expect(located.value).toEqual(JSON.parse(text));
          return;
        }
        // JSON.parse keeps the last of duplicate keys; this reader refuses them, and only them.
        if (acceptedByJsonParse(text)) expect(located.message).toMatch(/key ".*" appears twice/s);
        // The text before the change reads as before, so the problem lies at or after its line.
        expect(located.line).toBeGreaterThanOrEqual(lineAt(text, at));
        expect(located.line).toBeLessThanOrEqual(text.split("\n").length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("duplicate keys", () => {
  it("refuses a key given twice in one object, naming the key and the line of the second", () => {
    const text = ["{", '  "plans": {', '    "pro": {},', '    "team": {},', '    "pro": {}', "  }", "}"].join(
      "\n",
    );
    const error = syntaxErrorOf(text);
    expect(error.line).toBe(5);
    expect(error.message).toBe('line 5: key "pro" appears twice');
  });

  it("refuses a duplicate spelt with an escape, since it is the same key", () => {
    const error = syntaxErrorOf('{\n  "ab": 1,\n  "\\u0061b": 2\n}');
    expect(error.message).toBe('line 3: key "ab" appears twice');
  });

  it("accepts one key in different objects, nested or side by side", () => {
    const text = '{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}';
    expect(parseLocatedJson(text).value).toEqual(JSON.parse(text));
  });
});

describe("lineOf", () => {
  const DOCUMENT = [
    "{", //  1
    '  "plans": {', //  2
    '    "pro": {', //  3
    '      "meters": {', //  4
    '        "messages": [', //  5
    "          {", //  6
    '            "window": "5h",', //  7
    '            "duration":', //  8
    '              "5h"', //  9
    "          },", // 10
    '          { "window": "weekly", "unit": "week" }', // 11
    "        ]", // 12
    "      },", // 13
    '      "actions": { "message": { "costs": { "messages": 1 } } }', // 14
    "    }", // 15
    "  }", // 16
    "}", // 17
  ].join("\n");
  const located = parseLocatedJson(DOCUMENT);

  it("gives the line each value starts on, however deep", () => {
    expect(located.lineOf("")).toBe(1);
    expect(located.lineOf("plans")).toBe(2);
    expect(located.lineOf("plans.pro")).toBe(3);
    expect(located.lineOf("plans.pro.meters.messages")).toBe(5);
    expect(located.lineOf("plans.pro.meters.messages[0]")).toBe(6);
    expect(located.lineOf("plans.pro.meters.messages[0].window")).toBe(7);
    // A value on the line after its key starts where the value is, which is the line to fix.
    expect(located.lineOf("plans.pro.meters.messages[0].duration")).toBe(9);
    expect(located.lineOf("plans.pro.meters.messages[1].unit")).toBe(11);
    expect(located.lineOf("plans.pro.actions.message.costs.messages")).toBe(14);
  });

  it("falls back to the nearest known parent for a path the document lacks", () => {
    expect(located.lineOf("plans.pro.meters.messages[0].bucket")).toBe(6);
    expect(located.lineOf("plans.pro.meters.messages[7].window")).toBe(5);
    expect(located.lineOf("plans.pro.meters.tokens[0].kind")).toBe(4);
    expect(located.lineOf("plans.gold.meters")).toBe(2);
    expect(located.lineOf("plans.pro.actions.teleport.costs.messages")).toBe(14);
  });

  it("falls back to the document's first line for an unknown top-level key", () => {
    // A top-level key has no leading dot for the fallback to strip. Run with a time limit, so that a
    // fallback that never shortens the path fails this test instead of hanging the whole run.
    const probe = (path: string): unknown => {
      try {
        return runInNewContext("lineOf(path)", { lineOf: located.lineOf, path }, { timeout: 1_000 });
      } catch (error) {
        throw new Error(`lineOf(${JSON.stringify(path)}) did not return within a second`, { cause: error });
      }
    };
    expect(probe("limits")).toBe(1);
    expect(probe("limits.pro")).toBe(1);
  });

  it("finds values inside a top-level array", () => {
    const array = parseLocatedJson('[\n  1,\n  [\n    2,\n    {"a":\n      3}\n  ]\n]');
    expect(array.lineOf("[0]")).toBe(2);
    expect(array.lineOf("[1][0]")).toBe(4);
    expect(array.lineOf("[1][1].a")).toBe(6);
    expect(array.lineOf("[1][5]")).toBe(3);
  });
});

describe("the depth limit", () => {
  const nested = (depth: number, inner: string): string => "[".repeat(depth) + inner + "]".repeat(depth);

  it(`reads a value nested ${JSON_DEPTH_MAX} levels deep`, () => {
    expect(parseLocatedJson(nested(JSON_DEPTH_MAX, "1")).value).toEqual(
      JSON.parse(nested(JSON_DEPTH_MAX, "1")),
    );
    const objects = `${'{"a":'.repeat(JSON_DEPTH_MAX)}1${"}".repeat(JSON_DEPTH_MAX)}`;
    expect(parseLocatedJson(objects).value).toEqual(JSON.parse(objects));
  });

  it("refuses one level more, naming the line where the limit was crossed", () => {
    const text = `[\n${nested(JSON_DEPTH_MAX, "1")}\n]`;
    const error = syntaxErrorOf(text);
    expect(error.line).toBe(2);
    expect(error.message).toBe(`line 2: nested deeper than ${JSON_DEPTH_MAX}`);
  });

  it("refuses a document deep enough to exhaust the stack as a syntax error, not a crash", () => {
    expect(syntaxErrorOf("[".repeat(200_000)).message).toMatch(/nested deeper than/);
    expect(syntaxErrorOf('{"a":'.repeat(200_000)).message).toMatch(/nested deeper than/);
  });
});

describe("keys named like Object.prototype members", () => {
  it("reads __proto__ as an ordinary key, as JSON.parse does", () => {
    const text = '{\n  "__proto__": {"plans": 1}\n}';
    const value = parseLocatedJson(text).value;
    expect(value).toStrictEqual(JSON.parse(text));
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
