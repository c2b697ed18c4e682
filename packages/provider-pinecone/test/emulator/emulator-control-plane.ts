import type { EmulatedIndex } from './emulator-index.js';

/** The `IndexModel` that `GET /indexes/{name}` answers (2026-04 shape, loopback `host`). */
export function describeIndexModel(index: EmulatedIndex): unknown {
  return {
    name: index.name,
    dimension: index.dimension,
    metric: index.metric,
    host: index.host,
    deletion_protection: 'disabled',
    spec: {
      serverless: {
        cloud: 'aws',
        region: 'us-east-1',
        read_capacity: { mode: 'OnDemand', status: { state: 'Ready' } },
      },
    },
    status: { ready: true, state: 'Ready' },
    vector_type: 'dense',
    ...(index.integrated === undefined
      ? {}
      : {
          embed: {
            model: index.integrated.model,
            metric: index.metric,
            dimension: index.dimension,
            vector_type: 'dense',
            field_map: { text: index.integrated.textField },
            read_parameters: { input_type: 'query' },
            write_parameters: { input_type: 'passage' },
          },
        }),
  };
}
