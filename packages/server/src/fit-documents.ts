import { charactersPerToken } from '@twostage/core';
import type { ParsedRerankRequest } from './parsed-rerank-request.js';
import { ServerError } from './server-error.js';

/** The texts the model scores, and their estimated tokens (query included once per pair). */
export type FittedDocuments = { texts: string[]; tokens: number };

/**
 * Applies the token limit per document, estimated at {@link charactersPerToken} characters a
 * token (the model's own tokenizer truncates again, exactly, at its input length): a longer
 * document is cut when the request allows truncation, else refused.
 *
 * @param serverMaxTokens - the server's limit; the request's `max_tokens_per_doc` may lower it
 * @throws ServerError `too-long` naming the first document over the limit when truncation is off
 */
export function fitDocuments(
  parsed: ParsedRerankRequest,
  serverMaxTokens: number,
): FittedDocuments {
  const maxTokens = Math.min(
    serverMaxTokens,
    parsed.maxTokensPerDocument ?? Number.POSITIVE_INFINITY,
  );
  const maxCharacters = maxTokens * charactersPerToken;
  const queryTokens = Math.ceil(parsed.query.length / charactersPerToken);
  let tokens = 0;
  const texts = parsed.documents.map((text, index) => {
    if (text.length > maxCharacters && !parsed.truncate) {
      throw new ServerError(
        'too-long',
        `invalid request: texts[${index}] is about ${Math.ceil(text.length / charactersPerToken)} tokens, more than this server's limit of ${maxTokens}, and truncate is false`,
      );
    }
    const fitted = text.length > maxCharacters ? text.slice(0, maxCharacters) : text;
    tokens += queryTokens + Math.ceil(fitted.length / charactersPerToken);
    return fitted;
  });
  return { texts, tokens };
}
