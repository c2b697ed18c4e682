import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './cohere-emulator.js';
import type { Answer } from './emulator-answer.js';

/** What the emulator does instead of answering one request normally. */
export type CohereFault =
  /**
   * Answer with this status and Cohere's error body `{ message }`. `fromProxy` marks a status the
   * API itself does not document (408, 402, 502) but a proxy or gateway in front of it sends; its
   * response is then not checked against the description.
   */
  | {
      type: 'status';
      status: number;
      message?: string;
      headers?: Record<string, string>;
      fromProxy?: boolean;
    }
  /** Answer normally after `ms` milliseconds, unless the client has gone by then. */
  | { type: 'delay'; ms: number }
  /**
   * Answer normally, with these notices in `meta.warnings` and, when `deprecated`,
   * `meta.api_version.is_deprecated: true` (as Cohere flags a model or API version it retires).
   */
  | { type: 'notice'; warnings: string[]; deprecated?: boolean }
  /** Destroy the connection once the request has arrived, without any answer. */
  | { type: 'reset' }
  /**
   * Send the 200 headers and the start of the body, then nothing more until the client gives up
   * (a server that stalls mid-response, after the headers a plain timer would stop at).
   */
  | { type: 'stall-body' }
  /** Answer 200 with a body that is not valid JSON (a proxy's page, a truncated write). */
  | { type: 'malformed-json' }
  /** Send the normal answer's headers and first half, then destroy the connection. */
  | { type: 'reset-mid-body' }
  /**
   * Send the normal answer in `chunks` pieces, `intervalMs` apart (a congested link or a
   * proxy that trickles): the whole answer arrives, slowly, unless the client gives up first.
   */
  | { type: 'drip'; chunks: number; intervalMs: number };

/** The faults that shape how the normal answer is sent, rather than replacing it. */
export type AnswerFault = Extract<
  CohereFault,
  { type: 'delay' } | { type: 'notice' } | { type: 'reset-mid-body' } | { type: 'drip' }
>;

/** Whether a fault is carried out on the normal answer (see {@link AnswerFault}). */
export function isAnswerFault(fault: CohereFault): fault is AnswerFault {
  return (
    fault.type === 'delay' ||
    fault.type === 'notice' ||
    fault.type === 'reset-mid-body' ||
    fault.type === 'drip'
  );
}

/** Cohere's messages for the statuses of a fault, from its error reference. */
const defaultMessages: Record<number, string> = {
  400: 'invalid request: list of documents must not be empty',
  401: 'invalid api token',
  402: 'Please add a payment method to continue using the API.',
  403: 'You do not have access to this resource.',
  404: "model 'unknown' not found, make sure the correct model ID was used and that you have access to the model.",
  422: 'unprocessable entity',
  429: 'You are past the per minute request limit, please wait and try again later.',
  498: 'blocked output: a request or response contains a deny-listed token',
  499: 'request cancelled',
  500: 'internal server error, this has been reported to our developers',
  501: 'not implemented',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** Sends an answer (checked against the description when `validate`) and records it. */
export type SendAnswer = (
  recorded: RecordedRequest,
  response: ServerResponse,
  answer: Answer,
  validate: boolean,
) => void;

/** Carries out a fault other than a delay or a notice (both end in the normal answer). */
export function applyFault(
  fault: Exclude<CohereFault, AnswerFault>,
  recorded: RecordedRequest,
  request: IncomingMessage,
  response: ServerResponse,
  send: SendAnswer,
): void {
  switch (fault.type) {
    case 'status': {
      const body = { message: fault.message ?? defaultMessages[fault.status] ?? 'error' };
      const answer: Answer = { status: fault.status, body };
      if (fault.headers !== undefined) answer.headers = fault.headers;
      send(recorded, response, answer, fault.fromProxy !== true);
      return;
    }
    case 'reset':
      request.socket.destroy();
      return;
    case 'stall-body':
      recorded.status = 200;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"stalled","results":[');
      return;
    case 'malformed-json':
      recorded.status = 200;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id":"truncated","results":[{"index":0,"relevance_');
      return;
  }
}
