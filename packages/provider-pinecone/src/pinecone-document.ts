import type { DocumentMetadata } from '@twostage/core';

/** A document to ingest. */
export type PineconeDocument = {
  /**
   * The record id (at most 512 characters).
   * @default a hash of the text (`doc-` + 32 hex digits), so re-runs overwrite instead of duplicating
   */
  id?: string;
  /** The text: embedded, and stored under `textField` for stage 2 to score. */
  text: string;
  /** Filterable metadata, in Pinecone's value types. */
  metadata?: DocumentMetadata;
};
