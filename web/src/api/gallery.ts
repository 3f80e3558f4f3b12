// Every call the UI makes, one function each (the server's /api/v1).

import { del, get, pageQuery, patch, post, put } from './http';
import type {
  Album,
  ApiToken,
  CreatedShare,
  CreatedToken,
  NewShare,
  Photo,
  PhotoPage,
  PhotoUrls,
  Session,
  Share,
  SharedView,
} from './types';

const enc = encodeURIComponent;

// Sign-in and account.
export const login = (email: string, password: string) =>
  post<Session>('/api/v1/auth/login', { email, password }, { anonymous: true });
export const logout = () => post<void>('/api/v1/auth/logout');
export const me = () => get<Session>('/api/v1/auth/me', { anonymous: true });
export const changePassword = (current_password: string, new_password: string) =>
  put<void>('/api/v1/auth/password', { current_password, new_password });
export const listTokens = () => get<{ tokens: ApiToken[] }>('/api/v1/tokens');
export const createToken = (name: string) => post<CreatedToken>('/api/v1/tokens', { name });
export const revokeToken = (id: string) => del(`/api/v1/tokens/${enc(id)}`);

// Photos and trash.
export const listPhotos = (cursor: string | null, limit = 100) =>
  get<PhotoPage>(`/api/v1/photos${pageQuery(cursor, limit)}`);
export const getPhoto = (id: string) => get<Photo>(`/api/v1/photos/${enc(id)}`);
export const trashPhoto = (id: string) => del(`/api/v1/photos/${enc(id)}`);
export const listTrash = (cursor: string | null, limit = 100) =>
  get<PhotoPage>(`/api/v1/trash${pageQuery(cursor, limit)}`);
export const restorePhoto = (id: string) => post<Photo>(`/api/v1/photos/${enc(id)}/restore`);
export const purgePhoto = (id: string) => del(`/api/v1/trash/${enc(id)}`);
export const emptyTrash = () => del('/api/v1/trash');

// Albums.
export const listAlbums = (cursor: string | null, limit = 200) =>
  get<{ albums: Album[]; next_cursor: string | null }>(`/api/v1/albums${pageQuery(cursor, limit)}`);
export const createAlbum = (title: string, description?: string) =>
  post<Album>('/api/v1/albums', description ? { title, description } : { title });
export const getAlbum = (id: string) => get<Album>(`/api/v1/albums/${enc(id)}`);
export const updateAlbum = (
  id: string,
  changes: { title?: string; description?: string; cover_photo_id?: string | null },
) => patch<Album>(`/api/v1/albums/${enc(id)}`, changes);
export const deleteAlbum = (id: string) => del(`/api/v1/albums/${enc(id)}`);
export const listAlbumPhotos = (id: string, cursor: string | null, limit = 100) =>
  get<PhotoPage>(`/api/v1/albums/${enc(id)}/photos${pageQuery(cursor, limit)}`);
export const addToAlbum = (id: string, photo_ids: string[]) =>
  post<{ added: number }>(`/api/v1/albums/${enc(id)}/photos`, { photo_ids });
export const removeFromAlbum = (id: string, photo_ids: string[]) =>
  post<{ removed: number }>(`/api/v1/albums/${enc(id)}/photos/remove`, { photo_ids });

/** Every album, following the cursor. */
export async function allAlbums(): Promise<Album[]> {
  const albums: Album[] = [];
  let cursor: string | null = null;
  do {
    const page = await listAlbums(cursor);
    albums.push(...page.albums);
    cursor = page.next_cursor;
  } while (cursor);
  return albums;
}

// Shares (owner side).
export const createShare = (share: NewShare) => post<CreatedShare>('/api/v1/shares', share);
export const listShares = (cursor: string | null, limit = 200) =>
  get<{ shares: Share[]; next_cursor: string | null }>(`/api/v1/shares${pageQuery(cursor, limit)}`);
export const revokeShare = (id: string) => del(`/api/v1/shares/${enc(id)}`);

export async function allShares(): Promise<Share[]> {
  const shares: Share[] = [];
  let cursor: string | null = null;
  do {
    const page = await listShares(cursor);
    shares.push(...page.shares);
    cursor = page.next_cursor;
  } while (cursor);
  return shares;
}

// The public side of a share link: no account, the unlock cookie (or the
// password header) opens a protected one.
export const getShared = (token: string, cursor: string | null, limit = 100) =>
  get<SharedView>(`/api/v1/shared/${enc(token)}${pageQuery(cursor, limit)}`, { anonymous: true });
export const unlockShared = (token: string, password: string) =>
  post<void>(`/api/v1/shared/${enc(token)}/unlock`, { password }, { anonymous: true });

/**
 * The URLs of a photo seen through a share link: those the server gave, else
 * the share routes' (the original only when the share allows downloads).
 */
export function sharedPhotoUrls(token: string, photo: Photo, allowDownload: boolean): PhotoUrls {
  const base = `/api/v1/shared/${enc(token)}/photos/${enc(photo.id)}`;
  const shared = (url: string | undefined) => (url?.startsWith('/api/v1/shared/') ? url : undefined);
  const urls: PhotoUrls = {
    thumb: shared(photo.urls?.thumb) ?? `${base}/thumb`,
    preview: shared(photo.urls?.preview) ?? `${base}/preview`,
  };
  if (allowDownload) urls.original = shared(photo.urls?.original) ?? `${base}/original`;
  return urls;
}
