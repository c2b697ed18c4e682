import { describe, expect, test } from 'vitest';
import { renderObjectDocument } from '../src/index.js';

describe('renderObjectDocument', () => {
  test('writes scalar fields as key: value lines in key order', () => {
    expect(
      renderObjectDocument({
        title: 'Fees',
        year: 2024,
        active: true,
        owner: null,
        text: 'Two %.',
      }),
    ).toBe('title: Fees\nyear: 2024\nactive: true\nowner: null\ntext: Two %.');
  });

  test('writes multi-line strings as YAML blocks and empty strings quoted', () => {
    expect(renderObjectDocument({ text: 'line one\n\nline three', note: '' })).toBe(
      'text: |-\n  line one\n\n  line three\nnote: ""',
    );
  });

  test('writes arrays and objects as JSON flow values', () => {
    expect(renderObjectDocument({ tags: ['loan', 'fee'], limits: { min: 1, max: 5 } })).toBe(
      'tags: ["loan","fee"]\nlimits: {"min":1,"max":5}',
    );
  });

  test('keeps only the chosen fields, in their order, skipping missing and undefined ones', () => {
    const document = { title: 'Fees', text: 'Two %.', secret: undefined, year: 2024 };
    expect(renderObjectDocument(document, ['text', 'missing', 'secret', 'title'])).toBe(
      'text: Two %.\ntitle: Fees',
    );
  });

  test('keeps Unicode as it is', () => {
    expect(renderObjectDocument({ 'tiêu đề': 'Phí trả nợ trước hạn' })).toBe(
      'tiêu đề: Phí trả nợ trước hạn',
    );
  });
});
