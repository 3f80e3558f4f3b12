// The upload panel (bottom right; a bottom sheet on phones): a progress bar
// for the batch and one per file, pause/resume/retry/remove per file, and
// the reason when a file is refused. Plus the full-window drop target.

import { h, replaceChildren } from '../lib/dom';
import { icon } from '../lib/icons';
import { formatBytes, plural } from '../lib/format';
import { toast } from '../ui/toast';
import { ACCEPT_ATTRIBUTE, Uploader, type UploadItem, type UploadState } from './uploader';

const STATE_TEXT: Record<UploadState, string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  processing: 'Processing',
  paused: 'Paused',
  done: 'Uploaded',
  duplicate: 'Already in your library',
  error: 'Failed',
};

const PREVIEWABLE = /^image\/(jpeg|png|webp|gif|avif)$/;

interface Row {
  li: HTMLLIElement;
  status: HTMLElement;
  bar: HTMLProgressElement;
  actions: HTMLElement;
  state: UploadState | null;
  previewUrl: string | null;
}

export class UploadPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly heading: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly batchBar: HTMLProgressElement;
  private readonly headerActions: HTMLElement;
  private readonly rows = new Map<number, Row>();
  private collapsed = false;
  private headerKey = '';
  private frame = 0;
  readonly fileInput: HTMLInputElement;

  constructor(
    private readonly uploader: Uploader,
    private readonly albumForUploads: () => string | null,
  ) {
    this.heading = h('h2', { class: 'upload-heading', id: 'upload-heading' });
    this.summary = h('p', { class: 'upload-summary' });
    this.batchBar = h('progress', { class: 'progress progress-batch', max: 1, value: 0, 'aria-label': 'All uploads' });
    this.headerActions = h('div', { class: 'upload-header-actions' });
    this.list = h('ul', { class: 'upload-list' });
    this.element = h(
      'section',
      { class: 'upload-panel', 'aria-labelledby': 'upload-heading', hidden: true },
      h('header', { class: 'upload-header' }, h('div', { class: 'upload-titles' }, this.heading, this.summary), this.headerActions),
      this.batchBar,
      this.list,
    );
    this.fileInput = h('input', {
      type: 'file',
      multiple: true,
      accept: ACCEPT_ATTRIBUTE,
      class: 'visually-hidden',
      tabIndex: -1,
      'aria-hidden': 'true',
    });
    this.fileInput.addEventListener('change', () => {
      const files = Array.from(this.fileInput.files ?? []);
      this.fileInput.value = '';
      if (files.length) void this.add(files);
    });
    uploader.addEventListener('change', () => this.schedule());
    // When a batch ends, say so (the panel's heading changes too often to be
    // a live region).
    let wasBusy = false;
    uploader.addEventListener('change', () => {
      const busy = uploader.active;
      if (wasBusy && !busy) {
        const { finished, failed, paused } = uploader.stats();
        if (paused === 0) {
          const parts = [`${plural(finished, 'photo')} uploaded`];
          if (failed) parts.push(`${failed} could not be`);
          toast(parts.join(', '), { kind: failed ? 'error' : 'success' });
        }
      }
      wasBusy = busy;
    });
  }

  /** Opens the system file picker. */
  pick(): void {
    this.fileInput.click();
  }

  add(files: File[]): Promise<unknown> {
    this.collapsed = false;
    return this.uploader.add(files, { albumId: this.albumForUploads() });
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    const items = this.uploader.items;
    this.element.hidden = items.length === 0;
    const stats = this.uploader.stats();
    const busy = this.uploader.active;
    this.element.classList.toggle('collapsed', this.collapsed);
    this.element.dataset.state = busy ? 'active' : stats.paused > 0 ? 'paused' : 'finished';

    const done = stats.finished;
    const ok = stats.files - stats.failed;
    this.heading.textContent = busy
      ? `Uploading ${Math.min(done + 1, ok)} of ${ok}`
      : stats.paused > 0
        ? `${plural(stats.paused, 'upload')} paused`
        : `${plural(done, 'photo')} uploaded`;
    const parts = [`${formatBytes(stats.sent)} of ${formatBytes(stats.total)}`];
    if (stats.failed) parts.push(`${stats.failed} failed`);
    this.summary.textContent = parts.join(' · ');
    this.batchBar.value = stats.total > 0 ? stats.sent / stats.total : stats.files > 0 ? 1 : 0;

    // Rebuilt only when the set of buttons changes, so that focus stays put.
    const mode = busy ? 'busy' : stats.paused > 0 ? 'paused' : 'finished';
    const key = `${mode}/${this.collapsed}`;
    if (key !== this.headerKey) {
      this.headerKey = key;
      const hadFocus = this.headerActions.contains(document.activeElement);
      replaceChildren(
        this.headerActions,
        mode === 'busy'
          ? this.iconButton('pause', 'Pause all uploads', () => this.uploader.pauseAll())
          : mode === 'paused'
            ? this.iconButton('play', 'Resume all uploads', () => this.uploader.resumeAll())
            : null,
        this.iconButton(
          this.collapsed ? 'plus' : 'back',
          this.collapsed ? 'Show upload list' : 'Hide upload list',
          () => {
            this.collapsed = !this.collapsed;
            this.render();
          },
          'collapse-button',
        ),
        mode === 'finished' ? this.iconButton('close', 'Clear finished uploads', () => this.uploader.clearFinished()) : null,
      );
      if (hadFocus) (this.headerActions.querySelector('button') as HTMLButtonElement | null)?.focus();
    }

    const live = new Set(items.map((i) => i.id));
    for (const [id, row] of this.rows) {
      if (!live.has(id)) {
        if (row.previewUrl) URL.revokeObjectURL(row.previewUrl);
        row.li.remove();
        this.rows.delete(id);
      }
    }
    for (const item of items) this.renderRow(item);
  }

  private renderRow(item: UploadItem): void {
    let row = this.rows.get(item.id);
    if (!row) {
      const previewUrl = PREVIEWABLE.test(item.file.type) ? URL.createObjectURL(item.file) : null;
      const status = h('p', { class: 'upload-status' });
      const bar = h('progress', { class: 'progress', max: 1, value: 0, 'aria-label': `Upload of ${item.file.name}` });
      const actions = h('div', { class: 'upload-actions' });
      const li = h(
        'li',
        { class: 'upload-item' },
        previewUrl
          ? h('img', { class: 'upload-thumb', src: previewUrl, alt: '' })
          : h('span', { class: 'upload-thumb upload-thumb-icon' }, icon('image')),
        h('div', { class: 'upload-main' }, h('p', { class: 'upload-name', title: item.file.name }, item.file.name), status, bar),
        actions,
      );
      row = { li, status, bar, actions, state: null, previewUrl };
      this.rows.set(item.id, row);
      this.list.append(li);
    }
    row.li.dataset.state = item.state;
    const fraction = item.total > 0 ? item.sent / item.total : 0;
    const shown = item.state === 'done' || item.state === 'duplicate' ? 1 : fraction;
    row.bar.value = shown;
    row.bar.setAttribute('aria-valuetext', `${Math.round(shown * 100)}%`);
    row.bar.hidden = item.state === 'error';
    const size = `${formatBytes(item.state === 'uploading' || item.state === 'paused' ? item.sent : item.total)}${
      item.state === 'uploading' || item.state === 'paused' ? ` of ${formatBytes(item.total)}` : ''
    }`;
    row.status.textContent = item.state === 'error' ? (item.error ?? STATE_TEXT.error) : `${STATE_TEXT[item.state]} · ${size}`;
    row.status.classList.toggle('upload-error', item.state === 'error');
    if (row.state !== item.state) {
      row.state = item.state;
      const name = item.file.name;
      const hadFocus = row.actions.contains(document.activeElement);
      replaceChildren(
        row.actions,
        item.state === 'uploading' || item.state === 'queued'
          ? this.iconButton('pause', `Pause ${name}`, () => this.uploader.pause(item))
          : null,
        item.state === 'paused' ? this.iconButton('play', `Resume ${name}`, () => this.uploader.resume(item)) : null,
        item.state === 'error' && item.retryable
          ? this.iconButton('retry', `Retry ${name}`, () => this.uploader.retry(item))
          : null,
        item.state === 'done' || item.state === 'duplicate' || item.state === 'processing'
          ? null
          : this.iconButton('close', item.state === 'error' ? `Dismiss ${name}` : `Cancel ${name}`, () =>
              this.uploader.remove(item),
            ),
        item.state === 'done' || item.state === 'duplicate' ? h('span', { class: 'upload-done' }, icon('check')) : null,
      );
      if (hadFocus) (row.actions.querySelector('button') ?? this.batchBar.closest('section')?.querySelector('button'))?.focus();
    }
  }

  private iconButton(name: Parameters<typeof icon>[0], label: string, onClick: () => void, extra = ''): HTMLButtonElement {
    return h(
      'button',
      { type: 'button', class: `icon-button ${extra}`, 'aria-label': label, title: label, onclick: onClick },
      icon(name),
    );
  }
}

/**
 * Files dropped anywhere in the window go to `onFiles`; while files are
 * dragged over, an overlay says so. Returns a function removing the handlers.
 */
export function installDropTarget(onFiles: (files: File[]) => void): () => void {
  const overlay = h(
    'div',
    { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' },
    h('div', { class: 'drop-card' }, icon('upload', 'icon icon-large'), h('p', null, 'Drop photos to upload')),
  );
  document.body.append(overlay);
  let depth = 0;
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  const enter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    overlay.hidden = false;
  };
  const over = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const leave = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  };
  const drop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length) onFiles(files);
  };
  window.addEventListener('dragenter', enter);
  window.addEventListener('dragover', over);
  window.addEventListener('dragleave', leave);
  window.addEventListener('drop', drop);
  return () => {
    window.removeEventListener('dragenter', enter);
    window.removeEventListener('dragover', over);
    window.removeEventListener('dragleave', leave);
    window.removeEventListener('drop', drop);
    overlay.remove();
  };
}
