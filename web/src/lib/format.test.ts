import { describe, expect, it } from 'vitest';
import type { Photo } from '../api/types';
import { formatBytes, formatCamera, formatDimensions, formatExposure, mapLink, photoAlt } from './format';

describe('format', () => {
  it('formats sizes in SI units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2913134)).toBe('2.9 MB');
    expect(formatBytes(161713)).toBe('162 kB');
  });

  it('does not repeat the make in the camera name', () => {
    expect(formatCamera({ camera_make: 'Canon', camera_model: 'Canon EOS 40D' })).toBe('Canon EOS 40D');
    expect(formatCamera({ camera_make: 'NIKON CORPORATION', camera_model: 'NIKON D70' })).toBe('NIKON D70');
    expect(formatCamera({ camera_make: 'OLYMPUS IMAGING CORP.', camera_model: 'E-P3' })).toBe(
      'OLYMPUS IMAGING CORP. E-P3',
    );
    expect(formatCamera({})).toBe('');
  });

  it('lists exposure settings that are present', () => {
    expect(formatExposure({ exposure_time: '1/250', f_number: 2.8, iso: 100, focal_length: 50 })).toEqual([
      '1/250 s',
      'ƒ/2.8',
      'ISO 100',
      '50 mm',
    ]);
    expect(formatExposure({ f_number: 0 })).toEqual([]);
  });

  it('gives dimensions with megapixels', () => {
    expect(formatDimensions(4032, 3024)).toBe('4,032 × 3,024 (12.2 MP)');
  });

  it('links to the map only for valid coordinates', () => {
    expect(mapLink({ gps_latitude: 43.46715, gps_longitude: 11.88513 })).toBe(
      'https://www.openstreetmap.org/?mlat=43.46715&mlon=11.88513#map=15/43.46715/11.88513',
    );
    expect(mapLink({ gps_latitude: 123, gps_longitude: 0 })).toBeNull();
    expect(mapLink({})).toBeNull();
  });

  it('writes alt text without a file name or dates on shared photos', () => {
    const shared = {
      id: 'a',
      content_type: 'image/jpeg',
      bytes: 1,
      width: 2,
      height: 1,
      taken_at: null,
      exif: {},
      urls: { thumb: '', preview: '' },
    } as Photo;
    expect(photoAlt(shared, { index: 2 })).toBe('Photo 3');
    expect(photoAlt(shared, { index: 2, count: 9 })).toBe('Photo 3 of 9');
    const owned = { ...shared, filename: 'IMG_1.jpg', uploaded_at: '2024-05-01T10:00:00Z' };
    expect(photoAlt(owned)).toMatch(/^IMG_1\.jpg, uploaded /);
  });
});
