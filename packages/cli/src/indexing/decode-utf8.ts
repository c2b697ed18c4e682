import { CliError } from '../cli-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a file's bytes as UTF-8 (a byte-order mark is dropped).
 *
 * @throws CliError naming the file when the bytes are not valid UTF-8
 */
export function decodeUtf8(bytes: Uint8Array, shown: string): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new CliError(`cannot read '${shown}': it is not UTF-8 text.`, {
      hint: 'Convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8), then index it again.',
      cause: error,
    });
  }
}
