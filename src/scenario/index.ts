/** Scenario files: schema, loading with precise errors, compilation to plain objects with defaults. */
export * from './schema.ts';
export * from './compile.ts';
export * from './load.ts';
