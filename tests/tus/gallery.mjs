// Harness for the tus tests: starts the real `gallery` binary (GALLERY_BINARY)
// on 127.0.0.1 with port 0 and a first admin (ADMIN_EMAIL), reads the port
// from its "listening" log line, stops it with SIGTERM; signs in and makes
// API tokens and users through the API; loads tus-js-client from the web
// UI's node_modules; a TCP proxy that breaks a connection after so many
// bytes. A missing binary, test image or package is an error, never a skip.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
const START_TIMEOUT_MS = 30_000;

// The first admin every Gallery starts with (whichever instance of a shared
// data directory comes first creates it).
export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'admin-test-password';
// The password createUser gives users unless told otherwise.
export const USER_PASSWORD = 'user-test-password';

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

// One gallery process on a data directory (which may be shared), started
// with the first admin's GALLERY_ADMIN_EMAIL/PASSWORD.
export class Gallery {
  constructor(dataDir, env = {}) {
    this.dataDir = dataDir;
    this.env = { GALLERY_ADMIN_EMAIL: ADMIN_EMAIL, GALLERY_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env };
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

// Signs in with the password (POST /api/v1/auth/login): resolves with the
// session cookie ("gallery_session=..."), its CSRF token and the User JSON.
export async function signIn(server, email, password) {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`sign-in of ${email}: ${response.status} ${body}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('gallery_session='));
  if (!cookie) throw new Error(`sign-in of ${email} set no session cookie`);
  const { csrf_token: csrf, user } = JSON.parse(body);
  return { cookie, csrf, user };
}

// Signs in and makes a personal API token (POST /api/v1/tokens with the
// session's X-CSRF-Token): resolves with { token, user, headers }, headers
// being the `Authorization: Bearer` header that carries the token.
export async function apiToken(server, email, password) {
  const session = await signIn(server, email, password);
  const response = await fetch(`${server.url}/api/v1/tokens`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: session.cookie,
      'X-CSRF-Token': session.csrf,
    },
    body: JSON.stringify({ name: 'tus tests' }),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`token of ${email}: ${response.status} ${body}`);
  const { token } = JSON.parse(body);
  return { token, user: session.user, headers: { Authorization: `Bearer ${token}` } };
}

// Makes a user as `admin` (an apiToken answer; POST /api/v1/users) and signs
// them in: resolves with their apiToken answer.
export async function createUser(server, admin, email, extra = {}) {
  const response = await fetch(`${server.url}/api/v1/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...admin.headers },
    body: JSON.stringify({ email, password: USER_PASSWORD, role: 'user', ...extra }),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`creating ${email}: ${response.status} ${body}`);
  return apiToken(server, email, USER_PASSWORD);
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
