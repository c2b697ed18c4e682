import { rerank } from '../src/rerank/rerank.js';
import type {
  RerankStageV1,
  RerankStageV1CallOptions,
  RerankStageV1Result,
} from '../src/spec/v1/rerank-stage-v1.js';
import { microseconds, printTable, summarise, timeInterleaved } from './measure.js';

/** The overhead target of issue 2: what `rerank()` adds to one call of 100 documents. */
const targetMs = 0.5;

/**
 * A trivial in-process stage: scores are read from a precomputed table, so the stage itself costs
 * almost nothing and the difference between the two paths is core's own work (validation,
 * document preparation, retry wrapper, response checks, merge and re-attachment).
 */
function trivialStage(scores: readonly number[], maxDocumentsPerCall?: number): RerankStageV1 {
  return {
    specificationVersion: 'v1',
    provider: 'bench',
    modelId: 'table',
    maxDocumentsPerCall,
    scoreKind: 'probability',
    async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
      const { values } = options.documents;
      const ranking = new Array<{ index: number; score: number }>(values.length);
      for (let index = 0; index < values.length; index++) {
        ranking[index] = { index, score: scores[index] as number };
      }
      ranking.sort((left, right) => right.score - left.score);
      return { ranking: options.topN === undefined ? ranking : ranking.slice(0, options.topN) };
    },
  };
}

/** Prints the median and p95 cost of `rerank()` against calling `doRerank` directly. */
export async function benchRerankOverhead(): Promise<void> {
  const count = 100;
  const scores = Array.from({ length: count }, (_value, index) => ((index * 7919) % 1000) / 1000);
  const texts = scores.map((_score, index) => `Document ${index}: a policy paragraph about fees.`);
  const objects = texts.map((text, index) => ({
    id: `doc-${index}`,
    text,
    metadata: { section: `s${index % 7}`, year: 2020 + (index % 5) },
  }));
  const stage = trivialStage(scores);
  const windowed = trivialStage(scores, 25);
  const query = 'How do I close a savings account?';

  const textInput = { type: 'text' as const, values: texts };
  const cases: {
    name: string;
    direct: () => PromiseLike<unknown>;
    core: () => PromiseLike<unknown>;
  }[] = [
    {
      name: '100 string docs, topN 10',
      direct: () => stage.doRerank({ query, documents: textInput, topN: 10 }),
      core: () => rerank({ model: stage, query, documents: texts, topN: 10 }),
    },
    {
      name: '100 string docs, all ranked',
      direct: () => stage.doRerank({ query, documents: textInput }),
      core: () => rerank({ model: stage, query, documents: texts }),
    },
    {
      name: '100 object docs, topN 10',
      direct: () => stage.doRerank({ query, documents: textInput, topN: 10 }),
      core: () => rerank({ model: stage, query, documents: objects, topN: 10 }),
    },
    {
      name: "100 object docs, format 'object'",
      direct: () => stage.doRerank({ query, documents: textInput, topN: 10 }),
      core: () =>
        rerank({ model: stage, query, documents: objects, topN: 10, documentFormat: 'object' }),
    },
    {
      name: '100 docs in 4 windows of 25',
      // The baseline is the four direct calls the windows make, one after another.
      direct: async () => {
        for (let offset = 0; offset < count; offset += 25) {
          await windowed.doRerank({
            query,
            documents: { type: 'text', values: texts.slice(offset, offset + 25) },
            topN: 10,
          });
        }
      },
      core: () => rerank({ model: windowed, query, documents: texts, topN: 10 }),
    },
  ];

  const iterations = 5000;
  const rows: string[][] = [];
  for (const benchCase of cases) {
    const [direct, core] = (await timeInterleaved([benchCase.direct, benchCase.core], {
      warmup: 1000,
      iterations,
    })) as [number[], number[]];
    const directTiming = summarise(direct);
    const coreTiming = summarise(core);
    const added = coreTiming.median - directTiming.median;
    rows.push([
      benchCase.name,
      microseconds(directTiming.median),
      microseconds(directTiming.p95),
      microseconds(coreTiming.median),
      microseconds(coreTiming.p95),
      microseconds(added),
      added < targetMs ? 'yes' : 'NO',
    ]);
  }

  console.log(
    `\nrerank() overhead over doRerank() — trivial in-process stage, ${iterations} interleaved iterations after 1000 warm-up (target: < ${targetMs * 1000} µs added)\n`,
  );
  printTable(
    [
      'case',
      'doRerank median',
      'doRerank p95',
      'rerank() median',
      'rerank() p95',
      'added (median)',
      `< ${targetMs} ms`,
    ],
    rows,
  );
}
