/** The version of `@twostage/provider-pinecone`, kept in step with its `package.json`. */
export const VERSION = '0.1.0';
