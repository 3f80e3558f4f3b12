// Harness for the tus tests: starts the real `gallery` binary (GALLERY_BINARY)
// on 127.0.0.1 with port 0, reads the port from its "listening" log line,
// stops it with SIGTERM; makes users; loads tus-js-client from the web UI's
// node_modules; a TCP proxy that breaks a connection after so many bytes.
// A missing binary, test image or package is an error, never a skip.

import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
const START_TIMEOUT_MS = 30_000;

// tus-js-client as the web UI gets it: from web/node_modules.
export function loadTusClient() {
  const require = createRequire(path.join(REPO_ROOT, 'web', 'package.json'));
  try {
    return require('tus-js-client');
  } catch (e) {
    throw new Error(
      `tus-js-client is not installed in ${path.join(REPO_ROOT, 'web', 'node_modules')}: ` +
        `run "npm ci" in web/ (${e.message})`,
    );
  }
}

export function binaryPath() {
  const binary = process.env.GALLERY_BINARY;
  if (!binary) throw new Error('GALLERY_BINARY is not set: run through CTest, or set it');
  fs.accessSync(binary, fs.constants.X_OK);
  return binary;
}

export function testdata(relative) {
  const root = process.env.GALLERY_TESTDATA;
  if (!root) throw new Error('GALLERY_TESTDATA is not set: point it at the shared test images');
  return fs.readFileSync(path.join(root, relative));
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
export const sha1Base64 = (bytes) => createHash('sha1').update(bytes).digest('base64');

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `check` (async, returns a truthy value when done) every 50 ms.
export async function eventually(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// One gallery process on a data directory (which may be shared).
export class Gallery {
  constructor(dataDir, env = {}) {
    this.dataDir = dataDir;
    this.env = env;
    this.output = '';
    this.process = null;
    this.port = null;
  }

  async start() {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('GALLERY_')),
    );
    Object.assign(env, this.env);
    this.output = '';
    this.process = spawn(
      binaryPath(),
      ['--listen', '127.0.0.1:0', '--data-dir', this.dataDir, '--metrics-interval', '0'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process.stdout.on('data', (d) => (this.output += d));
    this.process.stderr.on('data', (d) => (this.output += d));
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.exited = exited;
    this.port = await eventually(
      async () => {
        if (this.process.exitCode !== null) {
          throw new Error(`gallery exited during start:\n${this.tail()}`);
        }
        for (const line of this.output.split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            const entry = JSON.parse(line);
            if (entry.msg === 'listening' && Number.isInteger(entry.port)) return entry.port;
          } catch {
            // a partial line
          }
        }
        return null;
      },
      START_TIMEOUT_MS,
      'gallery to log "listening"',
    );
    await eventually(
      async () => (await fetch(`${this.url}/healthz`).catch(() => null))?.status === 200,
      START_TIMEOUT_MS,
      '/healthz',
    );
    return this;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  tail(lines = 40) {
    return this.output.split('\n').slice(-lines).join('\n');
  }
}

// A user row in the SQLite database the servers share (there is no sign-in
// API yet): the id the tests send as the caller.
export function addUser(dataDir) {
  const id = 'tus-user-' + randomBytes(6).toString('hex');
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("INSERT INTO users (id, email, password_hash, role, created_at_ms) VALUES (?, ?, 'x', 'user', 0)",
           (sys.argv[2], sys.argv[2] + "@example.com"))
db.commit()
`;
  execFileSync('python3', ['-c', script, path.join(dataDir, 'gallery.db'), id]);
  return id;
}

// Forwards 127.0.0.1:<port> to `target`, and cuts the first connection whose
// client has sent `cutAfter` bytes (both sides destroyed at once, as a
// network failure would): the server gets part of the request, the client an
// error.
export class BreakingProxy {
  constructor(targetPort, cutAfter) {
    this.targetPort = targetPort;
    this.cutAfter = cutAfter;
    this.cut = false;
    this.sockets = new Set();
    this.server = net.createServer((client) => this.handle(client));
  }

  listen() {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.port = this.server.address().port;
        resolve(this);
      }),
    );
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  handle(client) {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (chunk) => {
      if (this.cut) return;
      if (sent + chunk.length >= this.cutAfter) {
        upstream.write(chunk.subarray(0, this.cutAfter - sent), () => {
          client.destroy();
          upstream.destroy();
        });
        this.cut = true;
        return;
      }
      sent += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        b.destroy();
        this.sockets.delete(a);
      });
    }
  }

  close() {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(resolve));
  }
}
