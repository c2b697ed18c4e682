/** The languages the bank-policies set is written in. */
export const passageLanguages = ['en', 'vi'] as const;

/** A language of the set: English or Vietnamese. */
export type PassageLanguage = (typeof passageLanguages)[number];

/** What each query tests; README.md explains every kind. */
export const queryKinds = [
  'plain',
  'negation',
  'synonym',
  'hard-penalty',
  'vietnamese',
  'cross-language',
] as const;

/** The kind of a query (see {@link queryKinds}). */
export type QueryKind = (typeof queryKinds)[number];

/** One line of `corpus.jsonl`, in BEIR's corpus format. */
export type CorpusPassage = {
  _id: string;
  title: string;
  text: string;
  metadata: { lang: PassageLanguage; topic: string };
};

/** One line of `queries.jsonl`, in BEIR's queries format. */
export type LabelledQuery = {
  _id: string;
  text: string;
  metadata: { lang: PassageLanguage; kind: QueryKind };
};

/** One judgement line of `qrels.tsv`: 2 answers the query, 1 is partially relevant. */
export type RelevanceJudgement = { queryId: string; corpusId: string; score: 1 | 2 };

/** The three files of a BEIR set, as text. */
export type BeirSetFiles = { corpus: string; queries: string; qrels: string };

/** One thing wrong with a set, located by file and 1-based line number. */
export type BeirSetProblem = { file: keyof BeirSetFiles; line: number; message: string };

/** What {@link checkBeirSet} found: the records that parsed, and every problem. */
export type BeirSetCheck = {
  corpus: CorpusPassage[];
  queries: LabelledQuery[];
  judgements: RelevanceJudgement[];
  problems: BeirSetProblem[];
};

/** The header BEIR's qrels files start with. */
export const qrelsHeader = 'query-id\tcorpus-id\tscore';

/**
 * Letters only Vietnamese uses among the set's two languages: the vowels with a breve, circumflex
 * or horn, đ, and every tone mark. A Vietnamese passage without one is mislabelled or lost them.
 */
const vietnameseLetters = /[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]/iu;

/** Whether the text carries at least one Vietnamese diacritic. */
export function hasVietnameseDiacritics(text: string): boolean {
  return vietnameseLetters.test(text.normalize('NFC'));
}

type Line = { text: string; number: number };

/** Non-blank lines with their 1-based numbers, so problems point at the line an editor shows. */
function numberedLines(text: string): Line[] {
  return text
    .split('\n')
    .map((line, index) => ({ text: line.replace(/\r$/, ''), number: index + 1 }))
    .filter((line) => line.text.trim() !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Parses a JSON Lines file into objects, reporting lines that are not JSON objects. */
function parseJsonObjects(
  file: 'corpus' | 'queries',
  text: string,
  problems: BeirSetProblem[],
): { value: Record<string, unknown>; line: number }[] {
  const objects: { value: Record<string, unknown>; line: number }[] = [];
  for (const line of numberedLines(text)) {
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      problems.push({ file, line: line.number, message: 'is not valid JSON' });
      continue;
    }
    if (isRecord(value)) objects.push({ value, line: line.number });
    else problems.push({ file, line: line.number, message: 'is not a JSON object' });
  }
  return objects;
}

/** Reports the second and later uses of an id in one file. */
function checkUniqueId(
  file: keyof BeirSetFiles,
  id: string,
  line: number,
  seen: Map<string, number>,
  problems: BeirSetProblem[],
): void {
  const first = seen.get(id);
  if (first === undefined) seen.set(id, line);
  else problems.push({ file, line, message: `repeats the _id '${id}' of line ${first}` });
}

function checkCorpus(text: string, problems: BeirSetProblem[]): CorpusPassage[] {
  const passages: CorpusPassage[] = [];
  const seen = new Map<string, number>();
  for (const { value, line } of parseJsonObjects('corpus', text, problems)) {
    const report = (message: string) => problems.push({ file: 'corpus', line, message });
    const { _id: id, title, text: passageText, metadata } = value;
    if (!isNonEmptyString(id)) {
      report('has no string _id');
      continue;
    }
    checkUniqueId('corpus', id, line, seen, problems);
    if (typeof title !== 'string') report(`'${id}' has no string title`);
    if (!isNonEmptyString(passageText)) report(`'${id}' has no text`);
    if (!isRecord(metadata) || !isOneOf(passageLanguages, metadata.lang)) {
      report(`'${id}' has metadata.lang other than ${passageLanguages.join(' or ')}`);
      continue;
    }
    if (!isNonEmptyString(metadata.topic)) report(`'${id}' has no metadata.topic`);
    if (typeof title !== 'string' || !isNonEmptyString(passageText)) continue;
    const vietnamese = hasVietnameseDiacritics(`${title} ${passageText}`);
    if (metadata.lang === 'vi' && !vietnamese) {
      report(`'${id}' is marked vi but has no Vietnamese diacritics`);
    }
    if (metadata.lang === 'en' && vietnamese) {
      report(`'${id}' is marked en but contains Vietnamese letters`);
    }
    passages.push({
      _id: id,
      title,
      text: passageText,
      metadata: { lang: metadata.lang, topic: String(metadata.topic) },
    });
  }
  return passages;
}

function checkQueries(
  text: string,
  problems: BeirSetProblem[],
): { query: LabelledQuery; line: number }[] {
  const queries: { query: LabelledQuery; line: number }[] = [];
  const seen = new Map<string, number>();
  for (const { value, line } of parseJsonObjects('queries', text, problems)) {
    const report = (message: string) => problems.push({ file: 'queries', line, message });
    const { _id: id, text: queryText, metadata } = value;
    if (!isNonEmptyString(id)) {
      report('has no string _id');
      continue;
    }
    checkUniqueId('queries', id, line, seen, problems);
    if (!isNonEmptyString(queryText)) {
      report(`'${id}' has no text`);
      continue;
    }
    if (!isRecord(metadata) || !isOneOf(passageLanguages, metadata.lang)) {
      report(`'${id}' has metadata.lang other than ${passageLanguages.join(' or ')}`);
      continue;
    }
    if (!isOneOf(queryKinds, metadata.kind)) {
      report(`'${id}' has metadata.kind other than ${queryKinds.join(', ')}`);
      continue;
    }
    if (metadata.lang === 'vi' && !hasVietnameseDiacritics(queryText)) {
      report(`'${id}' is marked vi but has no Vietnamese diacritics`);
    }
    queries.push({
      query: { _id: id, text: queryText, metadata: { lang: metadata.lang, kind: metadata.kind } },
      line,
    });
  }
  return queries;
}

function checkQrels(
  text: string,
  corpusIds: ReadonlySet<string>,
  queryIds: ReadonlySet<string>,
  problems: BeirSetProblem[],
): RelevanceJudgement[] {
  const judgements: RelevanceJudgement[] = [];
  const lines = numberedLines(text);
  const [header, ...rows] = lines;
  if (header?.text !== qrelsHeader) {
    problems.push({
      file: 'qrels',
      line: header?.number ?? 1,
      message: `must start with the header '${qrelsHeader.replaceAll('\t', '\\t')}'`,
    });
  }
  const seenPairs = new Map<string, number>();
  for (const row of rows) {
    const report = (message: string) => problems.push({ file: 'qrels', line: row.number, message });
    const fields = row.text.split('\t');
    const [queryId, corpusId, score] = fields;
    if (fields.length !== 3 || queryId === undefined || corpusId === undefined) {
      report(`has ${fields.length} tab-separated fields, expected 3`);
      continue;
    }
    let valid = true;
    if (!queryIds.has(queryId)) {
      report(`names the query-id '${queryId}', which queries.jsonl does not have`);
      valid = false;
    }
    if (!corpusIds.has(corpusId)) {
      report(`names the corpus-id '${corpusId}', which corpus.jsonl does not have`);
      valid = false;
    }
    if (score !== '1' && score !== '2') {
      report(`has the score '${score}', expected 1 or 2`);
      valid = false;
    }
    const pair = `${queryId}\t${corpusId}`;
    const first = seenPairs.get(pair);
    if (first !== undefined) {
      report(`judges ${queryId} / ${corpusId} again (first on line ${first})`);
      valid = false;
    } else {
      seenPairs.set(pair, row.number);
    }
    if (valid) judgements.push({ queryId, corpusId, score: score === '2' ? 2 : 1 });
  }
  return judgements;
}

/**
 * Checks a BEIR set (corpus, queries, graded qrels) for integrity: every line parses, ids are
 * unique, metadata languages and kinds are known, Vietnamese texts carry Vietnamese diacritics
 * (and English ones none), qrels name existing ids with a score of 1 or 2, and every query has a
 * passage graded 2. It reports every problem instead of stopping at the first.
 */
export function checkBeirSet(files: BeirSetFiles): BeirSetCheck {
  const problems: BeirSetProblem[] = [];
  const corpus = checkCorpus(files.corpus, problems);
  const queries = checkQueries(files.queries, problems);
  const judgements = checkQrels(
    files.qrels,
    new Set(corpus.map((passage) => passage._id)),
    new Set(queries.map(({ query }) => query._id)),
    problems,
  );
  const answered = new Set(
    judgements.filter((judgement) => judgement.score === 2).map((judgement) => judgement.queryId),
  );
  for (const { query, line } of queries) {
    if (!answered.has(query._id)) {
      problems.push({
        file: 'queries',
        line,
        message: `'${query._id}' has no passage graded 2 in qrels`,
      });
    }
  }
  return { corpus, queries: queries.map(({ query }) => query), judgements, problems };
}
