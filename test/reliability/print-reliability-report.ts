/**
 * Runs the fault scenarios and the bad-input table once and prints both as Markdown, with what
 * was observed, for docs/reliability.md. `pnpm reliability:report` runs it; the tests
 * (`fault-suite.test.ts`, `bad-inputs.test.ts`) assert the same rows.
 */
import { TwostageError } from '@twostage/core';
import type { BadInputRow } from './bad-input-row.js';
import { cliBadInputs } from './cli-bad-inputs.js';
import { coreBadInputs } from './core-bad-inputs.js';
import { embeddedBadInputs } from './engine-bad-inputs.js';
import { faultScenarios } from './fault-scenarios.js';
import { providerBadInputs } from './provider-bad-inputs.js';

const cell = (text: string) => text.replaceAll('|', '\\|');

async function observed(row: BadInputRow): Promise<string> {
  try {
    const value = await row.run();
    if ('exitCode' in row.expect) {
      const run = value as { code: number; stderr: string };
      return `exit ${run.code}: ${run.stderr.split('\n')[0]?.slice(0, 90) ?? ''}`;
    }
    if ('warning' in row.expect) {
      const warnings = value as { message?: string }[];
      return `warning: ${warnings
        .map((warning) => warning.message ?? '')
        .join('; ')
        .slice(0, 90)}`;
    }
    return 'accepted (silently)';
  } catch (error) {
    if (!TwostageError.isInstance(error)) return `UNTYPED ${String(error).slice(0, 80)}`;
    const argument = (error as { argument?: string }).argument;
    return `${(error as Error).name}${argument === undefined ? '' : ` \`${argument}\``}`;
  }
}

console.log(`Run on ${new Date().toISOString()}, Node ${process.version}, ${process.platform}.\n`);
console.log(
  '| target | fault | calls | completed | failed | retries | slowest / deadline | wrong results | leftover timers / sockets |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const scenario of faultScenarios) {
  const figures = await scenario.run();
  const failed =
    Object.entries(figures.failed)
      .map(([name, count]) => `${count} ${name}`)
      .join(', ') || '0';
  console.log(
    `| ${scenario.target} | ${cell(scenario.fault)} | ${figures.calls} | ${figures.completed} | ${failed}${figures.untyped > 0 ? `, ${figures.untyped} UNTYPED` : ''} | ${figures.retries} | ${Math.round(figures.slowestMs)} / ${scenario.deadlineMs} ms | ${figures.wrongResults} | ${figures.leftoverTimers} / ${figures.leftoverSockets} |`,
  );
}

const rows = [...coreBadInputs, ...embeddedBadInputs, ...providerBadInputs, ...cliBadInputs];
console.log(`\n${rows.length} bad inputs:\n`);
console.log('| area | input | observed |');
console.log('| --- | --- | --- |');
for (const row of rows)
  console.log(`| ${row.area} | \`${cell(row.input)}\` | ${cell(await observed(row))} |`);
process.exit(0);
