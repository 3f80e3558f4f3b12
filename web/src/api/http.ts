// One fetch wrapper for the JSON API: the CSRF header on changes, problem+json
// errors as ApiError, and one event when the session has ended.

export class ApiError extends Error {
  readonly status: number;
  /** The problem type's last segment ("not-found", "quota-exceeded"), or "network". */
  readonly kind: string;
  readonly detail: string;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, kind: string, detail: string, retryAfterSeconds: number | null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.kind = kind;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent as X-CSRF-Token on every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Fired on window when an authenticated call answers 401. */
export const SESSION_ENDED_EVENT = 'gallery:session-ended';

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not announce a 401 as the end of the session (sign-in, public pages). */
  anonymous?: boolean;
}

function problemKind(type: unknown): string {
  if (typeof type !== 'string' || type === '') return 'unknown';
  const slash = type.lastIndexOf('/');
  return slash >= 0 ? type.slice(slash + 1) : type;
}

/** Turns a failed response into an ApiError (problem+json when it is one). */
export async function errorFrom(response: Response): Promise<ApiError> {
  let kind = 'unknown';
  let detail = response.statusText || `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const problem = body as { type?: unknown; detail?: unknown; title?: unknown };
      kind = problemKind(problem.type);
      if (typeof problem.detail === 'string' && problem.detail) detail = problem.detail;
      else if (typeof problem.title === 'string' && problem.title) detail = problem.title;
    }
  } catch {
    // Not JSON: keep the status text.
  }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, kind, detail, Number.isFinite(retry) && retry > 0 ? retry : null);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.', null);
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.status === 401 && !options.anonymous) {
      window.dispatchEvent(new CustomEvent(SESSION_ENDED_EVENT));
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  request<T>('POST', path, { ...options, body });
export const patch = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  request<T>('PATCH', path, { ...options, body });
export const put = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  request<T>('PUT', path, { ...options, body });
export const del = <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options);

/** "?limit=..&cursor=.." for paginated lists. */
export function pageQuery(cursor: string | null, limit: number): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return `?${params.toString()}`;
}
