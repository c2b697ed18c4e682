import { type ResponseMetadataV1, redactHeaders } from '@twostage/core';

/** The AI SDK's response metadata in twostage's shape, credential headers removed. */
export function responseMetadata(response: unknown): ResponseMetadataV1 | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const { id, modelId, headers, body } = response as Record<string, unknown>;
  const metadata: ResponseMetadataV1 = {};
  if (typeof id === 'string') metadata.id = id;
  if (typeof modelId === 'string') metadata.modelId = modelId;
  if (headers !== null && typeof headers === 'object') {
    metadata.headers = redactHeaders(headers as Record<string, string>);
  }
  if (body !== undefined) metadata.body = body;
  return metadata;
}
