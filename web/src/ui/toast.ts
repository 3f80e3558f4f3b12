// Short notices at the bottom of the screen, read out by screen readers
// (a polite live region; errors are assertive).

import { h } from '../lib/dom';
import { icon } from '../lib/icons';

let region: HTMLElement | null = null;
let alertRegion: HTMLElement | null = null;

function regions(): { polite: HTMLElement; assertive: HTMLElement } {
  if (!region || !alertRegion || !region.isConnected) {
    region = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    alertRegion = h('div', { class: 'toasts toasts-alert', role: 'alert', 'aria-live': 'assertive' });
    document.body.append(region, alertRegion);
  }
  return { polite: region, assertive: alertRegion };
}

export interface ToastOptions {
  kind?: 'info' | 'success' | 'error';
  action?: { label: string; href?: string; onClick?: () => void };
  timeoutMs?: number;
}

export function toast(message: string, options: ToastOptions = {}): void {
  const kind = options.kind ?? 'info';
  const { polite, assertive } = regions();
  const close = () => {
    el.classList.add('leaving');
    window.setTimeout(() => el.remove(), 200);
  };
  let action: HTMLElement | null = null;
  if (options.action) {
    const { label, href, onClick } = options.action;
    action = href
      ? h('a', { class: 'toast-action', href, onclick: close }, label)
      : h('button', { type: 'button', class: 'toast-action', onclick: () => (onClick?.(), close()) }, label);
  }
  const el = h(
    'div',
    { class: `toast toast-${kind}` },
    kind === 'error' ? icon('alert') : kind === 'success' ? icon('check') : null,
    h('span', { class: 'toast-message' }, message),
    action,
    h('button', { type: 'button', class: 'icon-button toast-close', 'aria-label': 'Dismiss', onclick: close }, icon('close')),
  );
  (kind === 'error' ? assertive : polite).append(el);
  window.setTimeout(close, options.timeoutMs ?? (kind === 'error' ? 8000 : 4500));
}

/** The message of anything thrown, for a toast. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
