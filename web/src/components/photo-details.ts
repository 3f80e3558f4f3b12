// The details of one photo (EXIF and file facts) for the lightbox's panel.
// The owner also sees the file name and, when the photo has GPS, a map link;
// a share link's visitor sees neither (shared photos carry no GPS anyway).

import type { Photo } from '../api/types';
import { h } from '../lib/dom';
import { icon } from '../lib/icons';
import {
  formatBytes,
  formatCamera,
  formatDateTime,
  formatDimensions,
  formatExposure,
  mapLink,
} from '../lib/format';

export type Viewer = 'owner' | 'shared';

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/heic': 'HEIC',
  'image/heif': 'HEIF',
  'image/avif': 'AVIF',
  'image/tiff': 'TIFF',
};

export function renderPhotoDetails(
  photo: Photo,
  viewer: Viewer,
  position: { index: number; count: number; more: boolean },
): HTMLElement {
  const rows: [string, Node | string][] = [];
  const exif = photo.exif ?? {};
  const add = (label: string, value: Node | string | null | undefined) => {
    if (value) rows.push([label, value]);
  };
  if (photo.taken_at) add('Taken', formatDateTime(new Date(photo.taken_at)));
  add('Camera', formatCamera(exif));
  add('Lens', exif.lens);
  add('Exposure', formatExposure(exif).join(' · '));
  add('Dimensions', formatDimensions(photo.width, photo.height));
  add('Size', formatBytes(photo.bytes));
  add('Type', TYPE_NAMES[photo.content_type] ?? photo.content_type);
  if (viewer === 'owner') {
    if (photo.uploaded_at) add('Uploaded', formatDateTime(new Date(photo.uploaded_at)));
    const map = mapLink(exif);
    if (map) {
      add(
        'Location',
        h(
          'a',
          { href: map, target: '_blank', rel: 'noopener noreferrer', class: 'map-link' },
          icon('map'),
          'Show on OpenStreetMap',
        ),
      );
    }
    if (photo.purge_at) add('Deleted forever', formatDateTime(new Date(photo.purge_at)));
  }
  const title =
    viewer === 'owner' && photo.filename ? photo.filename : `Photo ${position.index + 1}`;
  const counter = `${position.index + 1} of ${position.count}${position.more ? '+' : ''}`;
  return h(
    'div',
    { class: 'details-content' },
    h('h2', { class: 'details-title' }, title),
    h('p', { class: 'details-counter' }, counter),
    h(
      'dl',
      { class: 'details-list' },
      rows.map(([label, value]) => h('div', { class: 'details-row' }, h('dt', null, label), h('dd', null, value))),
    ),
  );
}
