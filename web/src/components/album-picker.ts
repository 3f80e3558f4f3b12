// Choosing an album to add photos to, or making a new one on the spot.

import * as api from '../api/gallery';
import type { Album } from '../api/types';
import { h, replaceChildren, uid } from '../lib/dom';
import { icon } from '../lib/icons';
import { plural } from '../lib/format';
import { openDialog } from '../ui/dialog';
import { errorMessage } from '../ui/toast';

export function pickAlbum(title: string): Promise<Album | null> {
  return new Promise((resolve) => {
    let chosen: Album | null = null;
    const list = h('ul', { class: 'album-pick-list' }, h('li', { class: 'muted' }, 'Loading albums…'));
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const nameId = uid('album-name');
    const name = h('input', { id: nameId, type: 'text', required: true, maxLength: 200, placeholder: 'New album name' });
    const create = h('button', { type: 'submit', class: 'button button-primary' }, icon('plus'), 'Create');
    const choose = (album: Album) => {
      chosen = album;
      handle.close();
    };
    const form = h(
      'form',
      {
        class: 'album-pick-new',
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          if (!name.value.trim()) return;
          create.disabled = true;
          try {
            choose(await api.createAlbum(name.value.trim()));
          } catch (e) {
            error.textContent = errorMessage(e);
            error.hidden = false;
          } finally {
            create.disabled = false;
          }
        },
      },
      h('label', { htmlFor: nameId, class: 'visually-hidden' }, 'New album name'),
      name,
      create,
    );
    const handle = openDialog({
      title,
      className: 'dialog-small',
      body: [form, error, list],
      onClose: () => resolve(chosen),
    });
    name.focus();
    api
      .allAlbums()
      .then((albums) => {
        replaceChildren(
          list,
          albums.length === 0
            ? h('li', { class: 'muted' }, 'No albums yet: name one above.')
            : albums.map((album) =>
                h(
                  'li',
                  null,
                  h(
                    'button',
                    { type: 'button', class: 'album-pick', onclick: () => choose(album) },
                    album.cover
                      ? h('img', { src: album.cover.thumb, alt: '', loading: 'lazy' })
                      : h('span', { class: 'album-pick-placeholder' }, icon('albums')),
                    h('span', { class: 'album-pick-title' }, album.title),
                    h('span', { class: 'album-pick-count' }, plural(album.photo_count, 'photo')),
                  ),
                ),
              ),
        );
      })
      .catch((e: unknown) => replaceChildren(list, h('li', { class: 'form-error' }, errorMessage(e))));
  });
}
