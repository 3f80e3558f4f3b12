// Human-readable numbers, dates and camera settings. Dates are shown in the
// viewer's time zone and locale.

import type { Exif, Photo } from '../api/types';

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The time a photo sorts by: when it was taken, else when it was uploaded. */
export function photoTime(photo: Pick<Photo, 'taken_at' | 'uploaded_at'>): Date {
  return new Date(photo.taken_at ?? photo.uploaded_at ?? 0);
}

export function formatDate(date: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date);
}

export function formatDateTime(date: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

/** "2.5 s", "1/250 s": EXIF exposure times come as "1/250" or "2.5". */
export function formatExposure(exif: Exif): string[] {
  const parts: string[] = [];
  if (exif.exposure_time) parts.push(`${exif.exposure_time} s`);
  if (typeof exif.f_number === 'number' && exif.f_number > 0) {
    parts.push(`ƒ/${Number(exif.f_number.toFixed(1))}`);
  }
  if (typeof exif.iso === 'number' && exif.iso > 0) parts.push(`ISO ${exif.iso}`);
  if (typeof exif.focal_length === 'number' && exif.focal_length > 0) {
    parts.push(`${Number(exif.focal_length.toFixed(1))} mm`);
  }
  return parts;
}

/** "Canon EOS 40D" from make "Canon" and model "Canon EOS 40D" (no "Canon Canon"). */
export function formatCamera(exif: Exif): string {
  const make = (exif.camera_make ?? '').trim();
  const model = (exif.camera_model ?? '').trim();
  if (!model) return make;
  if (!make) return model;
  const firstWord = make.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (firstWord && model.toLowerCase().startsWith(firstWord)) return model;
  return `${make} ${model}`;
}

export function formatDimensions(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  const size = `${width.toLocaleString()} × ${height.toLocaleString()}`;
  return mp >= 0.1 ? `${size} (${mp.toFixed(1)} MP)` : size;
}

/** "in 3 days", "2 hours ago" relative to `now`. */
export function formatRelative(date: Date, now = new Date(), locale?: string): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31536000],
    ['month', 2592000],
    ['week', 604800],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds), 'second');
}

/** A link to the place on OpenStreetMap (owner only: shares carry no GPS). */
export function mapLink(exif: Exif): string | null {
  const lat = exif.gps_latitude;
  const lon = exif.gps_longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return null;
  }
  const la = lat.toFixed(5);
  const lo = lon.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=15/${la}/${lo}`;
}

function validDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Alt text for a photo: its name, or on a share page (no file names) its
 * place in the list, and when it was taken or uploaded, when known.
 */
export function photoAlt(photo: Photo, position?: { index: number; count?: number }): string {
  const taken = validDate(photo.taken_at);
  const uploaded = validDate(photo.uploaded_at);
  const when = taken ? `taken ${formatDateTime(taken)}` : uploaded ? `uploaded ${formatDate(uploaded)}` : '';
  const place = position
    ? `Photo ${position.index + 1}${position.count ? ` of ${position.count}` : ''}`
    : 'Photo';
  const name = photo.filename ?? place;
  return when ? `${name}, ${when}` : name;
}
