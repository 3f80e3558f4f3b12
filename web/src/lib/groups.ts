// Splits a newest-first list of photos into day or month sections for the
// timeline. Dates are local to the viewer.

import type { Photo } from '../api/types';
import { photoTime } from './format';

export type Grouping = 'day' | 'month' | 'none';

export interface PhotoGroup {
  key: string; // "2024-05-01", "2024-05" or "all"
  label: string;
  /** Index of the group's first photo in the whole list. */
  start: number;
  photos: Photo[];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function groupKey(date: Date, grouping: Grouping): string {
  if (grouping === 'none') return 'all';
  const month = `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
  return grouping === 'month' ? month : `${month}-${pad(date.getDate())}`;
}

export function groupLabel(date: Date, grouping: Grouping, now = new Date(), locale?: string): string {
  if (grouping === 'none') return '';
  const sameYear = date.getFullYear() === now.getFullYear();
  if (grouping === 'month') {
    return new Intl.DateTimeFormat(locale, {
      month: 'long',
      ...(sameYear ? {} : { year: 'numeric' }),
    }).format(date);
  }
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const day = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const days = Math.round((today.getTime() - day.getTime()) / 86400000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

/**
 * Consecutive photos with the same key form one group (the list is sorted by
 * the server, newest first, so each day or month is one run).
 */
export function groupPhotos(photos: Photo[], grouping: Grouping, now = new Date(), locale?: string): PhotoGroup[] {
  const groups: PhotoGroup[] = [];
  photos.forEach((photo, index) => {
    const date = photoTime(photo);
    const key = groupKey(date, grouping);
    const last = groups[groups.length - 1];
    if (last && last.key === key) {
      last.photos.push(photo);
    } else {
      groups.push({ key, label: groupLabel(date, grouping, now, locale), start: index, photos: [photo] });
    }
  });
  return groups;
}
