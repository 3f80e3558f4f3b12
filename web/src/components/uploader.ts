// The upload queue: every file goes up on its own over tus (resumable
// uploads at /api/v1/uploads), a few at a time, with pause, resume and
// retry. One file's failure (unsupported type, too large, over quota) never
// stops the others. Views listen for "change" (state and progress) and
// "uploaded" (a finished photo).

import type { DetailedError, HttpResponse, Upload } from 'tus-js-client';

import * as api from '../api/gallery';
import { getCsrfToken } from '../api/http';
import { formatBytes } from '../lib/format';

export type UploadState = 'queued' | 'uploading' | 'processing' | 'paused' | 'done' | 'duplicate' | 'error';

export interface UploadItem {
  readonly id: number;
  readonly file: File;
  state: UploadState;
  sent: number;
  total: number;
  error: string | null;
  retryable: boolean;
  /** The photo the finished upload became (the server's X-Photo-Id). */
  photoId: string | null;
  albumId: string | null;
  upload: Upload | null;
}

export const UPLOAD_ENDPOINT = '/api/v1/uploads';
const CHUNK_BYTES = 8 * 1024 * 1024;
const CONCURRENCY = 3;

const ACCEPTED_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/avif',
  'image/tiff',
]);
const ACCEPTED_EXTENSIONS = /\.(jpe?g|png|webp|gif|hei[cf]|avif|tiff?)$/i;
export const ACCEPT_ATTRIBUTE = 'image/*,.heic,.heif,.avif,.tif,.tiff';

/**
 * Why a file cannot be uploaded, before sending a byte (null: it may go).
 * The server sniffs the bytes anyway; this only spares obvious mistakes.
 */
export function precheck(file: Pick<File, 'name' | 'type' | 'size'>, maxBytes: number | null): string | null {
  const typeOk = ACCEPTED_TYPES.has(file.type.toLowerCase());
  const nameOk = ACCEPTED_EXTENSIONS.test(file.name);
  if (!typeOk && !(nameOk && (file.type === '' || file.type.startsWith('image/')))) {
    if (file.type === 'image/svg+xml') return 'Unsupported file type: SVG drawings are not accepted';
    const what = file.type || file.name.split('.').pop()?.toUpperCase() || 'unknown';
    return `Unsupported file type (${what}): JPEG, PNG, WebP, GIF, HEIC, AVIF or TIFF only`;
  }
  if (file.size === 0) return 'The file is empty';
  if (maxBytes !== null && file.size > maxBytes) {
    return `Too large: ${formatBytes(file.size)}, the limit is ${formatBytes(maxBytes)}`;
  }
  return null;
}

interface Problem {
  kind: string;
  detail: string;
}

function problemOf(response: HttpResponse | null): Problem | null {
  if (!response) return null;
  try {
    const body = JSON.parse(response.getBody()) as { type?: string; detail?: string; title?: string };
    const type = body.type ?? '';
    return { kind: type.slice(type.lastIndexOf('/') + 1), detail: body.detail ?? body.title ?? '' };
  } catch {
    return null;
  }
}

/** A short, clear message for a failed upload, and whether trying again can help. */
export function describeFailure(status: number, problem: Problem | null): { message: string; retryable: boolean } {
  const detail = problem?.detail ? `: ${problem.detail}` : '';
  if (status === 0) return { message: 'Network error: check the connection and retry', retryable: true };
  if (status === 413 && problem?.kind === 'quota-exceeded') {
    return { message: `Over your storage quota${detail}`, retryable: false };
  }
  if (status === 413) return { message: `Too large${detail}`, retryable: false };
  if (status === 415) return { message: `Unsupported file type${detail}`, retryable: false };
  if (status === 422) return { message: `The image cannot be read${detail}`, retryable: false };
  if (status === 401) return { message: 'Signed out: sign in again, then retry', retryable: true };
  if (status === 403) return { message: `Not allowed${detail}: reload the page and retry`, retryable: true };
  if (status === 404 || status === 410) {
    return { message: 'The unfinished upload expired on the server: retry to start again', retryable: true };
  }
  if (status === 429 || status === 503) return { message: `The server is busy${detail}: retry in a moment`, retryable: true };
  return { message: `Upload failed (HTTP ${status})${detail}`, retryable: status >= 500 };
}

export class Uploader extends EventTarget {
  readonly items: UploadItem[] = [];
  private nextId = 1;
  private maxBytes: number | null | undefined = undefined;

  /** Queues files; those that cannot go up are listed at once with their reason. */
  async add(files: Iterable<File>, options: { albumId?: string | null } = {}): Promise<UploadItem[]> {
    const maxBytes = await this.serverMaxBytes();
    const added: UploadItem[] = [];
    for (const file of files) {
      const reason = precheck(file, maxBytes);
      const item: UploadItem = {
        id: this.nextId++,
        file,
        state: reason ? 'error' : 'queued',
        sent: 0,
        total: file.size,
        error: reason,
        retryable: false,
        photoId: null,
        albumId: options.albumId ?? null,
        upload: null,
      };
      this.items.push(item);
      added.push(item);
    }
    this.changed();
    this.pump();
    return added;
  }

  pause(item: UploadItem): void {
    if (item.state === 'queued') {
      item.state = 'paused';
    } else if (item.state === 'uploading' && item.upload) {
      item.state = 'paused';
      void item.upload.abort(false);
    }
    this.changed();
    this.pump();
  }

  resume(item: UploadItem): void {
    if (item.state !== 'paused') return;
    item.state = 'queued';
    this.changed();
    this.pump();
  }

  retry(item: UploadItem): void {
    if (item.state !== 'error' || !item.retryable) return;
    item.state = 'queued';
    item.error = null;
    this.changed();
    this.pump();
  }

  /** Stops (and discards on the server) or forgets one file. */
  remove(item: UploadItem): void {
    const i = this.items.indexOf(item);
    if (i < 0) return;
    if (item.upload && (item.state === 'uploading' || item.state === 'paused' || item.state === 'error')) {
      item.upload.options.onError = null;
      void item.upload.abort(true).catch(() => {});
    }
    this.items.splice(i, 1);
    this.changed();
    this.pump();
  }

  pauseAll(): void {
    for (const item of this.items) if (item.state === 'uploading' || item.state === 'queued') this.pause(item);
  }

  resumeAll(): void {
    for (const item of this.items) if (item.state === 'paused') item.state = 'queued';
    this.changed();
    this.pump();
  }

  /** Forgets the finished files (the panel's "clear"). */
  clearFinished(): void {
    for (let i = this.items.length - 1; i >= 0; i -= 1) {
      const s = this.items[i]?.state;
      if (s === 'done' || s === 'duplicate' || s === 'error') this.items.splice(i, 1);
    }
    this.changed();
  }

  get active(): boolean {
    return this.items.some((i) => i.state === 'queued' || i.state === 'uploading' || i.state === 'processing');
  }

  /** Totals over the batch (files not refused). */
  stats(): { files: number; finished: number; failed: number; paused: number; sent: number; total: number } {
    let finished = 0;
    let failed = 0;
    let paused = 0;
    let sent = 0;
    let total = 0;
    for (const item of this.items) {
      if (item.state === 'error') {
        failed += 1;
        continue;
      }
      if (item.state === 'done' || item.state === 'duplicate') finished += 1;
      if (item.state === 'paused') paused += 1;
      sent += item.state === 'done' || item.state === 'duplicate' ? item.total : item.sent;
      total += item.total;
    }
    return { files: this.items.length, finished, failed, paused, sent, total };
  }

  // -- internals --------------------------------------------------------------

  /** The server's size limit, from the tus OPTIONS answer (Tus-Max-Size). */
  private async serverMaxBytes(): Promise<number | null> {
    if (this.maxBytes !== undefined) return this.maxBytes;
    try {
      const response = await fetch(UPLOAD_ENDPOINT, { method: 'OPTIONS', credentials: 'same-origin' });
      const max = Number(response.headers.get('Tus-Max-Size'));
      this.maxBytes = response.ok && Number.isFinite(max) && max > 0 ? max : null;
    } catch {
      this.maxBytes = null;
    }
    return this.maxBytes;
  }

  private pump(): void {
    let running = this.items.filter((i) => i.state === 'uploading' || i.state === 'processing').length;
    for (const item of this.items) {
      if (running >= CONCURRENCY) break;
      if (item.state !== 'queued') continue;
      running += 1;
      this.start(item);
    }
    if (!this.active) this.dispatchEvent(new Event('idle'));
  }

  private start(item: UploadItem): void {
    item.state = 'uploading';
    this.changed();
    // tus-js-client is loaded on the first upload (share pages never need it).
    import('tus-js-client')
      .then(({ Upload }) => this.send(item, Upload))
      .catch((e: unknown) => {
        item.state = 'error';
        item.error = `The uploader could not start: ${e instanceof Error ? e.message : String(e)}`;
        item.retryable = true;
        this.changed();
        this.pump();
      });
  }

  private send(item: UploadItem, UploadClass: typeof Upload): void {
    if (item.state !== 'uploading') return;
    const csrf = getCsrfToken();
    if (!item.upload) {
      item.upload = new UploadClass(item.file, {
        endpoint: UPLOAD_ENDPOINT,
        chunkSize: CHUNK_BYTES,
        retryDelays: [0, 1000, 3000, 6000],
        metadata: { filename: item.file.name, filetype: item.file.type || 'application/octet-stream' },
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onShouldRetry: (error) => {
          const status = error.originalResponse?.getStatus() ?? 0;
          return status === 0 || status === 409 || status === 423 || status >= 500;
        },
      });
    }
    const upload = item.upload;
    upload.options.headers = csrf ? { 'X-CSRF-Token': csrf } : {};
    upload.options.onProgress = (sent, total) => {
      if (item.state !== 'uploading' && item.state !== 'processing') return;
      item.sent = sent;
      item.total = total;
      item.state = sent >= total ? 'processing' : 'uploading';
      this.changed();
    };
    upload.options.onSuccess = async ({ lastResponse }) => {
      item.sent = item.total;
      // The PATCH that brought the last byte names the photo it became.
      item.photoId = lastResponse.getHeader('X-Photo-Id') ?? null;
      const duplicate = lastResponse.getHeader('X-Photo-Duplicate') === 'true';
      item.upload = null;
      // Uploaded from an album's page: into that album too, before anyone
      // is told (the album's grid reloads on "uploaded").
      if (item.albumId && item.photoId) {
        await api.addToAlbum(item.albumId, [item.photoId]).catch(() => {});
      }
      item.state = duplicate ? 'duplicate' : 'done';
      this.changed();
      this.dispatchEvent(new CustomEvent<UploadItem>('uploaded', { detail: item }));
      this.pump();
    };
    upload.options.onError = (error: Error | DetailedError) => {
      if (item.state === 'paused') return;
      const response = 'originalResponse' in error ? error.originalResponse : null;
      const status = response?.getStatus() ?? 0;
      const { message, retryable } = describeFailure(status, problemOf(response));
      item.state = 'error';
      item.error = message;
      item.retryable = retryable;
      // A refused or expired upload starts afresh on retry.
      if (status === 404 || status === 410 || status === 413 || status === 403) item.upload = null;
      this.changed();
      this.pump();
    };
    const go = async () => {
      try {
        const previous = await upload.findPreviousUploads();
        const last = previous[0];
        if (last && !upload.url) upload.resumeFromPreviousUpload(last);
      } catch {
        // No stored uploads (private mode): start from the beginning.
      }
      if (item.state === 'uploading') upload.start();
    };
    void go();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
