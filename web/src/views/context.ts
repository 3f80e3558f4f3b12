// What every signed-in view gets from the app.

import type { User } from '../api/types';
import type { UploadPanel } from '../components/upload-panel';
import type { Uploader } from '../components/uploader';

export interface AppContext {
  user: User;
  uploader: Uploader;
  uploads: UploadPanel;
  navigate: (path: string, options?: { replace?: boolean }) => void;
  /** The album that files dropped now should also go into (its page sets it). */
  setUploadAlbum: (albumId: string | null) => void;
}

/** Runs `task` over `items`, `limit` at a time; returns the items that failed with why. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<{ item: T; error: unknown }[]> {
  const failures: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}

/** Calls `fn` once `ms` after the last call. */
export function debounce(fn: () => void, ms: number): { (): void; cancel: () => void } {
  let timer = 0;
  const wrapped = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
  wrapped.cancel = () => window.clearTimeout(timer);
  return wrapped;
}
