import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { checkDataDir, createStoreFactory, type StoreFactory } from '../../src/store/index.js';
import os from 'node:os';
import path from 'node:path';

// Not the replay-app helper: this test must not depend on the whole app.
const tempDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-store-'));

describe('DATA_DIR check (issue 11 items 10 and 17)', () => {
  it('refuses a path through a file with one line naming DATA_DIR', () => {
    const error = (() => {
      try {
        createStoreFactory({ dataDir: '/etc/passwd/sub' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('DATA_DIR=/etc/passwd/sub is not a writable directory: a part of the path is a file, not a directory (ENOTDIR)');
  });

  it('refuses a directory under /proc instead of letting every venue time out later', () => {
    expect(() => checkDataDir('/proc/basisbot-data')).toThrow(ConfigError);
    expect(() => checkDataDir('/proc/basisbot-data')).toThrow(/^DATA_DIR=\/proc\/basisbot-data is not a writable directory: /);
  });

  it('accepts a fresh directory, creates it, and leaves no probe file behind', () => {
    const dir = `${tempDataDir()}/a/b`;
    checkDataDir(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('StoreFactory.verify (issue 11 item 11)', () => {
  const factories: StoreFactory[] = [];
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((factory) => factory.close()));
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('fails fast, naming STORE_URL, when nothing listens', async () => {
    const factory = createStoreFactory({ dataDir: tempDataDir(), url: 'redis://127.0.0.1:1' });
    factories.push(factory);
    const error = await factory.verify(2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^STORE_URL=redis:\/\/127\.0\.0\.1:1: cannot connect/);
  });

  it('gives up on a server that accepts but never answers, within the bound', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => void sockets.push(socket)); // accepts, never answers
    server.on('close', () => sockets.forEach((socket) => socket.destroy()));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const factory = createStoreFactory({ dataDir: tempDataDir(), url: `redis://user:secret@127.0.0.1:${port}` });
    factories.push(factory);
    const error = await factory.verify(300).catch((e: unknown) => e);
    for (const socket of sockets) socket.destroy();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^STORE_URL=redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+: /);
    expect((error as Error).message).not.toContain('secret');
  });

  it('passes on the default SQLite store', async () => {
    const factory = createStoreFactory({ dataDir: tempDataDir() });
    factories.push(factory);
    await expect(factory.verify(2_000)).resolves.toBeUndefined();
  });
});
