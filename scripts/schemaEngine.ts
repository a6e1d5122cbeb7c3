// Prisma's schema engine as WebAssembly, for machines that cannot download the CLI's native engine.
// The package's ESM entry imports its `.wasm` file directly, which Node 20 cannot do, so this file does
// what that entry does by hand: instantiate `schema_engine_bg.wasm` against the `schema_engine_bg.js` glue.
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type {
  DiffParams,
  DiffResult,
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
  SchemasContainer,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

// Node has the WebAssembly global, but lib ES2023 declares none of it.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

let loaded: Promise<typeof bindings> | undefined;

/** Instantiates the wasm module once per process (about 1 s) and returns its bindings. */
export function loadSchemaEngineBindings(): Promise<typeof bindings> {
  loaded ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    // The module imports every glue function from the one module named below.
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return loaded;
}

export interface OfflineSchemaEngine {
  readonly engine: SchemaEngine;
  /** Runs one engine call, turning "External error id#N" into the adapter error it stands for. */
  run<T>(call: (engine: SchemaEngine) => Promise<T>): Promise<T>;
}

export interface OpenSchemaEngineOptions {
  /** `[path, content]` of each schema file, for commands that read the schema given at start. */
  datamodels?: [string, string][];
  /** The engine's log lines (JSON); dropped unless given. */
  onLog?: (line: string) => void;
}

/**
 * Starts an engine over a driver adapter, bound the way the Prisma CLI binds one
 * (`bindMigrationAwareSqlAdapterFactory`): the engine connects through `connect()`, and through
 * `connectToShadowDb()` whenever it needs a shadow database.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: OpenSchemaEngineOptions = {},
): Promise<OfflineSchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngineBindings();
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  const onLog = options.onLog ?? (() => {});
  const engine = await SchemaEngine.new({ datamodels: options.datamodels }, onLog, adapter).catch(
    (error: unknown) => {
      throw withAdapterError(error, adapter.errorRegistry);
    },
  );
  return {
    engine,
    run: (call) =>
      call(engine).catch((error: unknown) => {
        throw withAdapterError(error, adapter.errorRegistry);
      }),
  };
}

/** The engine reports a JS error thrown inside the adapter only as "External error id#N": put it back. */
export function withAdapterError(error: unknown, registry: ErrorRegistry): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const match = /External error id#(\d+)/.exec(message);
  const record = match ? registry.consumeError(Number(match[1])) : undefined;
  if (!match || !record) return error;
  const cause = record.error;
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : JSON.stringify(cause);
  return new Error(message.replace(match[0], `${match[0]}: ${detail}`), { cause });
}

/**
 * One in-memory PGlite database as both main and shadow database: enough for `diff`, which replays the
 * migrations on the shadow and never uses the main one (a PGlite takes 2-3 s to start, so only one).
 * pglite-prisma-adapter 0.7.2's `executeScript` does not await PGlite's `exec`, so a migration that fails
 * on the shadow database would be skipped silently (its error an unhandled rejection): we await it here.
 */
export function scratchPGliteFactory(): SqlMigrationAwareDriverAdapterFactory {
  const pglite = new PGlite();
  const open = async (): Promise<SqlDriverAdapter> => {
    const adapter = await new PrismaPGlite(pglite).connect();
    adapter.executeScript = async (script) => {
      await pglite.exec(script);
    };
    return adapter;
  };
  return { provider: 'postgres', adapterName: 'pglite-scratch', connect: open, connectToShadowDb: open };
}
