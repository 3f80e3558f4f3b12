// The signed-in user and the CSRF token, kept for the page's lifetime and
// asked again after a reload (GET /api/v1/auth/me).

import * as api from '../api/gallery';
import { ApiError, setCsrfToken } from '../api/http';
import type { Session, User } from '../api/types';

let current: Session | null = null;

export function currentUser(): User | null {
  return current?.user ?? null;
}

export function setSession(session: Session | null): void {
  current = session;
  setCsrfToken(session?.csrf_token ?? null);
}

/** The session of the cookie, or null when signed out. Other errors throw. */
export async function loadSession(): Promise<Session | null> {
  try {
    setSession(await api.me());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setSession(null);
    else throw e;
  }
  return current;
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } finally {
    setSession(null);
  }
}
