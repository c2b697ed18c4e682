/** What the emulator sends back: a status, a JSON body, extra headers. */
export type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** Cohere's 400, with its `invalid request: ` prefix. */
export function badRequest(message: string): Answer {
  return { status: 400, body: { message: `invalid request: ${message}` } };
}

/** Cohere's 404 for a model it does not know (or the key may not use). */
export function unknownModel(model: string): Answer {
  return {
    status: 404,
    body: {
      message: `model '${model}' not found, make sure the correct model ID was used and that you have access to the model.`,
    },
  };
}

/** Cohere's Bearer check: 401 with its messages, or `undefined` when the key is right. */
export function authenticate(
  authorization: string | undefined,
  apiKey: string,
): Answer | undefined {
  if (authorization === undefined || authorization.trim() === '') {
    return { status: 401, body: { message: 'no api key supplied' } };
  }
  const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
  if (match?.[1] !== apiKey) return { status: 401, body: { message: 'invalid api token' } };
  return undefined;
}
