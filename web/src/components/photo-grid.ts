// The justified grid of thumbnails (Flickr's justified-layout) used by the
// timeline, albums, trash and share pages: sections by day or month, pages
// loaded as the sentinel nears the viewport, native lazy images over a
// placeholder, multi-select, and the lightbox on open.

import justifiedLayout from 'justified-layout';

import type { Photo, PhotoUrls } from '../api/types';
import { h, replaceChildren, type Child } from '../lib/dom';
import { icon } from '../lib/icons';
import { photoAlt } from '../lib/format';
import { groupPhotos, type Grouping, type PhotoGroup } from '../lib/groups';
import { openLightbox, type LightboxSource } from './lightbox';
import type { Viewer } from './photo-details';
import { errorMessage } from '../ui/toast';

export interface PhotoPageResult {
  photos: Photo[];
  next_cursor: string | null;
}

export interface PhotoGridOptions {
  /** Loads one page; cursor null for the first. */
  load: (cursor: string | null, limit: number) => Promise<PhotoPageResult>;
  urls: (photo: Photo) => PhotoUrls;
  grouping: Grouping;
  /** Accessible name of the grid region ("Photos", "Trash"). */
  label: string;
  viewer: Viewer;
  allowDownload: boolean;
  selectable: boolean;
  empty: () => Child;
  onSelectionChange?: (selected: ReadonlySet<string>) => void;
  /** Target row height in CSS pixels by viewport width. */
  rowHeight?: (width: number) => number;
}

const PAGE = 100;
const NEAR_PX = 1600;

interface Tile {
  root: HTMLElement;
  open: HTMLButtonElement;
  img: HTMLImageElement;
  select: HTMLButtonElement | null;
}

function defaultRowHeight(width: number): number {
  if (width < 480) return 120;
  if (width < 900) return 170;
  return 230;
}

export class PhotoGrid {
  readonly element: HTMLElement;
  private readonly sections: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly sentinel: HTMLElement;
  private photos: Photo[] = [];
  private index = new Map<string, number>();
  private tiles = new Map<string, Tile>();
  private cursor: string | null = null;
  private done = false;
  private loading: Promise<void> | null = null;
  private failed = false;
  private groups: PhotoGroup[] = [];
  private groupBoxes: HTMLElement[] = [];
  private readonly selected = new Set<string>();
  private anchor: number | null = null;
  private lastWidth = 0;
  private readonly resizeObserver: ResizeObserver;
  private readonly intersectionObserver: IntersectionObserver;
  private frame = 0;
  private disposed = false;
  private generation = 0;

  constructor(private readonly options: PhotoGridOptions) {
    this.sections = h('div', { class: 'grid-sections' });
    this.footer = h('div', { class: 'grid-footer', 'aria-live': 'polite' });
    this.sentinel = h('div', { class: 'grid-sentinel', 'aria-hidden': 'true' });
    this.element = h(
      'div',
      { class: 'photo-grid', role: 'region', 'aria-label': options.label },
      this.sections,
      this.footer,
      this.sentinel,
    );
    this.resizeObserver = new ResizeObserver(() => this.scheduleLayout());
    this.resizeObserver.observe(this.element);
    this.intersectionObserver = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void this.loadMore();
      },
      { rootMargin: `${NEAR_PX}px 0px` },
    );
    this.intersectionObserver.observe(this.sentinel);
  }

  dispose(): void {
    this.disposed = true;
    this.resizeObserver.disconnect();
    this.intersectionObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  get count(): number {
    return this.photos.length;
  }

  get hasMore(): boolean {
    return !this.done;
  }

  photoAt(index: number): Photo | undefined {
    return this.photos[index];
  }

  photoById(id: string): Photo | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.photos[i];
  }

  /** Loads the next page (one at a time; resolves when it is shown). */
  loadMore(): Promise<void> {
    if (this.done || this.disposed) return Promise.resolve();
    if (this.loading) return this.loading;
    const generation = this.generation;
    this.failed = false;
    this.renderFooter();
    this.loading = this.options
      .load(this.cursor, PAGE)
      .then((page) => {
        if (generation !== this.generation || this.disposed) return;
        this.append(page.photos);
        this.cursor = page.next_cursor;
        this.done = page.next_cursor === null;
      })
      .catch((e: unknown) => {
        if (generation !== this.generation) return;
        this.failed = true;
        this.footerError = errorMessage(e);
      })
      .finally(() => {
        if (generation !== this.generation) return;
        this.loading = null;
        this.renderFooter();
        // Pages smaller than the screen: keep going while the end is near.
        if (!this.done && !this.failed) requestAnimationFrame(() => this.loadIfNear());
      });
    return this.loading;
  }

  private footerError = '';

  private loadIfNear(): void {
    if (this.disposed) return;
    const top = this.sentinel.getBoundingClientRect().top;
    if (top < window.innerHeight + NEAR_PX) void this.loadMore();
  }

  /**
   * Loads again from the start as far as the grid had got, keeping the tiles
   * that stay (after uploads, deletions elsewhere, or a restore).
   */
  async refresh(): Promise<void> {
    const have = Math.max(this.photos.length, PAGE);
    const generation = ++this.generation;
    const fresh: Photo[] = [];
    let cursor: string | null = null;
    let done = false;
    while (fresh.length < have) {
      const page = await this.options.load(cursor, 200);
      if (generation !== this.generation || this.disposed) return;
      fresh.push(...page.photos);
      cursor = page.next_cursor;
      if (cursor === null) {
        done = true;
        break;
      }
    }
    this.loading = null;
    this.cursor = cursor;
    this.done = done;
    this.failed = false;
    this.setPhotos(fresh);
    this.renderFooter();
  }

  /** Takes photos out of the grid (moved to trash, removed from an album). */
  remove(ids: Iterable<string>): void {
    const gone = new Set(ids);
    for (const id of gone) this.selected.delete(id);
    this.setPhotos(this.photos.filter((p) => !gone.has(p.id)));
    this.emitSelection();
  }

  get selection(): ReadonlySet<string> {
    return this.selected;
  }

  selectedPhotos(): Photo[] {
    return this.photos.filter((p) => this.selected.has(p.id));
  }

  clearSelection(): void {
    this.selected.clear();
    this.anchor = null;
    this.syncSelection();
  }

  selectAll(): void {
    for (const p of this.photos) this.selected.add(p.id);
    this.syncSelection();
  }

  /** Moves keyboard focus to a photo's tile, scrolling it into view. */
  focusPhoto(index: number): void {
    const photo = this.photos[index];
    if (!photo) return;
    const tile = this.tiles.get(photo.id);
    tile?.root.scrollIntoView({ block: 'nearest' });
    tile?.open.focus({ preventScroll: true });
  }

  open(index: number): void {
    const source: LightboxSource = {
      count: () => this.photos.length,
      photo: (i) => this.photos[i],
      urls: (p) => this.options.urls(p),
      thumbElement: (i) => {
        const p = this.photos[i];
        return p ? (this.tiles.get(p.id)?.img ?? null) : null;
      },
      hasMore: () => this.hasMore,
      loadMore: () => this.loadMore(),
    };
    openLightbox(source, index, {
      viewer: this.options.viewer,
      allowDownload: this.options.allowDownload,
      onClosed: (i) => this.focusPhoto(i),
    });
  }

  // -- rendering ------------------------------------------------------------

  private append(photos: Photo[]): void {
    const seen = new Set(this.index.keys());
    this.setPhotos([...this.photos, ...photos.filter((p) => !seen.has(p.id))]);
  }

  private setPhotos(photos: Photo[]): void {
    this.photos = photos;
    this.index = new Map(photos.map((p, i) => [p.id, i]));
    for (const [id, tile] of this.tiles) {
      if (!this.index.has(id)) {
        tile.root.remove();
        this.tiles.delete(id);
        this.selected.delete(id);
      }
    }
    this.groups = groupPhotos(photos, this.options.grouping);
    const sections = this.groups.map((group) => {
      const box = h('div', { class: 'grid-box' });
      for (const photo of group.photos) box.append(this.tileFor(photo).root);
      const heading = group.label ? h('h2', { class: 'grid-heading' }, group.label) : null;
      const labelled = group.label ? { 'aria-label': `${group.label}, ${group.photos.length} photos` } : {};
      return { section: h('section', { class: 'grid-section', ...labelled }, heading, box), box };
    });
    this.groupBoxes = sections.map((s) => s.box);
    replaceChildren(
      this.sections,
      sections.map((s) => s.section),
    );
    this.lastWidth = 0;
    this.layout();
    this.syncSelection();
    this.renderFooter();
  }

  private tileFor(photo: Photo): Tile {
    const existing = this.tiles.get(photo.id);
    if (existing) return existing;
    const i = () => this.index.get(photo.id) ?? 0;
    const urls = this.options.urls(photo);
    const alt = photoAlt(photo, { index: i() });
    const img = h('img', {
      src: urls.thumb,
      alt,
      loading: 'lazy',
      decoding: 'async',
      draggable: false,
    });
    const root = h('div', { class: 'tile', dataset: { id: photo.id } });
    img.addEventListener('load', () => root.classList.add('loaded'), { once: true });
    img.addEventListener('error', () => root.classList.add('failed'), { once: true });
    const open = h('button', { type: 'button', class: 'tile-open' }, img);
    open.addEventListener('click', (event) => {
      if (this.options.selectable && (this.selected.size > 0 || event.shiftKey || event.ctrlKey || event.metaKey)) {
        this.toggle(i(), event.shiftKey);
      } else {
        this.open(i());
      }
    });
    let select: HTMLButtonElement | null = null;
    if (this.options.selectable) {
      select = h(
        'button',
        {
          type: 'button',
          class: 'tile-select',
          'aria-pressed': 'false',
          'aria-label': `Select ${alt}`,
        },
        icon('check'),
      );
      select.addEventListener('click', (event) => this.toggle(i(), event.shiftKey));
    }
    root.append(open);
    if (select) root.append(select);
    const tile = { root, open, img, select };
    this.tiles.set(photo.id, tile);
    return tile;
  }

  private scheduleLayout(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.layout());
  }

  private layout(): void {
    const width = Math.floor(this.sections.clientWidth);
    if (width <= 0 || width === this.lastWidth) return;
    this.lastWidth = width;
    const spacing = width < 600 ? 3 : 6;
    const rowHeight = (this.options.rowHeight ?? defaultRowHeight)(window.innerWidth);
    this.groups.forEach((group, g) => {
      const box = this.groupBoxes[g];
      if (!box) return;
      // Extreme panoramas and slivers are clamped so that a row stays usable.
      const ratios = group.photos.map((p) => Math.min(4, Math.max(0.3, p.width / Math.max(1, p.height))));
      const result = justifiedLayout(ratios, {
        containerWidth: width,
        containerPadding: 0,
        boxSpacing: spacing,
        targetRowHeight: rowHeight,
        targetRowHeightTolerance: 0.25,
      });
      box.style.height = `${Math.ceil(result.containerHeight)}px`;
      result.boxes.forEach((b, k) => {
        const photo = group.photos[k];
        const tile = photo ? this.tiles.get(photo.id) : undefined;
        if (!tile) return;
        const s = tile.root.style;
        s.left = `${b.left}px`;
        s.top = `${b.top}px`;
        s.width = `${b.width}px`;
        s.height = `${b.height}px`;
      });
    });
  }

  private renderFooter(): void {
    if (this.failed) {
      replaceChildren(
        this.footer,
        h('p', { class: 'grid-error' }, icon('alert'), this.footerError),
        h('button', { type: 'button', class: 'button', onclick: () => void this.loadMore() }, 'Try again'),
      );
    } else if (this.loading) {
      replaceChildren(this.footer, h('div', { class: 'spinner', role: 'progressbar', 'aria-label': 'Loading photos' }));
    } else if (this.done && this.photos.length === 0) {
      replaceChildren(this.footer, h('div', { class: 'empty-state' }, this.options.empty()));
    } else {
      replaceChildren(this.footer);
    }
    this.element.setAttribute('aria-busy', String(Boolean(this.loading)));
  }

  // -- selection --------------------------------------------------------------

  private toggle(index: number, range: boolean): void {
    const photo = this.photos[index];
    if (!photo) return;
    if (range && this.anchor !== null) {
      const [from, to] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (let k = from; k <= to; k += 1) {
        const p = this.photos[k];
        if (p) this.selected.add(p.id);
      }
    } else if (this.selected.has(photo.id)) {
      this.selected.delete(photo.id);
    } else {
      this.selected.add(photo.id);
    }
    this.anchor = index;
    this.syncSelection();
  }

  private syncSelection(): void {
    for (const [id, tile] of this.tiles) {
      const on = this.selected.has(id);
      tile.root.classList.toggle('selected', on);
      tile.select?.setAttribute('aria-pressed', String(on));
    }
    this.element.classList.toggle('selecting', this.selected.size > 0);
    this.emitSelection();
  }

  private emitSelection(): void {
    this.options.onSelectionChange?.(this.selected);
  }
}
