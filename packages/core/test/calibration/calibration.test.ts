import { describe, expect, test } from 'vitest';
import {
  applyCalibration,
  brierScore,
  calibrate,
  expectedCalibrationError,
  InvalidArgumentError,
  parseCalibration,
  rerank,
  suggestThreshold,
  withCalibration,
} from '../../src/index.js';
import { MockRerankStage } from '../../src/mock/index.js';

/** mulberry32: a small seeded generator, so every run draws the same pairs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Scores ~ N(0, 2²), labels drawn from the logistic model p = sigmoid(a·s + b). */
function draw(count: number, a: number, b: number, seed: number) {
  const random = seeded(seed);
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (let index = 0; index < count; index++) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const score = 2 * normal;
    scores.push(score);
    labels.push(random() < sigmoid(a * score + b) ? 1 : 0);
  }
  return { scores, labels };
}

const fitted = { provider: 'mock', modelId: 'mock-reranker' };

describe('calibrate', () => {
  test('Platt recovers the parameters of the logistic model the labels were drawn from', () => {
    for (const [a, b] of [
      [1.5, -0.5],
      [0.7, 1.2],
    ] as const) {
      const { scores, labels } = draw(20_000, a, b, 7);
      const calibration = calibrate({ scores, labels, method: 'platt', ...fitted });
      expect(calibration.platt?.a).toBeCloseTo(a, 1);
      expect(calibration.platt?.b).toBeCloseTo(b, 1);
      expect(Math.abs((calibration.platt?.a ?? 0) - a)).toBeLessThan(0.08);
      expect(Math.abs((calibration.platt?.b ?? 0) - b)).toBeLessThan(0.08);
      expect(calibration.fittedOn.pairs).toBe(20_000);
    }
  });

  test('isotonic is non-decreasing and lowers the calibration error of miscalibrated scores', () => {
    // Scores that are probabilities of the wrong shape: the true relevance is sigmoid(3s − 1).
    const { scores, labels } = draw(5_000, 3, -1, 11);
    const raw = scores.map((score) => sigmoid(score));
    const calibration = calibrate({ scores: raw, labels, method: 'isotonic', ...fitted });
    const points = calibration.isotonic?.probabilities ?? [];
    for (let index = 1; index < points.length; index++) {
      expect(points[index]).toBeGreaterThanOrEqual(points[index - 1] as number);
    }
    const calibrated = raw.map((score) => applyCalibration(calibration, score));
    const before = expectedCalibrationError(raw, labels);
    const after = expectedCalibrationError(calibrated, labels);
    expect(after).toBeLessThan(before / 2);
    expect(brierScore(calibrated, labels)).toBeLessThan(brierScore(raw, labels));
  });

  test('isotonic pools a violation into one block and interpolates between blocks', () => {
    const calibration = calibrate({
      scores: [1, 2, 3, 4],
      labels: [0, 1, 0, 1],
      method: 'isotonic',
      ...fitted,
    });
    expect(calibration.isotonic).toEqual({ scores: [1, 2.5, 4], probabilities: [0, 0.5, 1] });
    expect(applyCalibration(calibration, 0)).toBe(0);
    expect(applyCalibration(calibration, 1.75)).toBeCloseTo(0.25, 10);
    expect(applyCalibration(calibration, 9)).toBe(1);
  });

  test('isotonic gives tied scores one probability, and its points strictly increase', () => {
    // (0.1 + 0.1 + 0.1) / 3 is 0.10000000000000002: a mean-based tie check split these ties
    // and wrote points that decrease, which parseCalibration then refused.
    const calibration = calibrate({
      scores: [0.1, 0.1, 0.1, 0.1, 0.7, 0.7, 0.7, 0.7, 0.7],
      labels: [0, 0, 0, 1, 1, 1, 0, 1, 1],
      method: 'isotonic',
      ...fitted,
    });
    expect(calibration.isotonic).toEqual({ scores: [0.1, 0.7], probabilities: [0.25, 0.8] });
    expect(applyCalibration(calibration, 0.7)).toBe(0.8);
    expect(parseCalibration(JSON.stringify(calibration))).toEqual(calibration);
    expect(() => withCalibration(new MockRerankStage(), calibration)).not.toThrow();
  });

  test('the metrics on a hand case', () => {
    expect(brierScore([0.5, 0.5], [0, 1])).toBe(0.25);
    expect(expectedCalibrationError([0.9, 0.9, 0.1, 0.1], [1, 0, 0, 0])).toBeCloseTo(0.25, 10);
    // Raw logits are not probabilities: both metrics refuse them, naming the position.
    for (const metric of [brierScore, expectedCalibrationError]) {
      expect(() => metric([0.5, 5, -3], [1, 1, 0])).toThrow(
        expect.objectContaining({ argument: 'probabilities[1]' }),
      );
    }
  });

  test.each([
    [{ scores: [1, 2], labels: [0] }, 'labels'],
    [{ scores: [], labels: [] }, 'scores'],
    [{ scores: [1, Number.NaN], labels: [0, 1] }, 'scores[1]'],
    [{ scores: [1, 2], labels: [0, 2] }, 'labels[1]'],
    [{ scores: [1, 2], labels: [1, 1] }, 'labels'],
    [{ scores: [1, 2], labels: [0, 1], method: 'beta' }, 'method'],
    [{ scores: [1, 2], labels: [0, 1], metod: 'platt' }, 'metod'],
    [{ scores: [1, 2], labels: [0, 1], provider: '' }, 'provider'],
  ])('bad input %j is an InvalidArgumentError naming %s', (input, argument) => {
    let error: unknown;
    try {
      calibrate({ ...fitted, ...input } as never);
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });
});

describe('parseCalibration', () => {
  const good = calibrate({ scores: [0, 1, 2, 3], labels: [0, 0, 1, 1], ...fitted });

  test('reads back what JSON.stringify wrote', () => {
    expect(parseCalibration(JSON.stringify(good))).toEqual(good);
  });

  test.each([
    ['{not json', 'calibration'],
    [JSON.stringify({ ...good, formatVersion: 2 }), 'calibration.formatVersion'],
    [JSON.stringify({ ...good, platt: { a: 'x', b: 0 } }), 'calibration.platt.a'],
    [JSON.stringify({ ...good, modelId: '' }), 'calibration.modelId'],
    [
      JSON.stringify({
        ...good,
        method: 'isotonic',
        isotonic: { scores: [2, 1], probabilities: [0, 1] },
      }),
      'calibration.isotonic',
    ],
  ])('a damaged file names the field (%s)', (text, argument) => {
    expect(() => parseCalibration(text)).toThrow(InvalidArgumentError);
    try {
      parseCalibration(text);
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
});

describe('withCalibration', () => {
  const documents = ['early repayment fee', 'repayment', 'card fee', 'savings'];

  test('scores through rerank() are the calibration of the raw scores, in the same order', async () => {
    const stage = new MockRerankStage();
    const calibration = calibrate({
      scores: [0, 0.2, 0.5, 0.8, 1],
      labels: [0, 0, 1, 1, 1],
      ...fitted,
    });
    const raw = await rerank({ model: stage, query: 'early repayment fee', documents });
    const calibrated = await rerank({
      model: withCalibration(stage, calibration),
      query: 'early repayment fee',
      documents,
    });
    expect(calibrated.ranking.map((item) => item.index)).toEqual(
      raw.ranking.map((item) => item.index),
    );
    calibrated.ranking.forEach((item, position) => {
      expect(item.score).toBeCloseTo(
        applyCalibration(calibration, raw.ranking[position]?.score as number),
        12,
      );
    });
    expect(withCalibration(stage, calibration).scoreKind).toBe('probability');
  });

  test('refuses a stage of another model', () => {
    const calibration = calibrate({
      scores: [0, 1],
      labels: [0, 1],
      provider: 'cohere',
      modelId: 'rerank-v3.5',
    });
    expect(() => withCalibration(new MockRerankStage(), calibration)).toThrow(
      /fitted on 'cohere:rerank-v3.5'/,
    );
  });
});

describe('suggestThreshold', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const labels = [1, 1, 0, 1, 0, 0] as const;

  test('maximises F1', () => {
    // Keeping the top 4 gives precision 3/4, recall 1, F1 6/7 — the best.
    expect(suggestThreshold({ scores, labels: [...labels], target: 'f1' })).toEqual({
      minScore: 0.6,
      precision: 0.75,
      recall: 1,
      f1: 6 / 7,
    });
  });

  test('keeps the most results at a precision target', () => {
    expect(
      suggestThreshold({ scores, labels: [...labels], target: { precision: 1 } }),
    ).toMatchObject({
      minScore: 0.8,
      recall: 2 / 3,
    });
  });

  test('a target no threshold reaches, or a malformed one, is an InvalidArgumentError', () => {
    expect(() =>
      suggestThreshold({ scores: [0.9, 0.8], labels: [0, 1], target: { precision: 0.9 } }),
    ).toThrow(/best is 0.500/);
    expect(() =>
      suggestThreshold({ scores, labels: [...labels], target: { precision: 2 } }),
    ).toThrow(InvalidArgumentError);
    expect(() => suggestThreshold({ scores, labels: [...labels], target: 'auc' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      suggestThreshold({
        scores,
        labels: [...labels],
        target: { precision: 0.5, recall: 0.5 } as never,
      }),
    ).toThrow(/'target.recall'/);
  });
});
