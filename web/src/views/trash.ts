// The trash: deleted photos until they are purged; restore or delete forever.

import * as api from '../api/gallery';
import type { Photo } from '../api/types';
import { PhotoGrid } from '../components/photo-grid';
import { SelectionBar } from '../components/selection-bar';
import { h } from '../lib/dom';
import { plural } from '../lib/format';
import type { View } from '../lib/router';
import { confirmDialog } from '../ui/dialog';
import { errorMessage, toast } from '../ui/toast';
import { forEachLimited } from './context';
import { actionButton, emptyState, pageHeader } from './page';

export function trashView(): View {
  let grid: PhotoGrid;

  const restore = async (photos: Photo[]) => {
    const failures = await forEachLimited(photos, 4, (p) => api.restorePhoto(p.id));
    const done = photos.filter((p) => !failures.some((f) => f.item === p));
    grid.remove(done.map((p) => p.id));
    if (done.length) toast(`Restored ${plural(done.length, 'photo')}`, { kind: 'success', action: { label: 'View photos', href: '/' } });
    if (failures.length) toast(`${plural(failures.length, 'photo')} could not be restored: ${errorMessage(failures[0]?.error)}`, { kind: 'error' });
  };

  const purge = async (photos: Photo[]) => {
    const ok = await confirmDialog({
      title: `Delete ${plural(photos.length, 'photo')} forever?`,
      message: 'They are removed from every album and share link, and cannot be brought back.',
      confirmLabel: 'Delete forever',
      danger: true,
    });
    if (!ok) return;
    const failures = await forEachLimited(photos, 4, (p) => api.purgePhoto(p.id));
    const done = photos.filter((p) => !failures.some((f) => f.item === p));
    grid.remove(done.map((p) => p.id));
    if (done.length) toast(`Deleted ${plural(done.length, 'photo')} forever`);
    if (failures.length) toast(`${plural(failures.length, 'photo')} could not be deleted: ${errorMessage(failures[0]?.error)}`, { kind: 'error' });
  };

  const bar = new SelectionBar(
    [
      { label: 'Restore', icon: 'restore', run: () => restore(grid.selectedPhotos()) },
      { label: 'Delete forever', icon: 'trash', danger: true, run: () => purge(grid.selectedPhotos()) },
    ],
    () => grid.clearSelection(),
    () => grid.selectAll(),
  );

  grid = new PhotoGrid({
    load: (cursor, limit) => api.listTrash(cursor, limit),
    urls: (p) => p.urls,
    grouping: 'none',
    label: 'Photos in the trash',
    viewer: 'owner',
    allowDownload: false,
    selectable: true,
    onSelectionChange: (s) => bar.update(s.size),
    empty: () => emptyState('trash', 'The trash is empty', h('p', null, 'Photos you delete wait here for a while before they are removed for good.')),
  });

  const empty = async () => {
    const ok = await confirmDialog({
      title: 'Empty the trash?',
      message: 'Every photo in the trash is deleted forever. This cannot be undone.',
      confirmLabel: 'Empty trash',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.emptyTrash();
      toast('The trash is empty', { kind: 'success' });
      void grid.refresh();
    } catch (e) {
      toast(errorMessage(e), { kind: 'error' });
    }
  };

  const element = h(
    'div',
    { class: 'page page-trash' },
    pageHeader('Trash', {
      sub: h('p', { class: 'page-description' }, 'Deleted photos are kept here for a while, then removed for good. Each photo’s details say when.'),
      actions: actionButton('trash', 'Empty trash', () => void empty(), 'danger'),
    }),
    grid.element,
    bar.element,
  );
  void grid.loadMore();
  return {
    element,
    title: 'Trash',
    dispose: () => {
      grid.dispose();
      bar.dispose();
    },
  };
}
