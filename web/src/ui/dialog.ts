// Modal dialogs on the native <dialog> element: the browser makes the page
// behind inert, Escape closes, focus returns to where it was.

import { h, uid, type Child } from '../lib/dom';
import { icon } from '../lib/icons';
import { errorMessage } from './toast';

export interface DialogHandle {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  close: () => void;
  closed: Promise<void>;
}

export function openDialog(options: {
  title: string;
  body: Child;
  className?: string;
  onClose?: () => void;
}): DialogHandle {
  const titleId = uid('dialog-title');
  const previous = document.activeElement as HTMLElement | null;
  const body = h('div', { class: 'dialog-body' }, options.body);
  const dialog = h(
    'dialog',
    { class: `dialog ${options.className ?? ''}`, 'aria-labelledby': titleId },
    h(
      'header',
      { class: 'dialog-header' },
      h('h2', { id: titleId }, options.title),
      h(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => dialog.close() },
        icon('close'),
      ),
    ),
    body,
  );
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  dialog.addEventListener('close', () => {
    options.onClose?.();
    dialog.remove();
    if (previous && previous.isConnected) previous.focus();
    resolveClosed();
  });
  // A click on the backdrop (the dialog element itself, outside its box) closes.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
    if (!inside) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body, close: () => dialog.close(), closed };
}

export function confirmDialog(options: {
  title: string;
  message: Child;
  confirmLabel: string;
  danger?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const confirm = h(
      'button',
      {
        type: 'button',
        class: options.danger ? 'button button-danger' : 'button button-primary',
        onclick: () => {
          answer = true;
          handle.close();
        },
      },
      options.confirmLabel,
    );
    const handle = openDialog({
      title: options.title,
      className: 'dialog-small',
      body: [
        h('div', { class: 'dialog-message' }, options.message),
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'button', onclick: () => handle.close() }, 'Cancel'),
          confirm,
        ),
      ],
      onClose: () => resolve(answer),
    });
    confirm.focus();
  });
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'textarea';
  value?: string;
  required?: boolean;
  maxLength?: number;
  autocomplete?: string;
  hint?: string;
}

/**
 * A form in a dialog. `submit` runs with the values; a thrown error is shown
 * in the dialog and the form stays open. Resolves with the submit result, or
 * null when cancelled.
 */
export function formDialog<T>(options: {
  title: string;
  fields: FieldSpec[];
  submitLabel: string;
  submit: (values: Record<string, string>) => Promise<T>;
}): Promise<T | null> {
  return new Promise((resolve) => {
    let result: T | null = null;
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const inputs: (HTMLInputElement | HTMLTextAreaElement)[] = [];
    const fields = options.fields.map((f) => {
      const id = uid('field');
      const input =
        f.type === 'textarea'
          ? h('textarea', { id, name: f.name, rows: 3, maxLength: f.maxLength ?? 2000 })
          : h('input', {
              id,
              name: f.name,
              type: f.type ?? 'text',
              required: f.required ?? false,
              maxLength: f.maxLength ?? 200,
              autocomplete: f.autocomplete ?? 'off',
            });
      input.value = f.value ?? '';
      inputs.push(input);
      return h(
        'div',
        { class: 'field' },
        h('label', { htmlFor: id }, f.label),
        input,
        f.hint ? h('p', { class: 'field-hint' }, f.hint) : null,
      );
    });
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, options.submitLabel);
    const form = h(
      'form',
      {
        class: 'form',
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          const values: Record<string, string> = {};
          for (const input of inputs) values[input.name] = input.value.trim();
          submit.disabled = true;
          error.hidden = true;
          try {
            result = await options.submit(values);
            handle.close();
          } catch (e) {
            error.textContent = errorMessage(e);
            error.hidden = false;
          } finally {
            submit.disabled = false;
          }
        },
      },
      fields,
      error,
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => handle.close() }, 'Cancel'),
        submit,
      ),
    );
    const handle = openDialog({
      title: options.title,
      className: 'dialog-small',
      body: form,
      onClose: () => resolve(result),
    });
    inputs[0]?.focus();
    inputs[0]?.select();
  });
}
