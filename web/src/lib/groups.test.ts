import { beforeAll, describe, expect, it } from 'vitest';
import type { Photo } from '../api/types';
import { groupLabel, groupPhotos } from './groups';

beforeAll(() => {
  process.env.TZ = 'UTC';
});

function photo(id: string, taken: string | null, uploaded = '2024-06-01T00:00:00Z'): Photo {
  return {
    id,
    content_type: 'image/jpeg',
    bytes: 1,
    width: 4,
    height: 3,
    taken_at: taken,
    uploaded_at: uploaded,
    exif: {},
    urls: { original: '', thumb: '', preview: '' },
  };
}

describe('groupPhotos', () => {
  const list = [
    photo('a', '2024-05-03T18:00:00Z'),
    photo('b', '2024-05-03T08:00:00Z'),
    photo('c', '2024-05-01T12:00:00Z'),
    photo('d', null, '2024-04-30T12:00:00Z'),
  ];

  it('groups runs of the same day and remembers where each starts', () => {
    const groups = groupPhotos(list, 'day', new Date('2024-06-10T00:00:00Z'), 'en-GB');
    expect(groups.map((g) => g.key)).toEqual(['2024-05-03', '2024-05-01', '2024-04-30']);
    expect(groups.map((g) => g.start)).toEqual([0, 2, 3]);
    expect(groups[0]?.photos.map((p) => p.id)).toEqual(['a', 'b']);
    expect(groups[0]?.label).toBe('Fri 3 May');
  });

  it('groups by month, using the upload time when there is no taken time', () => {
    const groups = groupPhotos(list, 'month', new Date('2025-01-10T00:00:00Z'), 'en-GB');
    expect(groups.map((g) => [g.key, g.label, g.photos.length])).toEqual([
      ['2024-05', 'May 2024', 3],
      ['2024-04', 'April 2024', 1],
    ]);
  });

  it('puts everything in one unlabelled group without grouping', () => {
    const groups = groupPhotos(list, 'none');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.label).toBe('');
    expect(groups[0]?.photos).toHaveLength(4);
  });
});

describe('groupLabel', () => {
  const now = new Date('2024-06-10T15:00:00Z');
  it('says Today and Yesterday', () => {
    expect(groupLabel(new Date('2024-06-10T01:00:00Z'), 'day', now, 'en-GB')).toBe('Today');
    expect(groupLabel(new Date('2024-06-09T23:00:00Z'), 'day', now, 'en-GB')).toBe('Yesterday');
  });
  it('adds the year only for other years', () => {
    expect(groupLabel(new Date('2023-12-24T12:00:00Z'), 'day', now, 'en-GB')).toMatch(/^Sun,? 24 December 2023$/);
    expect(groupLabel(new Date('2024-02-01T12:00:00Z'), 'month', now, 'en-GB')).toBe('February');
  });
});
