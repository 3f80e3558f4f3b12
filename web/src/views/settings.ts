// Settings: the account and its storage, the password, personal API tokens
// (for scripts: Authorization: Bearer) and every share link.

import * as api from '../api/gallery';
import type { Share } from '../api/types';
import { copyText, shareRow } from '../components/share-dialog';
import { h, replaceChildren, uid } from '../lib/dom';
import { icon } from '../lib/icons';
import { formatBytes, formatDate, formatRelative } from '../lib/format';
import type { View } from '../lib/router';
import { confirmDialog } from '../ui/dialog';
import { errorMessage, toast } from '../ui/toast';
import type { AppContext } from './context';
import { pageHeader } from './page';

function section(title: string, ...body: (Node | null)[]): HTMLElement {
  const id = uid('section');
  return h('section', { class: 'card settings-section', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

function accountSection(app: AppContext): HTMLElement {
  const { user } = app;
  const quota = user.quota_bytes;
  const used = user.used_bytes;
  return section(
    'Account',
    h(
      'dl',
      { class: 'details-list' },
      h('div', { class: 'details-row' }, h('dt', null, 'E-mail'), h('dd', null, user.email)),
      h('div', { class: 'details-row' }, h('dt', null, 'Role'), h('dd', null, user.role === 'admin' ? 'Administrator' : 'User')),
      h(
        'div',
        { class: 'details-row' },
        h('dt', null, 'Storage'),
        h(
          'dd',
          null,
          quota > 0 ? `${formatBytes(used)} of ${formatBytes(quota)}` : `${formatBytes(used)} (no limit)`,
          quota > 0
            ? h('meter', { class: 'meter', min: 0, max: quota, value: used, low: quota * 0.8, high: quota * 0.95, optimum: 0, 'aria-label': 'Storage used' })
            : null,
        ),
      ),
    ),
  );
}

function passwordSection(): HTMLElement {
  const currentId = uid('current');
  const nextId = uid('next');
  const current = h('input', { id: currentId, type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: nextId, type: 'password', autocomplete: 'new-password', required: true, minLength: 8 });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Change password');
  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        error.hidden = true;
        submit.disabled = true;
        try {
          await api.changePassword(current.value, next.value);
          current.value = '';
          next.value = '';
          toast('Password changed. Other devices are signed out.', { kind: 'success' });
        } catch (e) {
          error.textContent = errorMessage(e);
          error.hidden = false;
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { htmlFor: currentId }, 'Current password'), current),
    h('div', { class: 'field' }, h('label', { htmlFor: nextId }, 'New password'), next, h('p', { class: 'field-hint' }, 'At least 8 characters.')),
    error,
    h('div', { class: 'form-actions' }, submit),
  );
  return section('Password', form);
}

function tokensSection(): HTMLElement {
  const list = h('ul', { class: 'token-list' });
  const created = h('div', { class: 'share-result', hidden: true, 'aria-live': 'polite' });
  const nameId = uid('token-name');
  const name = h('input', { id: nameId, type: 'text', required: true, maxLength: 100, placeholder: 'e.g. backup script' });
  const load = async () => {
    try {
      const { tokens } = await api.listTokens();
      const live = tokens.filter((t) => !t.revoked_at);
      replaceChildren(
        list,
        live.length === 0
          ? h('li', { class: 'muted' }, 'No tokens.')
          : live.map((t) =>
              h(
                'li',
                { class: 'share-row' },
                h('span', { class: 'share-icon' }, icon('key')),
                h(
                  'div',
                  { class: 'share-main' },
                  h('p', { class: 'share-target' }, t.name),
                  h(
                    'p',
                    { class: 'share-facts' },
                    `Created ${formatDate(new Date(t.created_at))} · ${t.last_used_at ? `last used ${formatRelative(new Date(t.last_used_at))}` : 'never used'}`,
                  ),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small button-danger-quiet',
                    onclick: async () => {
                      const ok = await confirmDialog({
                        title: `Revoke “${t.name}”?`,
                        message: 'Programs using this token will be refused from now on.',
                        confirmLabel: 'Revoke token',
                        danger: true,
                      });
                      if (!ok) return;
                      try {
                        await api.revokeToken(t.id);
                        void load();
                      } catch (e) {
                        toast(errorMessage(e), { kind: 'error' });
                      }
                    },
                  },
                  'Revoke',
                ),
              ),
            ),
      );
    } catch (e) {
      replaceChildren(list, h('li', { class: 'form-error' }, errorMessage(e)));
    }
  };
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        try {
          const token = await api.createToken(name.value.trim());
          name.value = '';
          const input = h('input', { type: 'text', readOnly: true, value: token.token, class: 'share-url', 'aria-label': 'The new token' });
          replaceChildren(
            created,
            h('p', { class: 'share-result-title' }, icon('check'), `Token “${token.name}” created`),
            h(
              'div',
              { class: 'share-url-row' },
              input,
              h(
                'button',
                {
                  type: 'button',
                  class: 'button button-primary',
                  onclick: async () => toast((await copyText(token.token, input)) ? 'Token copied' : 'Select the token and copy it'),
                },
                icon('copy'),
                'Copy',
              ),
            ),
            h('p', { class: 'field-hint' }, 'Copy it now: it is shown only once. Send it as “Authorization: Bearer <token>”.'),
          );
          created.hidden = false;
          void load();
        } catch (e) {
          toast(errorMessage(e), { kind: 'error' });
        }
      },
    },
    h('label', { htmlFor: nameId }, 'Token name'),
    name,
    h('button', { type: 'submit', class: 'button' }, icon('plus'), 'Create'),
  );
  void load();
  return section('API tokens', h('p', { class: 'muted' }, 'For scripts and other programs that use the API.'), form, created, list);
}

function sharesSection(): HTMLElement {
  const list = h('ul', { class: 'share-list' });
  const load = async () => {
    try {
      const shares = await api.allShares();
      const describe = (s: Share) => (s.album_id ? `Album “${s.title ?? 'untitled'}”` : 'A photo');
      replaceChildren(
        list,
        shares.length === 0
          ? h('li', { class: 'muted' }, 'You have not shared anything yet.')
          : shares.map((s) => shareRow(s, () => void load(), describe(s))),
      );
    } catch (e) {
      replaceChildren(list, h('li', { class: 'form-error' }, errorMessage(e)));
    }
  };
  void load();
  return section('Share links', list);
}

export function settingsView(app: AppContext): View {
  const element = h(
    'div',
    { class: 'page page-settings' },
    pageHeader('Settings'),
    h('div', { class: 'settings-grid' }, accountSection(app), passwordSection(), tokensSection(), sharesSection()),
  );
  return { element, title: 'Settings' };
}
