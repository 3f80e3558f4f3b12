// The full-screen viewer: PhotoSwipe (swipe and pinch-zoom on touch, arrow
// keys and Escape on a keyboard, neighbours preloaded) over the grid's
// photos, with a details panel and, when allowed, a download button. Near the
// end of what is loaded it asks the grid for the next page.

import PhotoSwipeLightbox from 'photoswipe/lightbox';
import type PhotoSwipe from 'photoswipe';
import type { SlideData } from 'photoswipe';
import 'photoswipe/style.css';

import type { Photo, PhotoUrls } from '../api/types';
import { h } from '../lib/dom';
import { iconMarkup } from '../lib/icons';
import { photoAlt } from '../lib/format';
import { renderPhotoDetails, type Viewer } from './photo-details';

/** What the lightbox shows: the grid's list, which can grow while open. */
export interface LightboxSource {
  count(): number;
  photo(index: number): Photo | undefined;
  urls(photo: Photo): PhotoUrls;
  /** The thumbnail image to zoom from and to, when it is in the page. */
  thumbElement(index: number): HTMLElement | null;
  hasMore(): boolean;
  loadMore(): Promise<void>;
}

export interface LightboxOptions {
  viewer: Viewer;
  allowDownload: boolean;
  /** Called once closed with the index last shown (to focus its tile). */
  onClosed?: (index: number) => void;
}

const PREVIEW_EDGE = 2048;
const DETAILS_WIDTH = 340;
const DETAILS_KEY = 'gallery.lightbox.details';

/** The preview's size: longest edge at most 2048, never enlarged. */
export function previewSize(photo: Pick<Photo, 'width' | 'height'>): { width: number; height: number } {
  const w = Math.max(1, photo.width);
  const hgt = Math.max(1, photo.height);
  const scale = Math.min(1, PREVIEW_EDGE / Math.max(w, hgt));
  return { width: Math.round(w * scale), height: Math.round(hgt * scale) };
}

function wideScreen(): boolean {
  return window.matchMedia('(min-width: 800px)').matches;
}

export function openLightbox(source: LightboxSource, index: number, options: LightboxOptions): void {
  let detailsOpen = localStorage.getItem(DETAILS_KEY) === '1';
  const details = h('aside', { class: 'lightbox-details', 'aria-label': 'Photo details' });
  let pswp: PhotoSwipe | null = null;
  let loadingMore = false;

  const lightbox = new PhotoSwipeLightbox({
    pswpModule: () => import('photoswipe'),
    preload: [1, 2],
    loop: false,
    bgOpacity: 1,
    showHideAnimationType: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'none' : 'zoom',
    returnFocus: false,
    closeTitle: 'Close (Esc)',
    zoomTitle: 'Zoom (Z)',
    arrowPrevTitle: 'Previous (←)',
    arrowNextTitle: 'Next (→)',
    errorMsg: 'This picture cannot be loaded.',
    indexIndicatorSep: ' of ',
    paddingFn: () => {
      const side = detailsOpen && wideScreen() ? DETAILS_WIDTH : 0;
      return { top: 0, bottom: 0, left: 0, right: side };
    },
  });

  lightbox.addFilter('numItems', () => source.count());
  lightbox.addFilter('itemData', (_data: SlideData, i: number): SlideData => {
    const photo = source.photo(i);
    if (!photo) return {};
    const urls = source.urls(photo);
    const size = previewSize(photo);
    return {
      src: urls.preview,
      msrc: urls.thumb,
      width: size.width,
      height: size.height,
      alt: photoAlt(photo, { index: i, count: source.count() }),
      element: source.thumbElement(i) ?? undefined,
      photoId: photo.id,
    };
  });
  lightbox.addFilter('thumbEl', (thumb, _data, i) => (source.thumbElement(i) ?? thumb) as HTMLElement);

  const renderDetails = () => {
    if (!pswp) return;
    const photo = source.photo(pswp.currIndex);
    details.hidden = !detailsOpen;
    pswp.element?.classList.toggle('details-open', detailsOpen);
    if (!photo) return;
    details.replaceChildren(
      renderPhotoDetails(photo, options.viewer, {
        index: pswp.currIndex,
        count: source.count(),
        more: source.hasMore(),
      }),
    );
  };

  const toggleDetails = () => {
    detailsOpen = !detailsOpen;
    localStorage.setItem(DETAILS_KEY, detailsOpen ? '1' : '0');
    renderDetails();
    infoButton?.setAttribute('aria-pressed', String(detailsOpen));
    pswp?.updateSize(true);
  };
  let infoButton: HTMLElement | null = null;
  let downloadLink: HTMLAnchorElement | null = null;

  const updateDownload = () => {
    if (!pswp || !downloadLink) return;
    const photo = source.photo(pswp.currIndex);
    if (!photo) return;
    const original = source.urls(photo).original;
    downloadLink.hidden = !original;
    if (original) downloadLink.href = original;
  };

  // Near the end of what is loaded: fetch the next page so swiping goes on.
  const maybeLoadMore = () => {
    if (!pswp || loadingMore || !source.hasMore()) return;
    if (pswp.currIndex < source.count() - 3) return;
    loadingMore = true;
    const before = source.count();
    source
      .loadMore()
      .then(() => {
        if (!pswp) return;
        for (let i = before - 1; i < Math.min(source.count(), before + 2); i += 1) {
          pswp.refreshSlideContent(i);
        }
        renderDetails();
      })
      .catch(() => {})
      .finally(() => {
        loadingMore = false;
      });
  };

  lightbox.on('uiRegister', () => {
    const ui = lightbox.pswp?.ui;
    if (!ui) return;
    ui.registerElement({
      name: 'info',
      order: 15,
      isButton: true,
      title: 'Details (I)',
      ariaLabel: 'Show details',
      html: iconMarkup('info'),
      onInit: (el) => {
        infoButton = el;
        el.setAttribute('aria-pressed', String(detailsOpen));
      },
      onClick: () => toggleDetails(),
    });
    if (options.allowDownload) {
      ui.registerElement({
        name: 'download',
        order: 14,
        isButton: true,
        tagName: 'a',
        title: 'Download the original',
        ariaLabel: 'Download the original',
        html: iconMarkup('download'),
        onInit: (el) => {
          downloadLink = el as HTMLAnchorElement;
          downloadLink.setAttribute('download', '');
          updateDownload();
        },
      });
    }
    ui.registerElement({
      name: 'details',
      appendTo: 'root',
      onInit: (el) => {
        el.classList.add('lightbox-details-host');
        el.append(details);
        renderDetails();
      },
    });
  });

  lightbox.on('change', () => {
    renderDetails();
    updateDownload();
    maybeLoadMore();
  });
  lightbox.on('keydown', (event) => {
    const key = event.originalEvent.key;
    if ((key === 'i' || key === 'I') && !event.originalEvent.ctrlKey && !event.originalEvent.metaKey) {
      event.preventDefault();
      toggleDetails();
    }
  });
  lightbox.on('afterInit', () => {
    pswp = lightbox.pswp ?? null;
    renderDetails();
    updateDownload();
    maybeLoadMore();
  });
  lightbox.on('close', () => {
    // Bring the tile into view first so that the closing zoom lands on it.
    const i = pswp?.currIndex ?? index;
    source.thumbElement(i)?.scrollIntoView({ block: 'nearest' });
  });
  // (The lightbox object needs no destroy of its own: it has no gallery
  // element listeners, and destroying it from here would recurse.)
  lightbox.on('destroy', () => {
    const i = pswp?.currIndex ?? index;
    pswp = null;
    options.onClosed?.(i);
  });

  lightbox.init();
  lightbox.loadAndOpen(index);
}
