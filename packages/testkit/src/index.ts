export { lexicalShare, words } from './lexical-share.js';
export { type LoopbackServer, readBody, startLoopbackServer } from './loopback-server.js';
export {
  type OpenApiDocumentName,
  type OpenApiValidation,
  OpenApiValidator,
} from './openapi-validator.js';
export { runInTemporaryApp, type TemporaryAppOptions } from './run-in-temporary-app.js';
