// The albums: cards with their cover, title and size; a new one in a dialog.

import * as api from '../api/gallery';
import type { Album } from '../api/types';
import { h, replaceChildren } from '../lib/dom';
import { icon } from '../lib/icons';
import { plural } from '../lib/format';
import type { View } from '../lib/router';
import { formDialog } from '../ui/dialog';
import { errorMessage } from '../ui/toast';
import type { AppContext } from './context';
import { actionButton, emptyState, pageHeader } from './page';

export function newAlbumDialog(app: AppContext): void {
  void formDialog<Album>({
    title: 'New album',
    submitLabel: 'Create album',
    fields: [
      { name: 'title', label: 'Name', required: true, maxLength: 200 },
      { name: 'description', label: 'Description (optional)', type: 'textarea', maxLength: 2000 },
    ],
    submit: (v) => api.createAlbum(v.title ?? '', v.description || undefined),
  }).then((album) => {
    if (album) app.navigate(`/albums/${encodeURIComponent(album.id)}`);
  });
}

function albumCard(album: Album): HTMLElement {
  return h(
    'li',
    null,
    h(
      'a',
      { class: 'album-card', href: `/albums/${encodeURIComponent(album.id)}` },
      h(
        'div',
        { class: 'album-cover' },
        album.cover
          ? h('img', { src: album.cover.thumb, alt: '', loading: 'lazy', decoding: 'async' })
          : icon('albums', 'icon icon-large'),
      ),
      h('h2', { class: 'album-title' }, album.title),
      h('p', { class: 'album-count' }, plural(album.photo_count, 'photo')),
    ),
  );
}

export function albumsView(app: AppContext): View {
  const list = h('ul', { class: 'album-grid', 'aria-busy': 'true' });
  const status = h('div', { class: 'grid-footer' }, h('div', { class: 'spinner', role: 'progressbar', 'aria-label': 'Loading albums' }));
  const element = h(
    'div',
    { class: 'page page-albums' },
    pageHeader('Albums', { actions: actionButton('plus', 'New album', () => newAlbumDialog(app), 'primary') }),
    list,
    status,
  );
  let alive = true;
  const load = () => {
    api
      .allAlbums()
      .then((albums) => {
        if (!alive) return;
        list.setAttribute('aria-busy', 'false');
        replaceChildren(list, albums.map(albumCard));
        replaceChildren(
          status,
          albums.length
            ? null
            : emptyState(
                'albums',
                'No albums yet',
                h('p', null, 'Make one, then add photos to it: select them in your timeline and choose “Add to album”.'),
                actionButton('plus', 'New album', () => newAlbumDialog(app), 'primary'),
              ),
        );
      })
      .catch((e: unknown) => {
        if (!alive) return;
        replaceChildren(
          status,
          h('p', { class: 'grid-error' }, icon('alert'), errorMessage(e)),
          h('button', { type: 'button', class: 'button', onclick: load }, 'Try again'),
        );
      });
  };
  load();
  return { element, title: 'Albums', dispose: () => (alive = false) };
}
