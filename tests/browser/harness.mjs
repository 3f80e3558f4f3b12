// Harness for the browser tests: starts the real `gallery` binary (serving
// the built web UI) on 127.0.0.1 with a fresh data directory and a first
// admin, and Debian's Chromium through playwright-core (from web/'s
// devDependencies). Screenshots go to GALLERY_SCREENSHOT_DIR.
//
// Environment (CTest sets the first four):
//   GALLERY_BINARY           the gallery binary
//   GALLERY_WEB_DIR          the built web UI (web/dist)
//   GALLERY_TESTDATA         the shared test images
//   GALLERY_SCREENSHOT_DIR   where screenshots are written
//   CHROMIUM                 the browser (default /usr/bin/chromium)
//   GALLERY_UI_TEST_BASE_URL run against this running server instead of
//                            starting one (with GALLERY_UI_TEST_EMAIL and
//                            GALLERY_UI_TEST_PASSWORD for its account)
// A missing binary, build, browser or test file is an error, never a skip.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

function required(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`${name} is not set: run the browser tests through CTest (make test)`);
  return value;
}

/** playwright-core, resolved from web/node_modules (installed by `make web`). */
export function playwright() {
  const require = createRequire(join(repo, 'web', 'package.json'));
  try {
    return require('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is not installed in web/node_modules: run \`make web\` (${e.message})`);
  }
}

export function testdata(relative) {
  const root = required('GALLERY_TESTDATA', resolve(repo, '..', 'shared', 'testdata'));
  const path = join(root, relative);
  if (!existsSync(path)) throw new Error(`test file missing: ${path}`);
  return path;
}

/** A file for the page: name, MIME type and base64 bytes. */
export function fileFor(relative, type = 'image/jpeg') {
  const path = testdata(relative);
  return { name: basename(path), type, base64: readFileSync(path).toString('base64') };
}

export const screenshotDir = resolve(process.env.GALLERY_SCREENSHOT_DIR ?? join(repo, 'build', 'screenshots'));

/** Saves a JPEG of the page (photos make PNGs heavy) as <dir>/<name>.jpg. */
export async function screenshot(page, name, options = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  // Notices from earlier steps would hide the page.
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  const path = join(screenshotDir, `${name}.jpg`);
  await page.screenshot({ path, type: 'jpeg', quality: 85, ...options });
  return path;
}

/** The running gallery under test. */
export class Gallery {
  constructor() {
    this.email = 'owner@example.com';
    this.password = 'correct horse battery staple';
    this.process = null;
    this.workdir = null;
    this.baseUrl = null;
    this.log = '';
  }

  async start() {
    if (process.env.GALLERY_UI_TEST_BASE_URL) {
      this.baseUrl = process.env.GALLERY_UI_TEST_BASE_URL.replace(/\/$/, '');
      this.email = required('GALLERY_UI_TEST_EMAIL');
      this.password = required('GALLERY_UI_TEST_PASSWORD');
      return this;
    }
    const binary = required('GALLERY_BINARY', join(repo, 'build', 'gallery'));
    const webDir = required('GALLERY_WEB_DIR', join(repo, 'web', 'dist'));
    if (!existsSync(binary)) throw new Error(`GALLERY_BINARY=${binary} does not exist: build it first`);
    if (!existsSync(join(webDir, 'index.html'))) {
      throw new Error(`no built web UI in ${webDir}: run \`make web\``);
    }
    this.workdir = mkdtempSync(join(tmpdir(), 'gallery-browser-'));
    const logPath = join(this.workdir, 'gallery.log');
    const out = openSync(logPath, 'a');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GALLERY_')));
    Object.assign(env, { GALLERY_ADMIN_EMAIL: this.email, GALLERY_ADMIN_PASSWORD: this.password });
    this.process = spawn(
      binary,
      ['--listen', '127.0.0.1:0', '--data-dir', join(this.workdir, 'data'), '--web-dir', webDir, '--metrics-interval', '0'],
      { env, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    this.logPath = logPath;
    const deadline = Date.now() + 30000;
    while (!this.baseUrl) {
      if (this.process.exitCode !== null) throw new Error(`gallery exited with ${this.process.exitCode}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`gallery did not start within 30 s:\n${this.tail()}`);
      for (const line of this.lines()) {
        if (line.msg === 'listening' && Number.isInteger(line.port)) this.baseUrl = `http://127.0.0.1:${line.port}`;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this;
  }

  lines() {
    try {
      return readFileSync(this.logPath, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            return {};
          }
        });
    } catch {
      return [];
    }
  }

  tail(n = 40) {
    if (!this.logPath) return '';
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  }

  url(path) {
    return this.baseUrl + path;
  }

  /**
   * Throws, naming them, when routes the UI needs answer "no such resource"
   * (a server built without the accounts, albums, shares, trash or upload
   * API), so that the story fails at once and says why.
   */
  async requireApi() {
    const needed = [
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/albums'],
      ['GET', '/api/v1/shares'],
      ['GET', '/api/v1/trash'],
      ['OPTIONS', '/api/v1/uploads'],
    ];
    const missing = [];
    for (const [method, path] of needed) {
      const response = await fetch(this.url(path), { method });
      if (response.status === 404 && (await response.text()).includes('No such resource')) {
        missing.push(`${method} ${path}`);
      }
    }
    if (missing.length) {
      throw new Error(`the server under test lacks API routes the web UI needs: ${missing.join(', ')}`);
    }
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((r) => this.process.once('exit', r));
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 30000);
      await exited;
      clearTimeout(timer);
    }
    if (this.workdir) rmSync(this.workdir, { recursive: true, force: true });
  }
}

/** Debian's Chromium, headless, with a fresh profile. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no browser at ${executablePath}: scripts/install-deps.sh browser (or set CHROMIUM)`);
  }
  const { chromium } = playwright();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Watches a page for what must never happen: uncaught errors and
 * Content-Security-Policy violations. check() throws listing them.
 */
export function guard(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (load|apply|execute|connect)/i.test(text)) problems.push(`CSP: ${text}`);
  });
  return {
    check() {
      if (problems.length) throw new Error(problems.join('\n'));
    },
  };
}

/**
 * Drops files on the page as a user dragging them from the desktop would:
 * dragenter, dragover and drop events carrying a DataTransfer with Files.
 */
export async function dropFiles(page, files, selector = 'main') {
  const dataTransfer = await page.evaluateHandle((specs) => {
    const dt = new DataTransfer();
    for (const f of specs) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer });
  }
}
