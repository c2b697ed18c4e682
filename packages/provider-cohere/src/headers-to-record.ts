import { redactHeaders } from '@twostage/core';

/** A plain record of a response's headers, credential-bearing ones removed. */
export function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return redactHeaders(record);
}
