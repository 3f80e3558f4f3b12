// The signed-in frame: header with navigation, upload and account menu;
// the page in <main>.

import type { User } from '../api/types';
import { h, replaceChildren } from '../lib/dom';
import { icon, type IconName } from '../lib/icons';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The app's mark (the favicon's picture). */
export function logo(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 64 64');
  svg.setAttribute('class', 'logo');
  svg.setAttribute('aria-hidden', 'true');
  const parts: [string, Record<string, string>][] = [
    ['rect', { width: '64', height: '64', rx: '14', class: 'logo-bg' }],
    ['path', { d: 'M12 46l13-16 9 11 6-7 12 12z', class: 'logo-hill' }],
    ['circle', { cx: '42', cy: '21', r: '6', class: 'logo-sun' }],
  ];
  for (const [tag, attrs] of parts) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.appendChild(el);
  }
  return svg;
}

const NAV: [string, string, IconName][] = [
  ['/', 'Photos', 'photos'],
  ['/albums', 'Albums', 'albums'],
  ['/trash', 'Trash', 'trash'],
];

export class Shell {
  readonly element: HTMLElement;
  readonly main: HTMLElement;
  private readonly links: HTMLAnchorElement[];
  private readonly menu: HTMLElement;
  private readonly menuButton: HTMLButtonElement;

  constructor(user: User, actions: { onUpload: () => void; onSignOut: () => void }) {
    this.links = NAV.map(([href, label, name]) =>
      h('a', { href, class: 'nav-link' }, icon(name), h('span', { class: 'nav-label' }, label)),
    );
    this.menu = h(
      'div',
      { class: 'account-menu', id: 'account-menu', hidden: true },
      h('p', { class: 'account-email' }, user.email),
      h('a', { href: '/settings', class: 'menu-item', onclick: () => this.closeMenu() }, icon('settings'), 'Settings'),
      h(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          onclick: () => {
            this.closeMenu();
            actions.onSignOut();
          },
        },
        icon('logout'),
        'Sign out',
      ),
    );
    this.menuButton = h(
      'button',
      {
        type: 'button',
        class: 'icon-button account-button',
        'aria-label': `Account: ${user.email}`,
        'aria-expanded': 'false',
        'aria-controls': 'account-menu',
        onclick: () => (this.menu.hidden ? this.openMenu() : this.closeMenu()),
      },
      icon('user'),
    );
    this.main = h('main', { id: 'main', class: 'app-main', tabIndex: -1 });
    this.element = h(
      'div',
      { class: 'app' },
      h(
        'header',
        { class: 'app-header' },
        h('a', { href: '/', class: 'brand', 'aria-label': 'Picture Gallery, your photos' }, logo(), h('span', { class: 'brand-name' }, 'Gallery')),
        h('nav', { class: 'main-nav', 'aria-label': 'Main' }, this.links),
        h(
          'div',
          { class: 'header-actions' },
          h(
            'button',
            { type: 'button', class: 'button button-primary upload-button', onclick: actions.onUpload, 'aria-label': 'Upload photos' },
            icon('upload'),
            h('span', { class: 'button-label' }, 'Upload'),
          ),
          h('div', { class: 'account' }, this.menuButton, this.menu),
        ),
      ),
      this.main,
    );
    document.addEventListener('click', this.onDocumentClick);
    this.menu.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.closeMenu();
        this.menuButton.focus();
      }
    });
  }

  /** Removes the shell's document-wide listener (on sign-out). */
  dispose(): void {
    document.removeEventListener('click', this.onDocumentClick);
  }

  // A click outside the account menu closes it.
  private readonly onDocumentClick = (event: MouseEvent) => {
    if (!this.menu.hidden && !(event.target as Element | null)?.closest?.('.account')) this.closeMenu();
  };

  setPage(path: string, content: HTMLElement): void {
    for (const link of this.links) {
      const href = link.getAttribute('href') ?? '';
      const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    replaceChildren(this.main, content);
  }

  private openMenu(): void {
    this.menu.hidden = false;
    this.menuButton.setAttribute('aria-expanded', 'true');
    (this.menu.querySelector('a, button') as HTMLElement | null)?.focus();
  }

  private closeMenu(): void {
    this.menu.hidden = true;
    this.menuButton.setAttribute('aria-expanded', 'false');
  }
}
