// Resumable uploads with a stock tus client: tus-js-client (the web UI's
// copy, from web/node_modules) against the real gallery binary. Two
// instances share one data directory (one SQLite file, one uploads folder),
// as instances share a database and a bucket in the cloud shape. Both start
// with a first admin, who makes an uploader and another user; each signs in
// (POST /api/v1/auth/login, then POST /api/v1/tokens) and tus-js-client
// sends their API token as `Authorization: Bearer` through its `headers`.
//
// Run through CTest (tests/tus/CMakeLists.txt), or by hand:
//   GALLERY_BINARY=build/gallery GALLERY_TESTDATA=../shared/testdata \
//     node --test tests/tus/tus_client.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  BreakingProxy,
  Gallery,
  apiToken,
  createUser,
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
let admin; // { token, user, headers } of each identity (apiToken)
let uploader;
let other;
const servers = new Set(); // every server started, stopped at the end

before(async () => {
  dataDir = tempDir('gallery-tus-');
  first = await new Gallery(dataDir).start();
  servers.add(first);
  second = await new Gallery(dataDir).start();
  servers.add(second);
  // Tokens live in the shared database: made on one instance, good on both.
  admin = await apiToken(first, ADMIN_EMAIL, ADMIN_PASSWORD);
  uploader = await createUser(second, admin, 'uploader@example.com');
  other = await createUser(first, admin, 'other@example.com');
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

// Runs `upload` to its end as the uploader (options.headers for another
// caller): resolves with onSuccess's lastResponse, rejects with onError's
// error. No automatic retries unless the options ask.
function run(file, options) {
  let upload;
  const done = new Promise((resolve, reject) => {
    upload = new tus.Upload(file, {
      metadata: { filename: 'picture.jpg', filetype: 'image/jpeg' },
      headers: uploader.headers,
      retryDelays: null,
      ...options,
      onSuccess: (payload) => resolve(payload.lastResponse),
      onError: reject,
    });
  });
  upload.start();
  return { upload, done };
}

// A tus request by hand (default: HEAD as the uploader).
async function tusRequest(url, { method = 'HEAD', who = uploader, headers = {}, body } = {}) {
  return fetch(url, {
    method,
    body,
    headers: { 'Tus-Resumable': '1.0.0', ...(who ? who.headers : {}), ...headers },
  });
}

const head = (url) => tusRequest(url);

async function photo(server, id) {
  const response = await fetch(`${server.url}/api/v1/photos/${id}`, { headers: uploader.headers });
  assert.equal(response.status, 200, `GET photo ${id}`);
  return response.json();
}

async function original(server, id) {
  const response = await fetch(`${server.url}/api/v1/photos/${id}/original`, {
    headers: uploader.headers,
  });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

// Another user and the admin, through both instances: the upload answers
// 404 on HEAD, PATCH and DELETE, as an unknown one would.
async function assertHiddenFromStrangers(uploadPath) {
  for (const server of [first, second]) {
    for (const who of [other, admin]) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        const response = await tusRequest(`${server.url}${uploadPath}`, {
          method,
          who,
          headers: { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
          body: method === 'PATCH' ? Buffer.from('x') : undefined,
        });
        assert.equal(response.status, 404, `${method} by ${who.user.email} on ${server.port}`);
      }
    }
  }
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
  // The photo is the uploader's alone.
  for (const who of [other, admin]) {
    const response = await fetch(`${second.url}/api/v1/photos/${photoId}`, {
      headers: who.headers,
    });
    assert.equal(response.status, 404, `photo for ${who.user.email}`);
  }
  await assertHiddenFromStrangers(uploadPath);
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

test('a client that is not signed in, or signed in as someone else, gets nowhere', TEST_TIMEOUT, async () => {
  const picture = testdata(SMALL);
  // No credentials, or a token that is not one: 401 at creation.
  for (const headers of [{}, { Authorization: 'Bearer not-a-real-token' }]) {
    const anonymous = run(picture, { endpoint: `${first.url}/api/v1/uploads`, headers });
    const error = await anonymous.done.then(
      () => null,
      (e) => e,
    );
    assert.ok(error, 'an upload without credentials fails');
    assert.equal(error.originalResponse.getStatus(), 401);
    assert.equal(JSON.parse(error.originalResponse.getBody()).type, '/errors/unauthenticated');
  }

  // The uploader's upload, stopped after its first chunk.
  const chunkSize = 16 * 1024;
  let stopped;
  let firstChunkDone;
  const firstChunk = new Promise((resolve) => (firstChunkDone = resolve));
  const { upload, done } = run(picture, {
    endpoint: `${first.url}/api/v1/uploads`,
    chunkSize,
    onChunkComplete: () => {
      if (stopped) return;
      stopped = upload.abort();
      firstChunkDone();
    },
  });
  void done.catch(() => {});
  await firstChunk;
  await stopped;
  const uploadPath = new URL(upload.url).pathname;
  await assertHiddenFromStrangers(uploadPath);

  // The other user's client cannot resume it: its HEAD is 404 (and without
  // an endpoint it may not start a new upload instead).
  const stranger = run(picture, {
    uploadUrl: `${second.url}${uploadPath}`,
    headers: other.headers,
  });
  const error = await stranger.done.then(
    () => null,
    (e) => e,
  );
  assert.ok(error, 'another user cannot resume the upload');
  assert.equal(error.originalResponse.getStatus(), 404);
  // Bytes from nobody are refused before they are read: the offset stays.
  const refused = await tusRequest(`${second.url}${uploadPath}`, {
    method: 'PATCH',
    who: null,
    headers: {
      'Upload-Offset': String(chunkSize),
      'Content-Type': 'application/offset+octet-stream',
    },
    body: picture.subarray(chunkSize, 2 * chunkSize),
  });
  assert.equal(refused.status, 401);
  const at = await head(`${second.url}${uploadPath}`);
  assert.equal(at.status, 200);
  assert.equal(Number(at.headers.get('upload-offset')), chunkSize);

  // The uploader finishes it through the other instance; the photo is theirs.
  const resumed = run(picture, {
    endpoint: `${second.url}/api/v1/uploads`,
    uploadUrl: `${second.url}${uploadPath}`,
  });
  const last = await resumed.done;
  const photoId = last.getHeader('X-Photo-Id');
  assert.equal((await photo(first, photoId)).sha256, sha256(picture));
  const theirs = await fetch(`${first.url}/api/v1/photos`, { headers: other.headers });
  assert.ok(!(await theirs.json()).photos.some((p) => p.id === photoId));
});
