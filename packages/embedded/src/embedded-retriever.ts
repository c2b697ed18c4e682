import type { DocumentMetadata, RetrieveStageV1 } from '@twostage/core';

/** The namespace used when none is given (Pinecone's default namespace is also `''`). */
export const defaultNamespace = '';

/** A document to index in an embedded retriever. */
export type EmbeddedDocument = {
  /** Unique within its namespace; adding an existing id with `upsert` replaces the document. */
  id: string;
  /** The text that is indexed (BM25) or embedded (vector), and returned to stage 2. */
  text: string;
  /** Metadata in Pinecone's value types, for filters. Copied: later changes to it are ignored. */
  metadata?: DocumentMetadata;
};

/** Options naming the namespace an operation applies to. */
export type NamespaceOptions = {
  /**
   * The partition of the index.
   * @default '' (the default namespace)
   */
  namespace?: string;
};

/** Options of `add` and `upsert`. */
export type WriteOptions = NamespaceOptions & {
  /** Cancels the write (while documents are embedded); nothing is written then. */
  abortSignal?: AbortSignal;
};

/**
 * What the three embedded retrievers (BM25, vector, hybrid) share beyond `RetrieveStageV1`:
 * documents managed by id per namespace, and persistence to a directory.
 */
export type EmbeddedRetriever<Document extends EmbeddedDocument = EmbeddedDocument> =
  RetrieveStageV1 & {
    /**
     * Adds documents. Throws an `InvalidArgumentError` (and adds none) when an id is already in
     * the namespace or repeated in the batch; use {@link EmbeddedRetriever.upsert} to replace.
     */
    add(documents: readonly Document[], options?: WriteOptions): Promise<void>;
    /** Adds documents, replacing those whose id is already present (the last of a batch wins). */
    upsert(documents: readonly Document[], options?: WriteOptions): Promise<void>;
    /** Deletes documents by id; returns how many existed. Unknown ids are ignored. */
    delete(ids: readonly string[], options?: NamespaceOptions): Promise<number>;
    /** The stored document with this id, or `undefined`. */
    get(id: string, options?: NamespaceOptions): EmbeddedDocument | undefined;
    /**
     * How many documents the namespace holds; with no `namespace` option, the total over all
     * namespaces.
     */
    size(options?: NamespaceOptions): number;
    /** The namespaces that hold at least one document. */
    namespaces(): string[];
    /**
     * Saves the index to `directory` (created if needed) in a versioned format. The save is
     * atomic: a crash part-way leaves the previous index there intact.
     */
    save(directory: string): Promise<void>;
  };
