/**
 * Serves questions over HTTP with a two-stage pipeline:
 *
 *   pnpm --filter @twostage/example-http-app start
 *   curl 'http://127.0.0.1:3000/ask?q=early%20repayment%20fee'
 *
 * `PORT` (default 3000) and `HOST` (default 127.0.0.1) choose where it listens; the stages come
 * from `TWOSTAGE_RETRIEVER` / `TWOSTAGE_RERANKER` (see README.md).
 */
import { createAppPipeline } from './create-app-pipeline.js';
import { createAskServer } from './create-ask-server.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
try {
  const { pipeline, retriever, reranker } = await createAppPipeline(process.env);
  const server = createAskServer({ pipeline });
  server.listen(port, host, () => {
    console.log(`stage 1: ${retriever}`);
    console.log(`stage 2: ${reranker}`);
    console.log(`listening on http://${host}:${port}/ask?q=...`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`http-app: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
