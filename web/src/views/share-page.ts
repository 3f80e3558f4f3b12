// The public page of a share link (/s/{token}): the same grid and lightbox,
// showing only what was shared: no account, no file names, no places. A
// password-protected link asks for the password first.

import * as api from '../api/gallery';
import { ApiError } from '../api/http';
import type { SharedView } from '../api/types';
import { PhotoGrid } from '../components/photo-grid';
import { h, replaceChildren, uid } from '../lib/dom';
import { icon } from '../lib/icons';
import { formatDate } from '../lib/format';
import type { View } from '../lib/router';
import { errorMessage } from '../ui/toast';
import { emptyState } from './page';
import { logo } from './shell';

export function sharePageView(token: string): View {
  const main = h('main', { id: 'main', class: 'share-page', tabIndex: -1 });
  const element = h(
    'div',
    { class: 'share-layout' },
    h('header', { class: 'share-topbar' }, h('span', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, 'Picture Gallery'))),
    main,
  );
  let grid: PhotoGrid | null = null;
  let disposed = false;

  const invalid = () =>
    replaceChildren(
      main,
      h(
        'div',
        { class: 'page-center' },
        emptyState('link', 'This link is not valid', h('p', null, 'It may have expired or been revoked. Ask the person who sent it for a new one.')),
      ),
    );

  const show = (first: SharedView) => {
    const { share } = first;
    const title = share.title ?? (share.kind === 'photo' ? 'A shared photo' : 'Shared photos');
    document.title = `${title} · Picture Gallery`;
    let served = false;
    grid = new PhotoGrid({
      load: async (cursor, limit) => {
        if (cursor === null && !served) {
          served = true;
          return first;
        }
        return api.getShared(token, cursor, limit);
      },
      urls: (p) => api.sharedPhotoUrls(token, p, share.allow_download),
      grouping: 'none',
      label: title,
      viewer: 'shared',
      allowDownload: share.allow_download,
      selectable: false,
      rowHeight: share.kind === 'photo' ? () => Math.min(560, Math.max(260, window.innerHeight * 0.6)) : undefined,
      empty: () => emptyState('photos', 'Nothing here yet', h('p', null, 'This album has no photos.')),
    });
    const facts: string[] = [];
    if (share.expires_at) facts.push(`Available until ${formatDate(new Date(share.expires_at))}`);
    if (share.allow_download) facts.push('Originals can be downloaded from the viewer');
    replaceChildren(
      main,
      h(
        'div',
        { class: 'page' },
        h(
          'div',
          { class: 'page-header' },
          h(
            'div',
            { class: 'page-titles' },
            h('h1', { class: 'page-title' }, title),
            share.description ? h('p', { class: 'page-description' }, share.description) : null,
            facts.length ? h('p', { class: 'page-meta' }, facts.join(' · ')) : null,
          ),
        ),
        grid.element,
      ),
    );
    void grid.loadMore();
  };

  const askPassword = (message?: string) => {
    const id = uid('share-password');
    const input = h('input', { id, type: 'password', autocomplete: 'off', required: true });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: !message }, message ?? '');
    const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Open');
    const form = h(
      'form',
      {
        class: 'form',
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          submit.disabled = true;
          error.hidden = true;
          try {
            await api.unlockShared(token, input.value);
            await load();
          } catch (e) {
            error.textContent =
              e instanceof ApiError && e.status === 404
                ? 'Wrong password, or the link is no longer valid.'
                : e instanceof ApiError && e.status === 429
                  ? 'Too many attempts. Wait a moment and try again.'
                  : errorMessage(e);
            error.hidden = false;
            input.select();
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('div', { class: 'field' }, h('label', { htmlFor: id }, 'Password'), input),
      error,
      submit,
    );
    replaceChildren(
      main,
      h(
        'div',
        { class: 'auth-page' },
        h(
          'div',
          { class: 'card auth-card' },
          h('div', { class: 'auth-brand' }, icon('lock', 'icon icon-large'), h('h1', null, 'This link is protected')),
          h('p', { class: 'muted' }, 'Enter the password you were given to see what was shared.'),
          form,
        ),
      ),
    );
    document.title = 'Protected link · Picture Gallery';
    input.focus();
  };

  const load = async () => {
    try {
      const first = await api.getShared(token, null, 100);
      if (!disposed) show(first);
    } catch (e) {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 401) askPassword();
      else if (e instanceof ApiError && (e.status === 404 || e.status === 410)) invalid();
      else
        replaceChildren(
          main,
          h(
            'div',
            { class: 'page-center' },
            emptyState('alert', 'Cannot load this link', h('p', null, errorMessage(e)), h('button', { type: 'button', class: 'button', onclick: () => void load() }, 'Try again')),
          ),
        );
    }
  };

  replaceChildren(main, h('div', { class: 'grid-footer' }, h('div', { class: 'spinner', role: 'progressbar', 'aria-label': 'Loading' })));
  void load();
  return {
    element,
    title: 'Shared photos',
    dispose: () => {
      disposed = true;
      grid?.dispose();
    },
  };
}
