import { type CliContext, writeLine } from '../cli-context.js';
import { formatBytes } from './format-bytes.js';
import { cacheDirectoryFromEnv } from './hub-settings.js';
import { type CachedModel, listCachedModels } from './list-cached-models.js';

/** `twostage models list`: every cached model with its files, sizes and sha256, or JSON. */
export async function printCachedModels(json: boolean, context: CliContext): Promise<void> {
  const cacheDirectory = cacheDirectoryFromEnv(context);
  const models = await listCachedModels(cacheDirectory);
  if (json) {
    writeLine(context.stdout, JSON.stringify({ cacheDirectory, models }, null, 2));
    return;
  }
  writeLine(context.stdout, `Model cache: ${cacheDirectory}`);
  if (models.length === 0) {
    writeLine(
      context.stdout,
      "No models cached. Download one with 'twostage models pull <hub-id>'.",
    );
    return;
  }
  for (const model of models) printModel(model, context);
}

/** One model as `models list` and `models pull` show it: a heading line, then one line per file. */
export function printModel(model: CachedModel, context: CliContext): void {
  writeLine(context.stdout);
  writeLine(
    context.stdout,
    `${model.id}  revision ${model.revision}  ${formatBytes(model.bytes)} in ${model.files.length} files  ${model.directory}`,
  );
  const width = Math.max(...model.files.map((file) => formatBytes(file.bytes).length), 0);
  for (const file of model.files) {
    writeLine(
      context.stdout,
      `  ${formatBytes(file.bytes).padStart(width)}  ${file.sha256}  ${file.path}`,
    );
  }
  for (const file of model.interrupted) {
    writeLine(
      context.stdout,
      `  (interrupted download of ${file}: 'twostage models pull ${model.id}' resumes it)`,
    );
  }
}
