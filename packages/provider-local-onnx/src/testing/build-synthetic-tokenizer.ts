import { SeededRandom } from './seeded-random.js';

/** Words every synthetic vocabulary holds whole, so test texts tokenize to real pieces. */
const englishWords = [
  'the',
  'a',
  'of',
  'to',
  'and',
  'in',
  'is',
  'for',
  'on',
  'with',
  'what',
  'how',
  'when',
  'who',
  'bank',
  'loan',
  'card',
  'interest',
  'rate',
  'fee',
  'account',
  'policy',
  'credit',
  'debit',
  'transfer',
  'branch',
  'open',
  'close',
  'limit',
  'payment',
  'annual',
  'monthly',
  'deposit',
  'savings',
  'mortgage',
  'customer',
  'service',
  'hours',
  'online',
  'mobile',
  'app',
  'password',
  'reset',
  'fraud',
  'report',
  'lost',
  'stolen',
  'cat',
  'dog',
  'sat',
  'mat',
  'weather',
  'rain',
  'sun',
  'city',
  'river',
  'book',
  'read',
  'write',
  'code',
  'test',
  'model',
  'rank',
  'query',
  'document',
  'search',
  'fast',
  'slow',
  'good',
  'bad',
  'new',
  'old',
  'big',
  'small',
  'day',
  'year',
  'time',
  'people',
  'money',
  'pay',
  'charge',
  'cash',
  'atm',
  'withdraw',
  'balance',
];

/** Vietnamese syllables (precomposed NFC), kept whole in the XLM-R-style vocabulary. */
const vietnameseWords = [
  'ngân',
  'hàng',
  'lãi',
  'suất',
  'vay',
  'thẻ',
  'tín',
  'dụng',
  'tài',
  'khoản',
  'phí',
  'chuyển',
  'tiền',
  'tiết',
  'kiệm',
  'mở',
  'đóng',
  'chính',
  'sách',
  'khách',
  'là',
  'gì',
  'bao',
  'nhiêu',
  'của',
  'và',
  'cho',
  'không',
  'có',
  'được',
  'một',
  'năm',
  'tháng',
  'ngày',
  'người',
  'việt',
];

const emoji = ['😀', '🏦', '💳', '💰', '🚀', '❤', '👍'];

const punctuation = [...'.,;:!?\'"()[]{}-_/\\@#$%&*+=<>|~`^'];

function baseCharacters(): string[] {
  const characters = new Set<string>();
  for (let code = 97; code <= 122; code += 1) characters.add(String.fromCharCode(code));
  for (let digit = 0; digit <= 9; digit += 1) characters.add(String(digit));
  for (const mark of punctuation) characters.add(mark);
  characters.add('đ');
  return [...characters];
}

function syntheticWord(random: SeededRandom): string {
  const consonants = 'bcdfghjklmnprstvwz';
  const vowels = 'aeiou';
  let word = '';
  const syllables = random.integer(1, 3);
  for (let index = 0; index < syllables; index += 1) {
    word += consonants[random.integer(0, consonants.length - 1)];
    word += vowels[random.integer(0, vowels.length - 1)];
    if (random.next() < 0.4) word += consonants[random.integer(0, consonants.length - 1)];
  }
  return word;
}

const addedToken = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * A BERT-uncased-style WordPiece `tokenizer.json` (BertNormalizer, BertPreTokenizer,
 * TemplateProcessing `[CLS] A [SEP] B [SEP]`) with exactly `vocabSize` entries.
 */
export function buildWordPieceTokenizer(vocabSize: number, seed: number): object {
  const random = new SeededRandom(seed ^ 0x5eed);
  const vocab = new Map<string, number>();
  const add = (token: string) => {
    if (!vocab.has(token) && vocab.size < vocabSize) vocab.set(token, vocab.size);
  };
  for (const special of ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']) add(special);
  for (const character of baseCharacters()) {
    add(character);
    add(`##${character}`);
  }
  for (const word of englishWords) add(word);
  // Whole Vietnamese words lose their accents under BertNormalizer (uncased strips accents).
  for (const word of vietnameseWords) add(word.normalize('NFD').replace(/\p{Mn}/gu, ''));
  for (const piece of ['##s', '##ing', '##ed', '##er', '##ly', '##tion']) add(piece);
  while (vocab.size < vocabSize) {
    const word = syntheticWord(random);
    add(random.next() < 0.3 ? `##${word}` : word);
  }
  const special = (token: string) => ({ id: token, ids: [vocab.get(token)], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((token) =>
      addedToken(vocab.get(token) as number, token),
    ),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
}

/**
 * An XLM-R-style Unigram `tokenizer.json` (Metaspace `▁`, RobertaProcessing
 * `<s> A </s></s> B </s>`) with exactly `vocabSize` entries.
 *
 * Real XLM-R files start the normalizer with `Precompiled` (a SentencePiece charsmap), which the
 * pure-JS tokenizer only approximates; the synthetic one uses NFKC so every implementation agrees.
 */
export function buildUnigramTokenizer(vocabSize: number, seed: number): object {
  const random = new SeededRandom(seed ^ 0x1ce);
  const pieces = new Map<string, number>();
  const add = (piece: string, score: number) => {
    if (!pieces.has(piece) && pieces.size < vocabSize - 1) pieces.set(piece, score);
  };
  for (const special of ['<s>', '<pad>', '</s>', '<unk>']) add(special, 0);
  add('▁', -3);
  const characters = new Set(baseCharacters());
  for (let code = 65; code <= 90; code += 1) characters.add(String.fromCharCode(code));
  for (const word of vietnameseWords) for (const character of word) characters.add(character);
  for (const symbol of emoji) characters.add(symbol);
  for (const character of characters) add(character, -9 - random.next());
  for (const word of [...englishWords, ...vietnameseWords]) add(`▁${word}`, -4 - random.next() * 3);
  for (const symbol of emoji) add(`▁${symbol}`, -6 - random.next());
  while (pieces.size < vocabSize - 1) {
    const word = syntheticWord(random);
    add(random.next() < 0.5 ? `▁${word}` : word, -7 - random.next() * 4);
  }
  const vocab: [string, number][] = [...pieces];
  vocab.push(['<mask>', 0]);
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      addedToken(0, '<s>'),
      addedToken(1, '<pad>'),
      addedToken(2, '</s>'),
      addedToken(3, '<unk>'),
      addedToken(vocab.length - 1, '<mask>'),
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['</s>', 2],
      cls: ['<s>', 0],
      trim_offsets: true,
      add_prefix_space: true,
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
  };
}
