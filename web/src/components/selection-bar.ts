// The toolbar that replaces the page header while photos are selected.

import { h, replaceChildren } from '../lib/dom';
import { icon, type IconName } from '../lib/icons';

export interface SelectionAction {
  label: string;
  icon: IconName;
  run: () => void | Promise<void>;
  danger?: boolean;
  /** Shown only for this many selected (e.g. "Set as cover" needs exactly one). */
  when?: (count: number) => boolean;
}

export class SelectionBar {
  readonly element: HTMLElement;
  private readonly count: HTMLElement;
  private readonly buttons: HTMLElement;
  private shownFor = '';

  constructor(
    private readonly actions: SelectionAction[],
    private readonly onClear: () => void,
    private readonly onSelectAll?: () => void,
  ) {
    this.count = h('p', { class: 'selection-count', 'aria-live': 'polite' });
    this.buttons = h('div', { class: 'selection-actions' });
    this.element = h(
      'div',
      { class: 'selection-bar', role: 'toolbar', 'aria-label': 'Selected photos', hidden: true },
      h(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': 'Clear selection', title: 'Clear selection (Esc)', onclick: () => this.onClear() },
        icon('close'),
      ),
      this.count,
      this.buttons,
    );
  }

  // Escape clears the selection from anywhere on the page, unless a dialog
  // or the lightbox has it.
  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || this.element.hidden || event.defaultPrevented) return;
    if (document.querySelector('dialog[open], .pswp')) return;
    this.onClear();
  };

  update(selected: number): void {
    if (selected > 0) document.addEventListener('keydown', this.onKey);
    else document.removeEventListener('keydown', this.onKey);
    this.element.hidden = selected === 0;
    document.body.classList.toggle('has-selection', selected > 0);
    this.count.textContent = `${selected.toLocaleString()} selected`;
    // Rebuilt only when the visible actions change, so focus is kept.
    const visible = this.actions.filter((a) => !a.when || a.when(selected));
    const key = visible.map((a) => a.label).join('|');
    if (key === this.shownFor) return;
    this.shownFor = key;
    replaceChildren(
      this.buttons,
      this.onSelectAll
        ? h('button', { type: 'button', class: 'button button-quiet select-all', onclick: () => this.onSelectAll?.() }, 'Select all')
        : null,
      visible.map((a) =>
        h(
          'button',
          {
            type: 'button',
            class: a.danger ? 'button button-danger-quiet' : 'button button-quiet',
            onclick: () => void a.run(),
          },
          icon(a.icon),
          h('span', { class: 'button-label' }, a.label),
        ),
      ),
    );
  }

  dispose(): void {
    document.removeEventListener('keydown', this.onKey);
    document.body.classList.remove('has-selection');
  }
}
