import { InvalidArgumentError, TwostageError } from '@twostage/core';

const marker = 'twostage.error.MetadataTooLargeError';
const symbol = Symbol.for(marker);

/**
 * A document's metadata (with its text, which is stored in the metadata) is larger than Pinecone
 * accepts for one record (40 KB). Raised before anything is sent, naming the document.
 *
 * @see https://docs.pinecone.io/reference/quotas-and-limits#upsert-limits
 */
export class MetadataTooLargeError extends InvalidArgumentError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance via Symbol.for
  private readonly [symbol] = true;
  /** The id of the document. */
  readonly id: string;
  /** The size of its serialised metadata, in bytes. */
  readonly bytes: number;
  /** The limit, in bytes. */
  readonly limitBytes: number;

  constructor({
    id,
    position,
    bytes,
    limitBytes,
  }: { id: string; position: number; bytes: number; limitBytes: number }) {
    super({
      argument: `documents[${position}]`,
      message: `the metadata of document '${id}' (its text included) takes ${bytes} bytes; Pinecone accepts at most ${limitBytes} per record. Split the document into smaller chunks or store less metadata.`,
    });
    this.name = 'MetadataTooLargeError';
    this.id = id;
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }

  /** Whether `error` is a `MetadataTooLargeError`, from any copy of this package. */
  static override isInstance(error: unknown): error is MetadataTooLargeError {
    return TwostageError.hasMarker(error, marker);
  }
}
