// The web UI in a real browser, end to end against the real server: sign
// in, upload by drag and drop, the grid, the lightbox by keyboard, albums,
// a password-protected share link seen from a fresh browser, revocation,
// the trash, sign-out, and a phone-sized screen. Each step builds on the
// one before (one server, one owner). Screenshots of each screen are saved
// for the README (docs/screenshots/).

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { dropFiles, fileFor, Gallery, guard, launchBrowser, screenshot } from './harness.mjs';

const STEP_MS = 120_000;

// Five pictures: a 12 MP photo (big enough to watch its progress), two with
// GPS (the owner's map link), two with EXIF orientation. Plus an SVG, which
// must be refused on its own while the others go on.
const PICTURES = [
  fileFor('large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg'),
  fileFor('camera-exif/gps/DSCN0010.jpg'),
  fileFor('camera-exif/gps/DSCN0021.jpg'),
  fileFor('exif-orientation/Landscape_1.jpg'),
  fileFor('exif-orientation/Landscape_6.jpg'),
];
const SVG = fileFor('formats/libvips_logo.svg', 'image/svg+xml');
// Dropped later on the album's page.
const EXTRA = fileFor('exif-orientation/Landscape_3.jpg');
const LARGE = PICTURES[0].name;

/**
 * Waits for the lightbox's opening animation to end: PhotoSwipe then puts the
 * full-size image in (the thumbnail stands in before) and takes keys.
 */
async function lightboxOpened(page) {
  await page.waitForFunction(() => {
    const img = document.querySelector('.pswp__item[aria-hidden="false"] img.pswp__img:not(.pswp__img--placeholder)');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
}

const ALBUM = 'Summer 2024';
const ALBUM_RENAMED = 'Summer by the sea';
const SHARE_PASSWORD = 'paper-lantern-42';

describe('web UI', { timeout: 15 * 60_000 }, () => {
  const gallery = new Gallery();
  let browser;
  let context; // the owner's desktop browser
  let page;
  let pageGuard;
  let shareUrl = null;

  before(async () => {
    await gallery.start();
    await gallery.requireApi();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gallery.baseUrl });
    page = await context.newPage();
    pageGuard = guard(page);
  });

  after(async () => {
    await browser?.close();
    await gallery.stop();
  });

  const afterStep = () => pageGuard.check();

  // A step that failed half way may leave the lightbox or a dialog open:
  // close them, so that the next step starts from the page itself.
  beforeEach(async () => {
    for (let i = 0; i < 3; i += 1) {
      if (!page || (await page.locator('.pswp, dialog[open]').count()) === 0) break;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(400);
    }
  });

  it('signs in (a wrong password is refused with a clear message)', { timeout: STEP_MS }, async () => {
    await page.goto(gallery.url('/'));
    await page.waitForURL(/\/login\?next=%2F$/);
    await page.getByLabel('E-mail').fill(gallery.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password.' }).waitFor();
    await screenshot(page, 'desktop-sign-in');
    await page.getByLabel('Password').fill(gallery.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(gallery.url('/'));
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    assert.equal(await page.title(), 'Photos · Picture Gallery');
    afterStep();
  });

  it('uploads five pictures dropped on the page, with progress, pause and resume; refuses an SVG alone', { timeout: STEP_MS }, async () => {
    // A slow link, so that progress can be seen (and paused) mid-way.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 400 * 1024,
    });

    await dropFiles(page, [...PICTURES, SVG]);
    const panel = page.locator('.upload-panel');
    await panel.waitFor();
    assert.equal(await panel.locator('.upload-item').count(), 6);

    // The SVG is refused at once, with the reason, and stays in the list.
    const svgRow = panel.locator('.upload-item', { hasText: SVG.name });
    assert.equal(await svgRow.getAttribute('data-state'), 'error');
    assert.match(await svgRow.locator('.upload-status').innerText(), /Unsupported file type/);

    // The big one moves: its bar fills part way.
    const bar = page.getByRole('progressbar', { name: `Upload of ${LARGE}` });
    await page.waitForFunction(
      (name) => {
        const el = document.querySelector(`progress[aria-label="Upload of ${name}"]`);
        return el && el.value > 0.15 && el.value < 0.7;
      },
      LARGE,
      { timeout: 60_000 },
    );
    await screenshot(page, 'desktop-upload-in-progress');

    // Pause it: it stays where it is; resume: it finishes.
    await page.getByRole('button', { name: `Pause ${LARGE}` }).click();
    const largeRow = panel.locator('.upload-item', { hasText: LARGE });
    await page.waitForFunction((el) => el.dataset.state === 'paused', await largeRow.elementHandle());
    const pausedAt = await bar.evaluate((el) => el.value);
    await page.waitForTimeout(1000);
    assert.equal(await bar.evaluate((el) => el.value), pausedAt, 'a paused upload does not move');
    assert.match(await largeRow.locator('.upload-status').innerText(), /^Paused/);
    await page.getByRole('button', { name: `Resume ${LARGE}` }).click();

    // Every bar finishes; the batch says so.
    await page.waitForFunction(
      () => document.querySelectorAll('.upload-item[data-state="done"]').length === 5,
      null,
      { timeout: 90_000 },
    );
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    for (const picture of PICTURES) {
      const value = await page.getByRole('progressbar', { name: `Upload of ${picture.name}` }).evaluate((el) => el.value);
      assert.equal(value, 1, `${picture.name} progress`);
    }
    assert.equal(await page.locator('.progress-batch').evaluate((el) => el.value), 1);
    await panel.getByRole('heading', { name: '5 photos uploaded' }).waitFor();
    assert.match(await panel.locator('.upload-summary').innerText(), /1 failed/);
    afterStep();
  });

  it('shows them in the justified grid, newest first, grouped by day, each thumbnail loaded', { timeout: STEP_MS }, async () => {
    await page.getByRole('button', { name: 'Clear finished uploads' }).click();
    await page.locator('.upload-panel').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 5, null, { timeout: 30_000 });
    const tiles = page.locator('.tile');
    assert.equal(await tiles.count(), 5);
    // Every thumbnail decoded, with alt text naming the file.
    const images = await page.locator('.tile img').evaluateAll((imgs) => imgs.map((i) => ({ alt: i.alt, w: i.naturalWidth })));
    for (const image of images) {
      assert.ok(image.w > 0, 'thumbnail decoded');
      assert.ok(PICTURES.some((p) => image.alt.startsWith(p.name)), `alt text "${image.alt}" names the file`);
    }
    assert.ok((await page.locator('.grid-heading').count()) >= 1, 'day headings');
    // Justified: the tiles of a row share a height and fill the width.
    const boxes = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    const firstRow = boxes.filter((b) => Math.abs(b.top - boxes[0].top) < 1);
    assert.ok(firstRow.every((b) => Math.abs(b.height - firstRow[0].height) < 1), 'one height per row');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await screenshot(page, 'desktop-grid');
    afterStep();
  });

  it('opens the lightbox, moves with the arrow keys, shows details with the map link, closes with Escape', { timeout: STEP_MS }, async () => {
    // By keyboard: Tab reaches the first tile, with a visible focus ring; Enter opens it.
    await page.locator('.segment input:checked').focus();
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('tile-open'))) break;
    }
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.classList.contains('tile-open') ? getComputedStyle(el).outlineStyle : null;
    });
    assert.equal(ring, 'solid', 'the focused tile shows a focus ring');
    await page.keyboard.press('Enter');
    const counter = page.locator('.pswp__counter');
    await counter.filter({ hasText: '1 of 5' }).waitFor();
    await lightboxOpened(page);
    await page.keyboard.press('ArrowRight');
    await counter.filter({ hasText: '2 of 5' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await counter.filter({ hasText: '1 of 5' }).waitFor();

    // Details (I): EXIF and file facts; a photo with GPS has a map link.
    await page.keyboard.press('i');
    const details = page.locator('.lightbox-details');
    await details.waitFor();
    assert.match(await details.textContent(), /Dimensions/);
    assert.match(await details.textContent(), /Size/);
    let mapAt = 0;
    let sawCamera = false;
    for (let i = 1; i <= 5; i += 1) {
      await counter.filter({ hasText: `${i} of 5` }).waitFor();
      const text = await details.textContent();
      if (text.includes('Show on OpenStreetMap')) mapAt = i;
      if (/Camera/.test(text) && /Exposure/.test(text)) sawCamera = true;
      if (i < 5) await page.keyboard.press('ArrowRight');
    }
    assert.ok(mapAt > 0, 'the owner sees a map link for a photo with GPS');
    assert.ok(sawCamera, 'camera and exposure are shown');
    for (let i = 5; i > mapAt; i -= 1) await page.keyboard.press('ArrowLeft');
    await counter.filter({ hasText: `${mapAt} of 5` }).waitFor();
    await lightboxOpened(page);
    await page.waitForTimeout(400);
    await screenshot(page, 'desktop-lightbox');
    await page.keyboard.press('i');
    await page.keyboard.press('Escape');
    await page.locator('.pswp').waitFor({ state: 'detached' });
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('tile-open')), 'focus returns to the grid');
    afterStep();
  });

  it('makes an album from a selection, renames it and sets its cover', { timeout: STEP_MS }, async () => {
    const selects = page.getByRole('button', { name: /^Select / });
    for (let i = 0; i < 3; i += 1) await selects.nth(i).click();
    await page.getByRole('toolbar', { name: 'Selected photos' }).getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Add to album' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 3 photos to an album' });
    await dialog.getByPlaceholder('New album name').fill(ALBUM);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText(`Added 3 photos to “${ALBUM}”`).waitFor();
    assert.equal(await page.getByRole('toolbar', { name: 'Selected photos' }).isHidden(), true);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Albums' }).click();
    const card = page.getByRole('link', { name: new RegExp(`${ALBUM}.*3 photos`) });
    await card.click();
    await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 3);

    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename album' });
    await rename.getByLabel('Name').fill(ALBUM_RENAMED);
    await rename.getByLabel('Description').fill('Three days on the coast.');
    await rename.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: ALBUM_RENAMED }).waitFor();
    await page.getByText('Three days on the coast.').waitFor();

    await page.getByRole('button', { name: /^Select / }).nth(1).click();
    await page.getByRole('button', { name: 'Set as cover' }).click();
    await page.getByText('Cover photo set').waitFor();

    // Dropped on the album's page, a picture goes into the album too.
    await dropFiles(page, [EXTRA]);
    await page.locator('.upload-item', { hasText: EXTRA.name }).and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 4, null, { timeout: 30_000 });
    await page.getByText('4 photos', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Clear finished uploads' }).click();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await screenshot(page, 'desktop-album');
    afterStep();
  });

  it('shares the album with a password, expiry and downloads, and copies the link', { timeout: STEP_MS }, async () => {
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Share “${ALBUM_RENAMED}”` });
    await dialog.getByLabel('Expires').selectOption('7');
    await dialog.getByLabel('Password (optional)').fill(SHARE_PASSWORD);
    await dialog.getByLabel('Allow downloading the originals').check();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = dialog.getByRole('textbox', { name: 'Share link' });
    await url.waitFor();
    shareUrl = await url.inputValue();
    assert.match(shareUrl, new RegExp(`^${gallery.baseUrl}/s/[A-Za-z0-9_-]+$`));
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shareUrl);
    const row = dialog.locator('.share-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /Active/);
    assert.match(await row.innerText(), /password/);
    assert.match(await row.innerText(), /downloads allowed/);
    await screenshot(page, 'desktop-share-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    afterStep();
  });

  it('opens the link in a fresh browser: asks for the password, then shows exactly the album and nothing of the owner', { timeout: STEP_MS }, async () => {
    assert.ok(shareUrl, 'needs the link made by the previous step');
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const v = await visitor.newPage();
      const vGuard = guard(v);
      const requests = [];
      v.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await v.goto(shareUrl);
      await v.getByRole('heading', { name: 'This link is protected' }).waitFor();
      await screenshot(v, 'desktop-share-password');
      await v.getByLabel('Password').fill('wrong password');
      await v.getByRole('button', { name: 'Open' }).click();
      await v.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
      await v.getByLabel('Password').fill(SHARE_PASSWORD);
      await v.getByRole('button', { name: 'Open' }).click();
      await v.getByRole('heading', { level: 1, name: ALBUM_RENAMED }).waitFor();
      await v.getByText('Three days on the coast.').waitFor();
      await v.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 4, null, { timeout: 30_000 });
      assert.equal(await v.locator('.tile').count(), 4, 'exactly the four photos of the album');

      // Nothing of the owner's: no app frame, no file names, no other API.
      assert.equal(await v.getByRole('navigation', { name: 'Main' }).count(), 0);
      assert.equal(await v.getByRole('button', { name: /Upload/ }).count(), 0);
      assert.equal(await v.getByRole('button', { name: /^Select / }).count(), 0);
      const srcs = await v.locator('.tile img').evaluateAll((imgs) => imgs.map((i) => [i.getAttribute('src'), i.alt]));
      for (const [src, alt] of srcs) {
        assert.match(src, /^\/api\/v1\/shared\/[^/]+\/photos\/[^/]+\/thumb$/);
        assert.ok(![...PICTURES, EXTRA].some((p) => alt.includes(p.name)), `alt "${alt}" must not carry a file name`);
      }
      await v.locator('.tile-open').first().click();
      await v.locator('.pswp__counter').filter({ hasText: '1 of 4' }).waitFor();
      await lightboxOpened(v);
      await v.keyboard.press('i');
      const details = await v.locator('.lightbox-details').textContent();
      assert.ok(!/OpenStreetMap|Location|Uploaded/.test(details), `shared details leak nothing: ${details}`);
      assert.ok(![...PICTURES, EXTRA].some((p) => details.includes(p.name)));
      const download = v.getByRole('link', { name: 'Download the original' });
      assert.match(await download.getAttribute('href'), /^\/api\/v1\/shared\/[^/]+\/photos\/[^/]+\/original$/);
      await v.keyboard.press('i');
      await v.waitForTimeout(400);
      await screenshot(v, 'desktop-share-lightbox');
      await v.keyboard.press('Escape');
      await v.locator('.pswp').waitFor({ state: 'detached' });
      await v.mouse.move(0, 0);
      await v.locator('.tile-open').first().evaluate((el) => el.blur());
      await v.waitForTimeout(300);
      await screenshot(v, 'desktop-share');
      const owners = requests.filter((p) => p.startsWith('/api/') && !p.startsWith('/api/v1/shared/'));
      assert.deepEqual(owners, [], 'the share page calls only the public share API');
      vGuard.check();
    } finally {
      await visitor.close();
    }
    afterStep();
  });

  it('revokes the link; it then fails for everyone', { timeout: STEP_MS }, async () => {
    assert.ok(shareUrl, 'needs the link made before');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Share “${ALBUM_RENAMED}”` });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this link?' });
    await confirm.getByRole('button', { name: 'Revoke link' }).click();
    await dialog.locator('.share-row', { hasText: 'Revoked' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const visitor = await browser.newContext();
    try {
      const v = await visitor.newPage();
      await v.goto(shareUrl);
      await v.getByRole('heading', { name: 'This link is not valid' }).waitFor();
      const token = new URL(shareUrl).pathname.split('/').pop();
      const status = await v.evaluate(async (t) => (await fetch(`/api/v1/shared/${t}`)).status, token);
      assert.equal(status, 404);
    } finally {
      await visitor.close();
    }
    afterStep();
  });

  it('lists share links in Settings and makes and revokes an API token', { timeout: STEP_MS }, async () => {
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('main').getByText(gallery.email, { exact: true }).waitFor();
    const links = page.getByRole('region', { name: 'Share links' });
    await links.locator('.share-row', { hasText: ALBUM_RENAMED }).filter({ hasText: 'Revoked' }).waitFor();

    const tokens = page.getByRole('region', { name: 'API tokens' });
    await tokens.getByLabel('Token name').fill('backup script');
    await tokens.getByRole('button', { name: 'Create' }).click();
    const token = await tokens.getByRole('textbox', { name: 'The new token' }).inputValue();
    assert.ok(token.length >= 20, 'the new token is shown once');
    // The token works as a Bearer credential.
    const status = await page.evaluate(
      async (t) => (await fetch('/api/v1/auth/me', { credentials: 'omit', headers: { Authorization: `Bearer ${t}` } })).status,
      token,
    );
    assert.equal(status, 200);
    await tokens.locator('.share-row', { hasText: 'backup script' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke “backup script”?' }).getByRole('button', { name: 'Revoke token' }).click();
    await tokens.getByText('No tokens.').waitFor();
    await screenshot(page, 'desktop-settings');
    afterStep();
  });

  it('moves a photo to the trash and restores it', { timeout: STEP_MS }, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 6);
    await page.getByRole('button', { name: /^Select / }).first().click();
    const toolbar = page.getByRole('toolbar', { name: 'Selected photos' });
    await toolbar.waitFor();
    await page.keyboard.press('Escape');
    await toolbar.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /^Select / }).first().click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByText('Moved 1 photo to the trash').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 5);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 1);
    await page.getByRole('button', { name: /^Select / }).first().click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 6);
    afterStep();
  });

  it('works in dark mode', { timeout: STEP_MS }, async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    try {
      await dark.addCookies(await context.cookies());
      const d = await dark.newPage();
      const dGuard = guard(d);
      await d.goto(gallery.url('/'));
      await d.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 6);
      const bg = await d.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(15, 17, 20)', 'the dark palette is used');
      await d.mouse.move(0, 0);
      await d.waitForTimeout(400);
      await screenshot(d, 'desktop-grid-dark');
      dGuard.check();
    } finally {
      await dark.close();
    }
  });

  it('works on a 360 px phone: grid without sideways scrolling, lightbox by tap and swipe, share page', { timeout: STEP_MS }, async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const p = await phone.newPage();
      const pGuard = guard(p);
      // Pages of two photos, so that the grid has to page on to show them all.
      const listed = [];
      await p.route(/\/api\/v1\/photos\?/, (route) => {
        const url = new URL(route.request().url());
        url.searchParams.set('limit', '2');
        listed.push(url.searchParams.get('cursor'));
        return route.continue({ url: url.toString() });
      });
      await p.goto(gallery.url('/'));
      await p.waitForURL(/\/login/);
      await screenshot(p, 'phone-sign-in');
      await p.getByLabel('E-mail').fill(gallery.email);
      await p.getByLabel('Password').fill(gallery.password);
      await p.getByRole('button', { name: 'Sign in' }).tap();
      await p.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 6, null, { timeout: 30_000 });
      assert.ok(listed.length >= 3 && listed[0] === null && listed.slice(1).every(Boolean), `paged on with cursors: ${listed}`);
      const ids = await p.locator('.tile').evaluateAll((els) => els.map((e) => e.dataset.id));
      assert.equal(new Set(ids).size, 6, 'each photo once');
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
      for (const name of ['Photos', 'Albums', 'Trash']) {
        assert.ok(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).isVisible(), `${name} is reachable`);
      }
      assert.ok(await p.getByRole('button', { name: 'Upload photos' }).isVisible());
      // Tap targets are at least 40 px.
      const small = await p.$$eval('.app-header a, .app-header button', (els) =>
        els
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.width > 0 && (r.width < 40 || r.height < 40)).length,
      );
      assert.equal(small, 0, 'header targets are big enough to tap');
      await p.waitForTimeout(400);
      await screenshot(p, 'phone-grid');

      await p.locator('.tile-open').first().tap();
      const counter = p.locator('.pswp__counter');
      await counter.filter({ hasText: '1 of 6' }).waitFor();
      await lightboxOpened(p);
      // A swipe to the left goes to the next photo.
      const cdp = await phone.newCDPSession(p);
      const y = 370;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 300, y }] });
      for (let x = 280; x >= 40; x -= 40) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await counter.filter({ hasText: '2 of 6' }).waitFor();
      await lightboxOpened(p);
      await p.waitForTimeout(300);
      await screenshot(p, 'phone-lightbox');
      await p.keyboard.press('i');
      await p.locator('.lightbox-details').waitFor();
      await p.waitForTimeout(300);
      await screenshot(p, 'phone-lightbox-details');
      await p.keyboard.press('Escape');
      await p.locator('.pswp').waitFor({ state: 'detached' });

      // A link without a password, on the phone.
      const url = await p.evaluate(async () => {
        const me = await (await fetch('/api/v1/auth/me')).json();
        const albums = await (await fetch('/api/v1/albums')).json();
        const r = await fetch('/api/v1/shares', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
          body: JSON.stringify({ album_id: albums.albums[0].id }),
        });
        return (await r.json()).url;
      });
      const visitor = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      try {
        const v = await visitor.newPage();
        await v.goto(gallery.url(url));
        await v.waitForFunction(() => document.querySelectorAll('.tile.loaded').length === 4, null, { timeout: 30_000 });
        const vOverflow = await v.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(vOverflow <= 0, `share page: no sideways scrolling (${vOverflow}px)`);
        await v.waitForTimeout(400);
        await screenshot(v, 'phone-share');
      } finally {
        await visitor.close();
      }
      pGuard.check();
    } finally {
      await phone.close();
    }
  });

  it('signs out; the app then asks to sign in again', { timeout: STEP_MS }, async () => {
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(gallery.url('/albums'));
    await page.waitForURL(/\/login\?next=%2Falbums$/);
    afterStep();
  });
});
