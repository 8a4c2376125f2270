// Starts `loveless serve` on an ephemeral loopback port for a test and stops it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

const binary = process.env.LOVELESS_BIN;

/** Starts the engine; resolves to { url, stop() } once it prints its URL. */
export async function startServe(extraArgs = []) {
  if (!binary) throw new Error('LOVELESS_BIN must name the loveless binary (CTest sets it)');
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('loveless serve printed no URL within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`loveless serve exited early with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = line.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Registers node:test hooks that start one engine before the file's tests and
 * stop it after them, checking that it exits 0 on SIGTERM. Returns an object
 * whose `url` and `sfn` (an SDK client for it, see sfn_client.mjs) are set once
 * the engine runs.
 */
export function useEngine(clientFor) {
  const context = { url: undefined, sfn: undefined };
  let engine;
  before(async () => {
    engine = await startServe();
    context.url = engine.url;
    context.sfn = clientFor(engine.url);
  });
  after(async () => {
    context.sfn?.destroy();
    assert.equal(await engine?.stop(), 0, 'loveless serve exits 0 on SIGTERM');
  });
  return context;
}
