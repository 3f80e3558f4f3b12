// The timeline: every photo, newest first, in sections by day or month.

import * as api from '../api/gallery';
import type { Photo } from '../api/types';
import { pickAlbum } from '../components/album-picker';
import { PhotoGrid } from '../components/photo-grid';
import { SelectionBar } from '../components/selection-bar';
import { sharePhotoAction } from '../components/share-dialog';
import { h, uid } from '../lib/dom';
import type { Grouping } from '../lib/groups';
import { plural } from '../lib/format';
import type { View } from '../lib/router';
import { errorMessage, toast } from '../ui/toast';
import { debounce, forEachLimited, type AppContext } from './context';
import { actionButton, emptyState, pageHeader } from './page';

const GROUPING_KEY = 'gallery.timeline.grouping';

function savedGrouping(): Grouping {
  return localStorage.getItem(GROUPING_KEY) === 'month' ? 'month' : 'day';
}

export function timelineView(app: AppContext): View {
  let grid: PhotoGrid;
  const bar = new SelectionBar(
    [
      {
        label: 'Add to album',
        icon: 'albums',
        run: async () => {
          const photos = grid.selectedPhotos();
          const album = await pickAlbum(`Add ${plural(photos.length, 'photo')} to an album`);
          if (!album) return;
          try {
            const { added } = await api.addToAlbum(album.id, photos.map((p) => p.id));
            grid.clearSelection();
            toast(`Added ${plural(added, 'photo')} to “${album.title}”`, {
              kind: 'success',
              action: { label: 'Open album', href: `/albums/${encodeURIComponent(album.id)}` },
            });
          } catch (e) {
            toast(errorMessage(e), { kind: 'error' });
          }
        },
      },
      sharePhotoAction(() => grid.selectedPhotos(), 'Share'),
      {
        label: 'Move to trash',
        icon: 'trash',
        danger: true,
        run: () => void trash(grid.selectedPhotos()),
      },
    ],
    () => grid.clearSelection(),
    () => grid.selectAll(),
  );

  const trash = async (photos: Photo[]) => {
    const failures = await forEachLimited(photos, 4, (p) => api.trashPhoto(p.id));
    const moved = photos.filter((p) => !failures.some((f) => f.item === p));
    grid.remove(moved.map((p) => p.id));
    if (failures.length) {
      toast(`${plural(failures.length, 'photo')} could not be moved: ${errorMessage(failures[0]?.error)}`, { kind: 'error' });
    }
    if (moved.length) {
      toast(`Moved ${plural(moved.length, 'photo')} to the trash`, {
        action: {
          label: 'Undo',
          onClick: async () => {
            await forEachLimited(moved, 4, (p) => api.restorePhoto(p.id));
            void grid.refresh();
          },
        },
      });
    }
  };

  const makeGrid = (grouping: Grouping) =>
    new PhotoGrid({
      load: (cursor, limit) => api.listPhotos(cursor, limit),
      urls: (p) => p.urls,
      grouping,
      label: 'Photos',
      viewer: 'owner',
      allowDownload: true,
      selectable: true,
      onSelectionChange: (s) => bar.update(s.size),
      empty: () =>
        emptyState(
          'photos',
          'No photos yet',
          h('p', null, 'Drop pictures anywhere on this page, or choose them from your device.'),
          actionButton('upload', 'Choose photos', () => app.uploads.pick(), 'primary'),
        ),
    });

  const name = uid('grouping');
  const options: [Grouping, string][] = [
    ['day', 'Days'],
    ['month', 'Months'],
  ];
  const switcher = h(
    'fieldset',
    { class: 'segmented' },
    h('legend', { class: 'visually-hidden' }, 'Group photos by'),
    options.map(([value, label]) => {
      const id = uid('grouping-option');
      const input = h('input', { type: 'radio', name, id, value, checked: value === savedGrouping() });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        localStorage.setItem(GROUPING_KEY, value);
        const next = makeGrid(value);
        grid.dispose();
        grid.element.replaceWith(next.element);
        grid = next;
        void grid.loadMore();
      });
      return h('span', { class: 'segment' }, input, h('label', { htmlFor: id }, label));
    }),
  );

  grid = makeGrid(savedGrouping());
  const refresh = debounce(() => void grid.refresh(), 700);
  const onUploaded = () => refresh();
  app.uploader.addEventListener('uploaded', onUploaded);

  const element = h('div', { class: 'page page-timeline' }, pageHeader('Photos', { actions: switcher }), grid.element, bar.element);
  void grid.loadMore();
  return {
    element,
    title: 'Photos',
    dispose: () => {
      refresh.cancel();
      app.uploader.removeEventListener('uploaded', onUploaded);
      grid.dispose();
      bar.dispose();
    },
  };
}
