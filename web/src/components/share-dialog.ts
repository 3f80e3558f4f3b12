// Sharing an album or a photo: a link with an optional expiry, password and
// permission to download originals; copy it; see and revoke the links made
// before. The link itself is shown once (the server keeps only its hash).

import * as api from '../api/gallery';
import type { Photo, Share } from '../api/types';
import type { SelectionAction } from './selection-bar';
import { h, replaceChildren, uid } from '../lib/dom';
import { icon } from '../lib/icons';
import { formatDate, formatRelative } from '../lib/format';
import { confirmDialog, openDialog } from '../ui/dialog';
import { errorMessage, toast } from '../ui/toast';

export type ShareTarget = { kind: 'album' | 'photo'; id: string; title: string };

/** RFC 3339 without fractions, as the API writes times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The expiry for a choice of the form: days from now, or the end of a chosen day. */
export function expiryFor(choice: string, customDate: string, now = new Date()): Date | null {
  if (choice === 'never') return null;
  if (choice === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDate);
    if (!m) return null;
    return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  }
  const days = Number(choice);
  return Number.isFinite(days) && days > 0 ? new Date(now.getTime() + days * 86400000) : null;
}

export async function copyText(text: string, fallbackInput?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http on a LAN address): select and copy.
    if (!fallbackInput) return false;
    fallbackInput.focus();
    fallbackInput.select();
    return document.execCommand('copy');
  }
}

function shareState(share: Share, now = new Date()): { label: string; kind: 'active' | 'expired' | 'revoked' } {
  if (share.revoked_at) return { label: 'Revoked', kind: 'revoked' };
  if (!share.active || (share.expires_at && new Date(share.expires_at) <= now)) return { label: 'Expired', kind: 'expired' };
  return { label: 'Active', kind: 'active' };
}

export function shareFacts(share: Share): string {
  const facts = [`Created ${formatDate(new Date(share.created_at))}`];
  if (share.revoked_at) facts.push(`revoked ${formatRelative(new Date(share.revoked_at))}`);
  else if (share.expires_at) {
    const at = new Date(share.expires_at);
    facts.push(at > new Date() ? `expires ${formatRelative(at)}` : `expired ${formatRelative(at)}`);
  } else facts.push('never expires');
  facts.push(share.has_password ? 'password' : 'no password');
  facts.push(share.allow_download ? 'downloads allowed' : 'view only');
  if (share.show_exif) facts.push('camera details shown');
  return facts.join(' · ');
}

/** One share in a list, with its Revoke button (used here and in Settings). */
export function shareRow(share: Share, onRevoked: () => void, describeTarget?: string): HTMLLIElement {
  const state = shareState(share);
  const revoke =
    state.kind === 'active'
      ? h(
          'button',
          {
            type: 'button',
            class: 'button button-small button-danger-quiet',
            onclick: async () => {
              const ok = await confirmDialog({
                title: 'Revoke this link?',
                message: 'Anyone who has it will no longer see what it shares. This cannot be undone.',
                confirmLabel: 'Revoke link',
                danger: true,
              });
              if (!ok) return;
              try {
                await api.revokeShare(share.id);
                toast('Link revoked', { kind: 'success' });
                onRevoked();
              } catch (e) {
                toast(errorMessage(e), { kind: 'error' });
              }
            },
          },
          'Revoke',
        )
      : null;
  return h(
    'li',
    { class: 'share-row', dataset: { state: state.kind } },
    h('span', { class: 'share-icon' }, icon(share.has_password ? 'lock' : 'link')),
    h(
      'div',
      { class: 'share-main' },
      describeTarget ? h('p', { class: 'share-target' }, describeTarget) : null,
      h('p', { class: 'share-facts' }, shareFacts(share)),
    ),
    h('span', { class: `badge badge-${state.kind}` }, state.label),
    revoke,
  );
}

export function openShareDialog(target: ShareTarget): void {
  const expiresId = uid('expires');
  const dateId = uid('date');
  const passwordId = uid('password');
  const downloadId = uid('download');

  const expires = h(
    'select',
    { id: expiresId, name: 'expires' },
    h('option', { value: 'never' }, 'Never'),
    h('option', { value: '1' }, 'In 1 day'),
    h('option', { value: '7', selected: true }, 'In 7 days'),
    h('option', { value: '30' }, 'In 30 days'),
    h('option', { value: 'date' }, 'On a date…'),
  );
  const tomorrow = new Date(Date.now() + 86400000);
  const date = h('input', {
    id: dateId,
    type: 'date',
    min: `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`,
  });
  const dateField = h('div', { class: 'field', hidden: true }, h('label', { htmlFor: dateId }, 'Last day'), date);
  expires.addEventListener('change', () => {
    dateField.hidden = expires.value !== 'date';
    date.required = expires.value === 'date';
  });
  const password = h('input', {
    id: passwordId,
    type: 'password',
    name: 'share-password',
    autocomplete: 'new-password',
    maxLength: 200,
    placeholder: 'No password',
  });
  const showPassword = h(
    'button',
    {
      type: 'button',
      class: 'button button-small',
      'aria-pressed': 'false',
      onclick: () => {
        const show = password.type === 'password';
        password.type = show ? 'text' : 'password';
        showPassword.setAttribute('aria-pressed', String(show));
        showPassword.textContent = show ? 'Hide' : 'Show';
      },
    },
    'Show',
  );
  const download = h('input', { id: downloadId, type: 'checkbox', name: 'allow-download' });
  const exifId = uid('exif');
  const exif = h('input', { id: exifId, type: 'checkbox', name: 'show-exif' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const create = h('button', { type: 'submit', class: 'button button-primary' }, icon('link'), 'Create link');
  const result = h('div', { class: 'share-result', hidden: true, 'aria-live': 'polite' });
  const existing = h('ul', { class: 'share-list' });
  const existingSection = h(
    'section',
    { class: 'share-existing' },
    h('h3', null, target.kind === 'album' ? 'Links to this album' : 'Links to this photo'),
    existing,
  );

  const loadExisting = async () => {
    replaceChildren(existing, h('li', { class: 'muted' }, 'Loading…'));
    try {
      const all = await api.allShares();
      const mine = all.filter((s) => (target.kind === 'album' ? s.album_id === target.id : s.photo_id === target.id));
      replaceChildren(
        existing,
        mine.length === 0
          ? h('li', { class: 'muted' }, 'No links yet.')
          : mine.map((s) => shareRow(s, () => void loadExisting())),
      );
    } catch (e) {
      replaceChildren(existing, h('li', { class: 'form-error' }, errorMessage(e)));
    }
  };

  const form = h(
    'form',
    {
      class: 'form share-form',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        error.hidden = true;
        const expiry = expiryFor(expires.value, date.value);
        if (expires.value === 'date' && !expiry) {
          error.textContent = 'Choose the last day the link works.';
          error.hidden = false;
          return;
        }
        create.disabled = true;
        try {
          const created = await api.createShare({
            ...(target.kind === 'album' ? { album_id: target.id } : { photo_id: target.id }),
            ...(expiry ? { expires_at: rfc3339(expiry) } : {}),
            ...(password.value ? { password: password.value } : {}),
            allow_download: download.checked,
            show_exif: exif.checked,
          });
          const url = new URL(created.url, location.origin).toString();
          const urlInput = h('input', {
            type: 'text',
            readOnly: true,
            value: url,
            class: 'share-url',
            'aria-label': 'Share link',
          });
          urlInput.addEventListener('focus', () => urlInput.select());
          const copy = h(
            'button',
            {
              type: 'button',
              class: 'button button-primary',
              onclick: async () => {
                const ok = await copyText(url, urlInput);
                toast(ok ? 'Link copied' : 'Select the link and copy it', { kind: ok ? 'success' : 'info' });
              },
            },
            icon('copy'),
            'Copy link',
          );
          replaceChildren(
            result,
            h('p', { class: 'share-result-title' }, icon('check'), 'Link created'),
            h('div', { class: 'share-url-row' }, urlInput, copy),
            h(
              'p',
              { class: 'field-hint' },
              'Copy it now: the link is shown only once.',
              created.has_password ? ' Send the password separately.' : '',
            ),
          );
          result.hidden = false;
          password.value = '';
          copy.focus();
          void loadExisting();
        } catch (e) {
          error.textContent = errorMessage(e);
          error.hidden = false;
        } finally {
          create.disabled = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { htmlFor: expiresId }, 'Expires'), expires),
    dateField,
    h(
      'div',
      { class: 'field' },
      h('label', { htmlFor: passwordId }, 'Password (optional)'),
      h('div', { class: 'input-with-button' }, password, showPassword),
    ),
    h(
      'div',
      { class: 'field field-check' },
      download,
      h('label', { htmlFor: downloadId }, 'Allow downloading the originals'),
    ),
    h(
      'div',
      { class: 'field field-check' },
      exif,
      h('label', { htmlFor: exifId }, 'Show camera details and dates (never places)'),
    ),
    error,
    h('div', { class: 'dialog-actions' }, create),
  );

  openDialog({
    title: `Share “${target.title}”`,
    className: 'dialog-share',
    body: [form, result, existingSection],
  });
  expires.focus();
  void loadExisting();
}

/**
 * The selection toolbar's "share this photo" action: shown for exactly one
 * selected photo, it opens the share dialog for it.
 */
export function sharePhotoAction(selected: () => Photo[], label: string): SelectionAction {
  return {
    label,
    icon: 'share',
    when: (n) => n === 1,
    run: () => {
      const photo = selected()[0];
      if (photo) openShareDialog({ kind: 'photo', id: photo.id, title: photo.filename ?? 'this photo' });
    },
  };
}
