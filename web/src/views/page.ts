// Building blocks shared by the pages: the title row, empty states.

import { h, type Child } from '../lib/dom';
import { icon, type IconName } from '../lib/icons';

export function pageHeader(title: string, options: { back?: { href: string; label: string }; actions?: Child; sub?: Child } = {}): HTMLElement {
  return h(
    'div',
    { class: 'page-header' },
    h(
      'div',
      { class: 'page-titles' },
      options.back
        ? h('a', { class: 'back-link', href: options.back.href }, icon('back'), options.back.label)
        : null,
      h('h1', { class: 'page-title' }, title),
      options.sub ? h('div', { class: 'page-sub' }, options.sub) : null,
    ),
    options.actions ? h('div', { class: 'page-actions' }, options.actions) : null,
  );
}

export function emptyState(iconName: IconName, title: string, ...body: Child[]): HTMLElement {
  return h('div', { class: 'empty' }, icon(iconName, 'icon icon-large'), h('h2', null, title), ...body);
}

export function actionButton(
  iconName: IconName,
  label: string,
  onClick: () => void,
  kind: 'primary' | 'quiet' | 'danger' | '' = '',
): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: `button ${kind ? `button-${kind}` : ''}`, onclick: onClick },
    icon(iconName),
    h('span', { class: 'button-label' }, label),
  );
}
