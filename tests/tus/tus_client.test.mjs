// Resumable uploads with a stock tus client: tus-js-client (the web UI's
// copy, from web/node_modules) against the real gallery binary. Two
// instances share one data directory (one SQLite file, one uploads folder),
// as instances share a database and a bucket in the cloud shape.
//
// Run through CTest (tests/tus/CMakeLists.txt), or by hand:
//   GALLERY_BINARY=build/gallery GALLERY_TESTDATA=../shared/testdata \
//     node --test tests/tus/tus_client.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import {
  BreakingProxy,
  Gallery,
  addUser,
  eventually,
  loadTusClient,
  sha1Base64,
  sha256,
  tempDir,
  testdata,
} from './gallery.mjs';

const tus = loadTusClient();
const TEST_TIMEOUT = { timeout: 180_000 };
const BIG = 'large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg'; // 2.9 MB
const SMALL = 'exif-orientation/Landscape_6.jpg';

let dataDir;
let first;
let second;
let user;
const servers = new Set(); // every server started, stopped at the end

before(async () => {
  dataDir = tempDir('gallery-tus-');
  first = await new Gallery(dataDir).start();
  servers.add(first);
  second = await new Gallery(dataDir).start();
  servers.add(second);
  user = addUser(dataDir);
});

afterEach((t) => {
  // A failed test shows what the servers logged.
  if (t.passed === false) {
    for (const server of servers) t.diagnostic(`server on ${server.port}:\n${server.tail()}`);
  }
});

after(async () => {
  for (const server of servers) await server.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// Who uploads. Until sign-in exists, the caller names itself.
const callerHeaders = () => ({ 'X-Gallery-User': user });

// Runs `upload` to its end: resolves with onSuccess's lastResponse, rejects
// with onError's error. No automatic retries unless the options ask.
function run(file, options) {
  let upload;
  const done = new Promise((resolve, reject) => {
    upload = new tus.Upload(file, {
      metadata: { filename: 'picture.jpg', filetype: 'image/jpeg' },
      headers: callerHeaders(),
      retryDelays: null,
      ...options,
      onSuccess: (payload) => resolve(payload.lastResponse),
      onError: reject,
    });
  });
  upload.start();
  return { upload, done };
}

async function head(url) {
  return fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...callerHeaders() } });
}

async function photo(server, id) {
  const response = await fetch(`${server.url}/api/v1/photos/${id}`);
  assert.equal(response.status, 200, `GET photo ${id}`);
  return response.json();
}

async function original(server, id) {
  const response = await fetch(`${server.url}/api/v1/photos/${id}/original`);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

test('a broken upload resumes from the server\'s offset through another instance', TEST_TIMEOUT, async () => {
  const picture = testdata(BIG);
  // The first instance loses the connection 1.2 MB into the request.
  const proxy = await new BreakingProxy(first.port, 1_200_000).listen();
  let broken;
  try {
    broken = run(picture, { endpoint: `${proxy.url}/api/v1/uploads` });
    const error = await broken.done.then(
      () => null,
      (e) => e,
    );
    assert.ok(error, 'the upload must fail when its connection breaks');
  } finally {
    await proxy.close();
  }
  const uploadPath = new URL(broken.upload.url).pathname;
  assert.match(uploadPath, /^\/api\/v1\/uploads\/[A-Za-z0-9_-]+$/);

  // The bytes that reached the server are kept: the other instance tells
  // where to go on.
  const offset = await eventually(
    async () => {
      const response = await head(`${second.url}${uploadPath}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(Number(response.headers.get('upload-length')), picture.length);
      const at = Number(response.headers.get('upload-offset'));
      return at > 0 ? at : null;
    },
    10_000,
    'the broken-off bytes to be committed',
  );
  assert.ok(offset > 1_000_000 && offset < picture.length, `offset ${offset}`);

  // tus-js-client resumes through the second instance from that offset.
  const patches = [];
  const resumed = run(picture, {
    endpoint: `${second.url}/api/v1/uploads`,
    uploadUrl: `${second.url}${uploadPath}`,
    onBeforeRequest: (req) => {
      if (req.getMethod() === 'PATCH') patches.push(Number(req.getHeader('Upload-Offset')));
    },
  });
  const last = await resumed.done;
  assert.deepEqual(patches, [offset], 'one PATCH, from the server\'s offset');
  const photoId = last.getHeader('X-Photo-Id');
  assert.ok(photoId, 'the last answer names the photo');
  assert.equal(last.getHeader('X-Photo-Duplicate'), 'false');

  // The photo is the multipart route's photo: through either instance.
  const made = await photo(first, photoId);
  assert.equal(made.sha256, sha256(picture));
  assert.equal(made.filename, 'picture.jpg');
  assert.equal(made.width, 4032);
  assert.equal(sha256(await original(second, photoId)), sha256(picture));
  // The finished upload still names its photo; its staged file is gone.
  const done = await head(`${first.url}${uploadPath}`);
  assert.equal(done.status, 200);
  assert.equal(Number(done.headers.get('upload-offset')), picture.length);
  assert.equal(done.headers.get('x-photo-id'), photoId);
  assert.ok(!fs.existsSync(path.join(dataDir, 'uploads', path.basename(uploadPath))));
});

test('a chunk that fails its checksum gets 460 and is discarded', TEST_TIMEOUT, async () => {
  const picture = testdata(SMALL);
  const wrong = run(picture, {
    endpoint: `${first.url}/api/v1/uploads`,
    onBeforeRequest: (req) => {
      if (req.getMethod() === 'PATCH') {
        req.setHeader('Upload-Checksum', `sha1 ${sha1Base64(Buffer.from('other bytes'))}`);
      }
    },
  });
  const error = await wrong.done.then(
    () => null,
    (e) => e,
  );
  assert.ok(error, 'a checksum mismatch fails the upload');
  assert.equal(error.originalResponse.getStatus(), 460);
  const problem = JSON.parse(error.originalResponse.getBody());
  assert.equal(problem.type, '/errors/checksum-mismatch');
  const after = await head(wrong.upload.url);
  assert.equal(after.headers.get('upload-offset'), '0', 'nothing of the chunk was kept');

  // The right checksum for every chunk (sha1, as the tus spec requires of
  // servers): accepted.
  const chunkSize = 64 * 1024;
  const right = run(picture, {
    endpoint: `${second.url}/api/v1/uploads`,
    chunkSize,
    onBeforeRequest: (req) => {
      if (req.getMethod() !== 'PATCH') return;
      const offset = Number(req.getHeader('Upload-Offset'));
      req.setHeader('Upload-Checksum', `sha1 ${sha1Base64(picture.subarray(offset, offset + chunkSize))}`);
    },
  });
  const last = await right.done;
  assert.equal((await photo(first, last.getHeader('X-Photo-Id'))).sha256, sha256(picture));
});

test('termination removes the upload and its bytes', TEST_TIMEOUT, async () => {
  const picture = testdata(BIG);
  let terminated;
  let firstChunkDone;
  const firstChunk = new Promise((resolve) => (firstChunkDone = resolve));
  const { upload, done } = run(picture, {
    endpoint: `${first.url}/api/v1/uploads`,
    chunkSize: 256 * 1024,
    onChunkComplete: () => {
      // After the first chunk: stop and terminate (DELETE).
      if (terminated) return;
      terminated = upload.abort(true);
      firstChunkDone();
    },
  });
  await firstChunk;
  await terminated;
  const uploadPath = new URL(upload.url).pathname;
  for (const server of [first, second]) {
    assert.equal((await head(`${server.url}${uploadPath}`)).status, 404);
  }
  assert.ok(!fs.existsSync(path.join(dataDir, 'uploads', path.basename(uploadPath))));
  void done.catch(() => {});
});

test('offsets survive a restart of the server', TEST_TIMEOUT, async () => {
  const picture = testdata(BIG);
  const own = await new Gallery(dataDir).start();
  servers.add(own);
  const chunkSize = 512 * 1024;
  let chunks = 0;
  let stopped;
  let twoChunksDone;
  const twoChunks = new Promise((resolve) => (twoChunksDone = resolve));
  const { upload, done } = run(picture, {
    endpoint: `${own.url}/api/v1/uploads`,
    metadata: { filename: 'restart.jpg' },
    chunkSize,
    onChunkComplete: () => {
      // Stops before sending the third chunk.
      if (++chunks !== 2) return;
      stopped = upload.abort();
      twoChunksDone();
    },
  });
  void done.catch(() => {});
  await twoChunks;
  await stopped;
  const uploadPath = new URL(upload.url).pathname;
  await own.stop();

  const restarted = await new Gallery(dataDir).start();
  servers.add(restarted);
  try {
    const response = await head(`${restarted.url}${uploadPath}`);
    assert.equal(response.status, 200);
    assert.equal(Number(response.headers.get('upload-offset')), 2 * chunkSize);
    const patches = [];
    const resumed = run(picture, {
      endpoint: `${restarted.url}/api/v1/uploads`,
      uploadUrl: `${restarted.url}${uploadPath}`,
      onBeforeRequest: (req) => {
        if (req.getMethod() === 'PATCH') patches.push(Number(req.getHeader('Upload-Offset')));
      },
    });
    const last = await resumed.done;
    assert.deepEqual(patches, [2 * chunkSize]);
    const made = await photo(restarted, last.getHeader('X-Photo-Id'));
    assert.equal(made.sha256, sha256(picture));
  } finally {
    await restarted.stop();
  }
});
