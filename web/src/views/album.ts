// One album: its photos in album order, rename, delete, share, cover, and
// removing photos. Files dropped here are uploaded into it.

import * as api from '../api/gallery';
import { ApiError } from '../api/http';
import type { Album } from '../api/types';
import { PhotoGrid } from '../components/photo-grid';
import { SelectionBar } from '../components/selection-bar';
import { openShareDialog, sharePhotoAction } from '../components/share-dialog';
import { h } from '../lib/dom';
import { plural } from '../lib/format';
import type { View } from '../lib/router';
import { confirmDialog, formDialog } from '../ui/dialog';
import { errorMessage, toast } from '../ui/toast';
import { debounce, type AppContext } from './context';
import { actionButton, emptyState, pageHeader } from './page';
import { notFoundView } from './not-found';

export async function albumView(app: AppContext, id: string): Promise<View> {
  let album: Album;
  try {
    album = await api.getAlbum(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return notFoundView('This album does not exist, or it was deleted.');
    throw e;
  }

  let title: HTMLElement | null = null;
  const description = h('p', { class: 'page-description' });
  const meta = h('p', { class: 'page-meta' });
  const renderHeader = () => {
    if (title) title.textContent = album.title;
    description.textContent = album.description ?? '';
    description.hidden = !album.description;
    meta.textContent = plural(album.photo_count, 'photo');
    document.title = `${album.title} · Picture Gallery`;
  };
  renderHeader();
  const reloadAlbum = async () => {
    album = await api.getAlbum(id);
    renderHeader();
  };

  let grid: PhotoGrid;
  const bar = new SelectionBar(
    [
      {
        label: 'Set as cover',
        icon: 'star',
        when: (n) => n === 1,
        run: async () => {
          const photo = grid.selectedPhotos()[0];
          if (!photo) return;
          try {
            album = await api.updateAlbum(id, { cover_photo_id: photo.id });
            grid.clearSelection();
            toast('Cover photo set', { kind: 'success' });
          } catch (e) {
            toast(errorMessage(e), { kind: 'error' });
          }
        },
      },
      sharePhotoAction(() => grid.selectedPhotos(), 'Share photo'),
      {
        label: 'Remove from album',
        icon: 'close',
        danger: true,
        run: async () => {
          const ids = grid.selectedPhotos().map((p) => p.id);
          try {
            const { removed } = await api.removeFromAlbum(id, ids);
            grid.remove(ids);
            toast(`Removed ${plural(removed, 'photo')} from the album (they stay in your library)`);
            void reloadAlbum();
          } catch (e) {
            toast(errorMessage(e), { kind: 'error' });
          }
        },
      },
    ],
    () => grid.clearSelection(),
    () => grid.selectAll(),
  );

  grid = new PhotoGrid({
    load: (cursor, limit) => api.listAlbumPhotos(id, cursor, limit),
    urls: (p) => p.urls,
    grouping: 'none',
    label: `Photos in ${album.title}`,
    viewer: 'owner',
    allowDownload: true,
    selectable: true,
    onSelectionChange: (s) => bar.update(s.size),
    empty: () =>
      emptyState(
        'albums',
        'This album is empty',
        h(
          'p',
          null,
          'Drop pictures here to upload them into this album, or select photos in your timeline and choose “Add to album”.',
        ),
        h('a', { class: 'button', href: '/' }, 'Go to your photos'),
      ),
  });

  const rename = () =>
    void formDialog<Album>({
      title: 'Rename album',
      submitLabel: 'Save',
      fields: [
        { name: 'title', label: 'Name', required: true, maxLength: 200, value: album.title },
        { name: 'description', label: 'Description', type: 'textarea', maxLength: 2000, value: album.description ?? '' },
      ],
      submit: (v) => api.updateAlbum(id, { title: v.title ?? album.title, description: v.description ?? '' }),
    }).then((updated) => {
      if (!updated) return;
      album = updated;
      renderHeader();
    });

  const remove = async () => {
    const ok = await confirmDialog({
      title: `Delete “${album.title}”?`,
      message: 'The album and its share links go; its photos stay in your library.',
      confirmLabel: 'Delete album',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.deleteAlbum(id);
      toast(`Deleted “${album.title}”`, { kind: 'success' });
      app.navigate('/albums', { replace: true });
    } catch (e) {
      toast(errorMessage(e), { kind: 'error' });
    }
  };

  const header = pageHeader(album.title, {
    back: { href: '/albums', label: 'Albums' },
    sub: [description, meta],
    actions: [
      actionButton('share', 'Share', () => openShareDialog({ kind: 'album', id, title: album.title }), 'primary'),
      actionButton('edit', 'Rename', rename),
      actionButton('trash', 'Delete', () => void remove(), 'danger'),
    ],
  });
  title = header.querySelector('h1');

  app.setUploadAlbum(id);
  const refresh = debounce(() => {
    void grid.refresh();
    void reloadAlbum().catch(() => {});
  }, 700);
  const onUploaded = () => refresh();
  app.uploader.addEventListener('uploaded', onUploaded);

  const element = h('div', { class: 'page page-album' }, header, grid.element, bar.element);
  void grid.loadMore();
  return {
    element,
    title: album.title,
    dispose: () => {
      app.setUploadAlbum(null);
      refresh.cancel();
      app.uploader.removeEventListener('uploaded', onUploaded);
      grid.dispose();
      bar.dispose();
    },
  };
}
