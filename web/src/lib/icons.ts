// Inline SVG icons (24 px grid, stroked, from paths: no icon font, no
// network). Decorative: hidden from assistive technology; the button that
// holds one carries the label.

const PATHS = {
  photos: 'M4 5h16v14H4z M4 15l4-4 4 4 3-3 5 5 M15.5 9.5h.01',
  albums: 'M3 7h7l2 2h9v10H3z M3 7V5h6l2 2',
  trash: 'M4 7h16 M10 11v6 M14 11v6 M6 7l1 13h10l1-13 M9 7V4h6v3',
  upload: 'M12 16V4 M7 9l5-5 5 5 M4 16v4h16v-4',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
  logout: 'M9 21H5V3h4 M16 17l5-5-5-5 M21 12H9',
  share: 'M18 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M6 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M18 22a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M8.6 13.5l6.8 4 M15.4 6.5l-6.8 4',
  plus: 'M12 5v14 M5 12h14',
  close: 'M6 6l12 12 M18 6L6 18',
  check: 'M5 12l5 5 9-10',
  pause: 'M8 5v14 M16 5v14',
  play: 'M7 4l13 8-13 8z',
  retry: 'M4 12a8 8 0 1 0 2.3-5.7 M4 4v5h5',
  info: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z M12 16v-5 M12 8h.01',
  download: 'M12 4v12 M7 11l5 5 5-5 M4 20h16',
  edit: 'M4 20h4L19 9l-4-4L4 16z M14 6l4 4',
  back: 'M15 18l-6-6 6-6',
  restore: 'M4 12a8 8 0 1 0 2.3-5.7 M4 4v5h5 M12 8v4l3 2',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  lock: 'M6 11h12v10H6z M8 11V7a4 4 0 1 1 8 0v4',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  image: 'M4 5h16v14H4z M4 15l4-4 4 4 3-3 5 5',
  map: 'M9 4L3 6v14l6-2 6 2 6-2V4l-6 2z M9 4v14 M15 6v14',
  star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z',
  alert: 'M12 3l10 18H2z M12 10v5 M12 18h.01',
  key: 'M15 7a4 4 0 1 1-3.9 5H7v3H4v-3H2v-2h9.1A4 4 0 0 1 15 7z',
} as const;

export type IconName = keyof typeof PATHS;

const SVG_NS = 'http://www.w3.org/2000/svg';

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.appendChild(path);
  return svg;
}

/** The same icon as SVG markup (for PhotoSwipe's toolbar buttons). */
export function iconMarkup(name: IconName): string {
  return `<svg class="pswp__icn gallery-pswp-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="${PATHS[name]}"/></svg>`;
}
