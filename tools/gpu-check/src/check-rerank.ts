/**
 * Scores 1 query × N documents through the package's public API on one execution provider and
 * writes logits, the provider the stage reports, warnings and timings to a JSON file; `compare`
 * prints the max abs diff of two such files.
 *
 *   node check-rerank.js score <label> <cpu|webgpu|cuda> <fallback: true|false> <out.json> <modelDir>...
 *   node check-rerank.js compare <reference.json> <other.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TwostageError } from '../../../packages/core/src/index.js';
import { createLocalOnnx } from '../../../packages/provider-local-onnx/src/index.js';
import { makeDocuments, makeQueries } from './corpus.js';

type ErrorReport = {
  className: string;
  name: string;
  message: string;
  isTwostageError: boolean;
  cause?: string;
};

type ModelReport = {
  model: string;
  requested: string;
  fallbackToCpu: boolean;
  ok: boolean;
  executionProvider?: unknown;
  warnings: string[];
  loadMs?: number;
  callMs: number[];
  documents: number;
  logits?: number[];
  inputTokens?: number;
  error?: ErrorReport;
};

const describeError = (error: unknown): ErrorReport => {
  const value = error as Error & { cause?: unknown };
  return {
    className: value?.constructor?.name ?? typeof error,
    name: value?.name ?? '',
    message: value?.message ?? String(error),
    isTwostageError: error instanceof TwostageError,
    ...(value?.cause === undefined
      ? {}
      : { cause: String((value.cause as Error)?.message ?? value.cause) }),
  };
};

/** Finds `executionProvider` anywhere in the loaded model (the runtime layout is being refactored). */
function findExecutionProvider(value: unknown, depth = 0, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value !== 'object' || depth > 5 || seen.has(value)) return undefined;
  seen.add(value);
  const record = value as Record<string, unknown>;
  if ('executionProvider' in record) return record.executionProvider;
  for (const key of Object.keys(record)) {
    let child: unknown;
    try {
      child = record[key];
    } catch {
      continue;
    }
    const found = findExecutionProvider(child, depth + 1, seen);
    if (found !== undefined) return found;
  }
  for (const key of ['info', 'backend', 'pool', 'executor', 'runner']) {
    try {
      const found = findExecutionProvider(record[key], depth + 1, seen);
      if (found !== undefined) return found;
    } catch {}
  }
  return undefined;
}

const warningText = (warning: unknown) => {
  const value = warning as { message?: string; details?: string; type?: string; setting?: string };
  return `[${value.type}] ${value.message ?? ''}${value.setting ?? ''} ${value.details ?? ''}`.trim();
};

async function scoreModel(
  directory: string,
  requested: 'cpu' | 'webgpu' | 'cuda',
  fallbackToCpu: boolean,
  documentCount: number,
  repeats: number,
): Promise<ModelReport> {
  const report: ModelReport = {
    model: basename(directory),
    requested,
    fallbackToCpu,
    ok: false,
    warnings: [],
    callMs: [],
    documents: documentCount,
  };
  const stage = createLocalOnnx().reranker(directory, {
    executionProvider: requested,
    fallbackToCpu,
    activation: 'identity',
    // GPU_CHECK_WORKER=0 runs inference on the main thread (to tell worker-only failures apart).
    ...(process.env.GPU_CHECK_WORKER === '0' ? { worker: false } : {}),
  });
  const query = makeQueries(1)[0] as string;
  const documents = makeDocuments(documentCount);
  try {
    let started = performance.now();
    const loaded = await stage.load();
    report.loadMs = Math.round(performance.now() - started);
    report.executionProvider = findExecutionProvider(loaded);
    for (let call = 0; call < repeats; call += 1) {
      started = performance.now();
      const result = await stage.doRerank({
        query,
        documents: { type: 'text', values: documents },
      });
      report.callMs.push(Math.round((performance.now() - started) * 10) / 10);
      for (const warning of result.warnings ?? []) {
        const text = warningText(warning);
        if (!report.warnings.includes(text)) report.warnings.push(text);
      }
      if (call === 0) {
        const logits = new Array<number>(documents.length).fill(Number.NaN);
        for (const entry of result.ranking) logits[entry.index] = entry.score;
        report.logits = logits;
        report.inputTokens = result.usage?.inputTokens;
      }
    }
    report.ok = true;
  } catch (error) {
    report.error = describeError(error);
  } finally {
    // A native teardown that never settles must not eat the step's time budget.
    await Promise.race([
      stage.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    ]);
  }
  return report;
}

function printReport(label: string, report: ModelReport): void {
  const head = `[${label}] ${report.model} requested=${report.requested} fallbackToCpu=${report.fallbackToCpu}`;
  if (report.ok) {
    console.log(
      `${head} -> OK executionProvider=${String(report.executionProvider)} load=${report.loadMs}ms calls(ms)=${report.callMs.join(',')} docs=${report.documents} inputTokens=${report.inputTokens}`,
    );
  } else {
    const error = report.error as ErrorReport;
    console.log(
      `${head} -> ERROR class=${error.className} name=${error.name} twostageError=${error.isTwostageError}\n    message: ${error.message}${error.cause === undefined ? '' : `\n    cause: ${error.cause}`}`,
    );
  }
  for (const warning of report.warnings) console.log(`    warning: ${warning}`);
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'score') {
    const [label, provider, fallback, output, ...directories] = rest;
    const documentCount = Number(process.env.GPU_CHECK_DOCUMENTS ?? 64);
    const repeats = Number(process.env.GPU_CHECK_REPEATS ?? 5);
    const reports: ModelReport[] = [];
    for (const directory of directories) {
      const report = await scoreModel(
        directory,
        provider as 'cpu' | 'webgpu' | 'cuda',
        fallback === 'true',
        documentCount,
        repeats,
      );
      printReport(label as string, report);
      reports.push(report);
    }
    writeFileSync(output as string, JSON.stringify({ label, reports }, null, 1));
    return;
  }
  if (mode === 'compare') {
    const [referencePath, otherPath] = rest;
    const reference = JSON.parse(readFileSync(referencePath as string, 'utf8')) as {
      label: string;
      reports: ModelReport[];
    };
    const other = JSON.parse(readFileSync(otherPath as string, 'utf8')) as typeof reference;
    let failed = 0;
    for (const report of other.reports) {
      const base = reference.reports.find((entry) => entry.model === report.model);
      const tag = `${other.label} vs ${reference.label} ${report.model}`;
      if (base?.logits === undefined || report.logits === undefined) {
        console.log(`FAIL: ${tag}: no logits to compare (${report.error?.message ?? 'missing'})`);
        failed += 1;
        continue;
      }
      let maxDiff = 0;
      let maxAbs = 0;
      for (let index = 0; index < base.logits.length; index += 1) {
        const left = base.logits[index] as number;
        const right = report.logits[index] as number;
        const diff = Math.abs(left - right);
        maxDiff = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(maxDiff, diff);
        maxAbs = Math.max(maxAbs, Math.abs(left));
      }
      const order = (logits: number[]) =>
        logits
          .map((score, index) => ({ score, index }))
          .sort((left, right) => right.score - left.score)
          .slice(0, 10)
          .map((entry) => entry.index)
          .join(',');
      const sameTop10 = order(base.logits) === order(report.logits);
      const tolerance = 1e-3 * Math.max(1, maxAbs);
      const verdict = maxDiff <= tolerance ? 'PASS' : 'FAIL';
      if (verdict === 'FAIL') failed += 1;
      console.log(
        `${verdict}: ${tag}: max abs diff of logits = ${maxDiff.toExponential(3)} (max |logit| ${maxAbs.toFixed(3)}, tolerance ${tolerance.toExponential(1)}), same top-10 order: ${sameTop10}, provider used: ${String(report.executionProvider)}`,
      );
    }
    process.exitCode = failed === 0 ? 0 : 1;
    return;
  }
  console.error('usage: check-rerank.js score|compare ...');
  process.exitCode = 2;
}

await main();
// Exit even if a native thread (Dawn, onnxruntime) would keep the process alive.
process.exit(process.exitCode ?? 0);
