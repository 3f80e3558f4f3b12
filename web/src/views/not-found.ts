import { h } from '../lib/dom';
import type { View } from '../lib/router';
import { emptyState } from './page';

export function notFoundView(message = 'There is nothing at this address.'): View {
  return {
    title: 'Not found',
    element: h(
      'div',
      { class: 'page page-center' },
      emptyState('alert', 'Not found', h('p', null, message), h('a', { class: 'button button-primary', href: '/' }, 'Go to your photos')),
    ),
  };
}
