/**
 * The local store of a home directory (DESIGN.md §5): the archive in `<home>/archive/` and the table in an
 * embedded DynamoDB-compatible server (dynalite, persisted to `<home>/db/`) that the same DynamoDB adapter
 * talks to over HTTP on 127.0.0.1. The first process to open a home starts the server and writes its
 * address to `<home>/store.json`; other processes connect to it. A stale file (dead process, closed port)
 * is detected and replaced. The server lives as long as the process that started it.
 */
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { DynamoStore } from './dynamo.ts';
import { FsArchiveStore } from './fs-archive.ts';
import { DynamoStateStore } from './state.ts';
import { TABLE_NAME, tableDefinition } from './table.ts';

export interface LocalStore {
  archive: FsArchiveStore;
  store: DynamoStore;
  state: DynamoStateStore;
  endpoint: string;
  /** True when this process runs the table server (others connect to it). */
  serving: boolean;
  close(): Promise<void>;
}

interface StoreFile {
  endpoint: string;
  pid: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reachable(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** A DynamoDB document client for an endpoint (dynalite locally, or real DynamoDB when endpoint is unset). */
export function documentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Creates the table if it is not there, and returns only once it is ACTIVE: a table still CREATING answers
 * ResourceNotFoundException to reads and writes (dynalite flips the status on a timer, DynamoDB after seconds),
 * so a fresh home's first command must not use it before then.
 */
export async function ensureTable(doc: DynamoDBDocumentClient, name = TABLE_NAME): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const d = await doc.send(new DescribeTableCommand({ TableName: name }));
      const indexesReady = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
      if (d.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
      try {
        await doc.send(new CreateTableCommand(tableDefinition(name)));
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** Math.min(attempt, 4), 500)));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}

async function existing(file: string): Promise<StoreFile | null> {
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
    return alive(s.pid) && (await reachable(s.endpoint)) ? s : null;
  } catch {
    return null;
  }
}

/** Opens (starting if needed) the local store of `home`. */
export async function openLocalStore(home: string): Promise<LocalStore> {
  mkdirSync(join(home, 'archive'), { recursive: true });
  const file = join(home, 'store.json');
  const archive = new FsArchiveStore(join(home, 'archive'));
  let server: Server | null = null;
  let endpoint: string;
  const found = await existing(file);
  if (found) {
    endpoint = found.endpoint;
  } else {
    const lock = join(home, 'store.lock');
    let fd: number | null = null;
    for (let i = 0; i < 50 && fd === null; i++) {
      try {
        fd = openSync(lock, 'wx');
      } catch {
        const other = await existing(file);
        if (other) return openLocalStore(home); // another process just started it
        const owner = Number(readFileSync(lock, 'utf8') || 0);
        if (!owner || !alive(owner)) rmSync(lock, { force: true });
        else await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (fd === null) throw new Error(`${home}: could not lock the store (another process holds ${lock})`);
    try {
      writeFileSync(lock, String(process.pid));
      mkdirSync(join(home, 'db'), { recursive: true });
      server = dynalite({ path: join(home, 'db'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address() as { port: number };
      endpoint = `http://127.0.0.1:${address.port}`;
      writeFileSync(file, `${JSON.stringify({ endpoint, pid: process.pid }, null, 2)}\n`);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
  const doc = documentClient(endpoint);
  await ensureTable(doc);
  const store = new DynamoStore(doc, archive);
  return {
    archive,
    store,
    state: new DynamoStateStore(doc),
    endpoint,
    serving: server !== null,
    close: async () => {
      doc.destroy();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((r) => server!.close(() => r()));
        try {
          const s = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
          if (s.pid === process.pid) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      }
    },
  };
}
