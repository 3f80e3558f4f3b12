// The API's JSON shapes (docs/api.md and the planned accounts, albums,
// shares and trash API). Fields the server may add are ignored.

export interface Exif {
  camera_make?: string;
  camera_model?: string;
  lens?: string;
  exposure_time?: string;
  f_number?: number;
  iso?: number;
  focal_length?: number;
  taken_at?: string;
  gps_latitude?: number;
  gps_longitude?: number;
  orientation?: number;
  width?: number;
  height?: number;
}

export interface PhotoUrls {
  /** Absent on a share that does not allow downloads. */
  original?: string;
  thumb: string;
  preview: string;
}

export interface Photo {
  id: string;
  /** Absent on shared photos: the owner's file names are not shared. */
  filename?: string;
  content_type: string;
  bytes: number;
  width: number;
  height: number;
  frames?: number;
  /** Null when unknown; on shared photos also when the owner hides EXIF. */
  taken_at: string | null;
  /** Absent on shared photos. */
  uploaded_at?: string;
  sha256?: string;
  duplicate?: boolean;
  exif: Exif;
  urls: PhotoUrls;
  deleted_at?: string | null;
  purge_at?: string | null;
}

export interface PhotoPage {
  photos: Photo[];
  next_cursor: string | null;
}

export interface User {
  id: string;
  email: string;
  role: 'admin' | 'user';
  quota_bytes: number;
  used_bytes: number;
  created_at: string;
  disabled: boolean;
}

export interface Session {
  user: User;
  csrf_token: string | null;
}

export interface Album {
  id: string;
  title: string;
  description: string | null;
  cover_photo_id: string | null;
  cover: { thumb: string } | null;
  photo_count: number;
  created_at: string;
  updated_at: string;
}

export interface Share {
  id: string;
  album_id: string | null;
  photo_id: string | null;
  title: string | null;
  expires_at: string | null;
  has_password: boolean;
  allow_download: boolean;
  show_exif?: boolean;
  created_at: string;
  revoked_at: string | null;
  active: boolean;
}

export interface CreatedShare extends Share {
  token: string;
  url: string;
}

export interface NewShare {
  album_id?: string;
  photo_id?: string;
  expires_at?: string;
  password?: string;
  allow_download?: boolean;
  show_exif?: boolean;
}

export interface SharedView {
  share: {
    kind: 'album' | 'photo';
    title: string | null;
    description: string | null;
    allow_download: boolean;
    show_exif?: boolean;
    expires_at: string | null;
  };
  photos: Photo[];
  next_cursor: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedToken {
  id: string;
  name: string;
  token: string;
  created_at: string;
}
