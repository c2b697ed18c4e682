/**
 * Where JSON text stops being valid: the 0-based offset of the first character that cannot
 * continue a JSON value (the length of the text when it ends too early), and what was expected
 * there. Node 20's `JSON.parse` messages do not always carry a position, so the CLI finds it
 * itself to point at the typo in a `--filter`. Returns `undefined` for valid JSON.
 */
export function findJsonError(text: string): { position: number; expected: string } | undefined {
  let position = 0;
  const fail = (expected: string): never => {
    throw new JsonScanError(position, expected);
  };
  const skipSpace = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position] as string)) position++;
  };
  const literal = (word: string) => {
    for (const character of word) {
      if (text[position] !== character) fail(`'${word}'`);
      position++;
    }
  };
  const string = () => {
    position++; // the opening quote
    while (position < text.length) {
      const character = text[position] as string;
      if (character === '"') {
        position++;
        return;
      }
      if (character === '\\') {
        position++;
        const escaped = text[position];
        if (escaped === 'u') {
          for (let digit = 0; digit < 4; digit++) {
            position++;
            if (!/[0-9a-fA-F]/.test(text[position] ?? '')) fail('a hexadecimal digit');
          }
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)');
        }
      } else if (character < ' ') {
        fail('no control character inside a string');
      }
      position++;
    }
    fail('the closing quote "');
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(position));
    if (match === null || match[0] === '' || match[0] === '-') fail('a number');
    position += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    skipSpace();
    const character = text[position];
    if (character === '{') {
      position++;
      skipSpace();
      if (text[position] === '}') {
        position++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[position] !== '"') fail('a property name in double quotes');
        string();
        skipSpace();
        if (text[position] !== ':') fail("':'");
        position++;
        value();
        skipSpace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === '}') {
          position++;
          return;
        }
        fail("',' or '}'");
      }
    }
    if (character === '[') {
      position++;
      skipSpace();
      if (text[position] === ']') {
        position++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === ']') {
          position++;
          return;
        }
        fail("',' or ']'");
      }
    }
    if (character === '"') string();
    else if (character === 't') literal('true');
    else if (character === 'f') literal('false');
    else if (character === 'n') literal('null');
    else if (
      character === '-' ||
      (character !== undefined && character >= '0' && character <= '9')
    ) {
      number();
    } else fail('a value (object, array, string, number, true, false or null)');
  };
  try {
    value();
    skipSpace();
    if (position < text.length) fail('the end of the input');
    return undefined;
  } catch (error) {
    if (error instanceof JsonScanError)
      return { position: error.position, expected: error.expected };
    throw error;
  }
}

class JsonScanError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at ${position}`);
  }
}
