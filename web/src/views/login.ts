// Sign-in.

import * as api from '../api/gallery';
import { ApiError } from '../api/http';
import type { Session } from '../api/types';
import { h, uid } from '../lib/dom';
import type { View } from '../lib/router';
import { errorMessage } from '../ui/toast';
import { logo } from './shell';

export function loginView(onSignedIn: (session: Session) => void): View {
  const emailId = uid('email');
  const passwordId = uid('password');
  const email = h('input', { id: emailId, type: 'email', name: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: passwordId, type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        error.hidden = true;
        submit.disabled = true;
        submit.textContent = 'Signing in…';
        try {
          onSignedIn(await api.login(email.value.trim(), password.value));
        } catch (e) {
          let message = errorMessage(e);
          if (e instanceof ApiError && e.status === 401) message = 'Wrong e-mail or password.';
          if (e instanceof ApiError && e.status === 429) {
            message = e.retryAfterSeconds
              ? `Too many attempts. Try again in ${Math.ceil(e.retryAfterSeconds / 60)} min.`
              : 'Too many attempts. Try again later.';
          }
          error.textContent = message;
          error.hidden = false;
          password.select();
        } finally {
          submit.disabled = false;
          submit.textContent = 'Sign in';
        }
      },
    },
    h('div', { class: 'field' }, h('label', { htmlFor: emailId }, 'E-mail'), email),
    h('div', { class: 'field' }, h('label', { htmlFor: passwordId }, 'Password'), password),
    error,
    submit,
  );
  const element = h(
    'main',
    { id: 'main', class: 'auth-page', tabIndex: -1 },
    h('div', { class: 'card auth-card' }, h('div', { class: 'auth-brand' }, logo(), h('h1', null, 'Picture Gallery')), h('p', { class: 'muted' }, 'Sign in to your photos.'), form),
  );
  queueMicrotask(() => email.focus());
  return { element, title: 'Sign in' };
}
