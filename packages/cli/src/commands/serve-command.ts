import { isIP } from 'node:net';
import { type RerankStageV1, resolveEmbeddingModel, withCalibration } from '@twostage/core';
import { LocalOnnxRerankStage } from '@twostage/provider-local-onnx';
import {
  createRerankServer,
  createServerLogger,
  isLoopbackHost,
  parseServerTokens,
} from '@twostage/server';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { parseCountOption } from '../inputs/parse-count-option.js';
import { readCalibrationFile } from '../inputs/read-calibration-file.js';
import { executionProviders } from '../models/hub-settings.js';
import { resolveCliReranker } from '../resolve-cli-reranker.js';
import type { RegisterCommand } from './register-command.js';

type ServeFlags = {
  reranker?: string;
  calibration?: string;
  embeddingModel?: string;
  port: number;
  host: string;
  insecureNoAuth?: boolean;
  maxDocuments?: number;
  maxConcurrentRequests?: number;
  maxConcurrentDocuments?: number;
  timeoutMs?: number;
  microBatching: boolean;
  executionProvider?: string;
};

const examples = `
Examples:
  $ TWOSTAGE_SERVER_TOKENS=token1,token2 twostage serve --reranker local-onnx:Xenova/ms-marco-MiniLM-L-6-v2 --host 0.0.0.0
  $ twostage serve --reranker local-onnx:./models/bge-reranker-base --insecure-no-auth
  $ twostage serve --reranker local-onnx:./reranker --embedding-model local-onnx:./bi-encoder --port 9000

Clients: the Cohere adapter with baseUrl http://<host>:<port> (POST /v2/rerank), or any TEI
client (POST /rerank). SIGTERM or Ctrl-C drains requests in flight, then exits.`;

/** Commander's parser for `--port`: 0 (any free port) to 65535. */
function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(port) || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  }
  return port;
}

/** `twostage serve`: a Cohere- and TEI-shaped rerank server for every app on the network. */
export const registerServeCommand: RegisterCommand = (context) =>
  new Command('serve')
    .description('Serve a reranker over HTTP with Cohere- and TEI-shaped routes.')
    .option(
      '--reranker <ref>',
      'the reranker (local-onnx:<hub id or dir>, cohere:<model>, ...); default: TWOSTAGE_RERANKER, else the local default model',
    )
    .option(
      '--calibration <file>',
      'serve calibrated probabilities (a file from twostage calibrate)',
    )
    .addOption(
      new Option(
        '--execution-provider <name>',
        'where local ONNX models run (default: TWOSTAGE_EXECUTION_PROVIDER, else cpu); an unavailable GPU falls back to the CPU with a warning',
      ).choices(executionProviders),
    )
    .option('--embedding-model <ref>', 'also serve /v2/embed and /embed with this model')
    .option('--port <n>', 'the port to listen on', parsePort, 8080)
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--insecure-no-auth', 'accept requests without a token (loopback hosts only)')
    .option('--max-documents <n>', 'documents per request (default 1000)', parseCountOption)
    .option(
      '--max-concurrent-requests <n>',
      'requests held at once; past it, 429 (default 64)',
      parseCountOption,
    )
    .option(
      '--max-concurrent-documents <n>',
      'documents held at once over all requests; past it, 429; TEI clients read it from /info (default 8192)',
      parseCountOption,
    )
    .option('--timeout-ms <n>', 'per-request timeout (default 30000)', parseCountOption)
    .addOption(new Option('--no-micro-batching', 'score every request in its own model call'))
    .addHelpText('after', examples)
    .action(async (flags: ServeFlags) => {
      await runServe(flags, context);
    });

async function runServe(flags: ServeFlags, context: CliContext): Promise<void> {
  if (flags.host !== 'localhost' && isIP(flags.host) === 0) {
    throw usageError(`--host must be an IP address or localhost, not '${flags.host}'.`, 'serve');
  }
  const tokens = parseServerTokens(context.env.TWOSTAGE_SERVER_TOKENS);
  const insecure = flags.insecureNoAuth === true;
  if (insecure && !isLoopbackHost(flags.host)) {
    throw usageError(
      `--insecure-no-auth is allowed on a loopback host only, not '${flags.host}'; set TWOSTAGE_SERVER_TOKENS instead.`,
      'serve',
    );
  }
  if (tokens.length === 0 && !insecure) {
    throw usageError(
      'no bearer tokens: set TWOSTAGE_SERVER_TOKENS (comma-separated), or pass --insecure-no-auth on a loopback host.',
      'serve',
    );
  }
  const maxDocuments = flags.maxDocuments ?? 1000;
  if (flags.maxConcurrentDocuments !== undefined && flags.maxConcurrentDocuments < maxDocuments) {
    throw usageError(
      `--max-concurrent-documents (${flags.maxConcurrentDocuments}) must be at least --max-documents (${maxDocuments}): a full request could never be admitted.`,
      'serve',
    );
  }
  const calibration =
    flags.calibration === undefined
      ? undefined
      : await readCalibrationFile(flags.calibration, context);
  // The flag wins over the environment; both reach the local provider the same way.
  const modelContext: CliContext =
    flags.executionProvider === undefined
      ? context
      : {
          ...context,
          env: { ...context.env, TWOSTAGE_EXECUTION_PROVIDER: flags.executionProvider },
        };
  const chosen = await resolveCliReranker(flags.reranker, modelContext);
  if (chosen.reranker === undefined) {
    throw usageError(`the reranker ${chosen.label} cannot be loaded: ${chosen.reason}`, 'serve');
  }
  // Served scores are the calibration's probabilities; another model's calibration is refused.
  const reranker =
    calibration === undefined ? chosen.reranker : withCalibration(chosen.reranker, calibration);
  const embeddingModel =
    flags.embeddingModel === undefined
      ? undefined
      : await resolveEmbeddingModel(flags.embeddingModel, {
          cwd: context.cwd,
          // Only the local provider knows execution providers; other providers refuse the name.
          ...(flags.executionProvider !== undefined &&
          flags.embeddingModel.trim().startsWith('local-onnx:')
            ? { settings: { executionProvider: flags.executionProvider } }
            : {}),
        });
  const server = createRerankServer({
    reranker,
    ...(embeddingModel === undefined ? {} : { embeddingModel }),
    tokens,
    insecureNoAuth: insecure,
    limits: {
      ...(flags.maxDocuments === undefined ? {} : { maxDocumentsPerRequest: flags.maxDocuments }),
      ...(flags.maxConcurrentRequests === undefined
        ? {}
        : { maxConcurrentRequests: flags.maxConcurrentRequests }),
      ...(flags.maxConcurrentDocuments === undefined
        ? {}
        : { maxConcurrentDocuments: flags.maxConcurrentDocuments }),
      ...(flags.timeoutMs === undefined ? {} : { requestTimeoutMs: flags.timeoutMs }),
    },
    batching: { microBatching: flags.microBatching },
    // One JSON line per request on stdout; tokens never reach it.
    logger: createServerLogger(context.stdout),
  });
  const url = await server.listen({ port: flags.port, host: flags.host });
  const where = await executionProviderOf(chosen.reranker);
  context.stderr.write(
    `twostage: serving ${chosen.label}${where === undefined ? '' : ` on ${where}`} at ${url} (${insecure ? 'no auth' : `${tokens.length} token(s)`}${flags.microBatching ? ', micro-batching' : ''})\n`,
  );
  if (!context.signal.aborted) {
    await new Promise<void>((resolve) =>
      context.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
  context.stderr.write('twostage: draining requests in flight, then exiting\n');
  await server.close();
}

/**
 * Where a local ONNX reranker really runs (`cpu` after a GPU fallback), read from the loaded
 * model; undefined for a remote stage.
 */
async function executionProviderOf(reranker: RerankStageV1): Promise<string | undefined> {
  if (!(reranker instanceof LocalOnnxRerankStage)) return undefined;
  const loaded = await reranker.load();
  return loaded.backend.info.executionProvider;
}
