import { describe, expect, test } from 'vitest';
import { faultScenarios } from './fault-scenarios.js';

/**
 * Slack on top of a deadline: the deadline's timer fires, then the rejection runs, on a 2-core CI
 * machine running other test files at the same time.
 */
const slackMs = 500;

describe('fault injection', () => {
  test.each(
    faultScenarios.map((scenario) => [`${scenario.target}: ${scenario.fault}`, scenario] as const),
  )('%s', async (_name, scenario) => {
    const figures = await scenario.run();
    const { expected } = scenario;
    expect(figures.untyped).toBe(0);
    expect(figures.completed).toBe(expected.completed);
    const failures = scenario.calls - expected.completed;
    expect(figures.failed).toEqual(
      failures === 0 ? {} : { [expected.failedWith as string]: failures },
    );
    // Nothing lost, duplicated or attributed to the wrong document.
    expect(figures.wrongResults).toBe(0);
    if (expected.minRetries !== undefined)
      expect(figures.retries).toBeGreaterThanOrEqual(expected.minRetries);
    if (expected.maxRetries !== undefined)
      expect(figures.retries).toBeLessThanOrEqual(expected.maxRetries);
    // No call outlasts its deadline, retries and backoff included.
    expect(figures.slowestMs).toBeLessThanOrEqual(scenario.deadlineMs + slackMs);
    expect(figures.leftoverTimers).toBe(0);
    expect(figures.leftoverSockets).toBe(0);
  });
});
