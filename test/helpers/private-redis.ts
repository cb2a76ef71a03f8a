/**
 * A redis-server of a test's own on a free port of 127.0.0.1, nothing saved to disk: for
 * `basisbot start` processes, whose keys carry no test prefix and so must not meet another
 * test's on the shared Redis.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { vi } from 'vitest';

/** The redis-server binary, or '' when it is not installed. */
export const redisServerBinary = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts it and resolves once it accepts connections. */
export async function startPrivateRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(redisServerBinary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await vi.waitFor(
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      }),
    { timeout: 10_000, interval: 50 },
  );
  return child;
}

/** Kills it (SIGKILL: an outage, not a shutdown) and resolves once it has exited. */
export async function stopPrivateRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
