#include "api/openapi_parts.hpp"

namespace gallery::api {

// Albums, share links (owner and visitor routes) and the trash. Kept in step
// with albums_handler.cpp, shares_handler.cpp and trash_handler.cpp (JSON
// shapes: album_share_json.cpp, photo_json.cpp).
const char* OpenApiSharingPart() {
  return R"json(
{
 "paths": {
  "/api/v1/albums": {
   "get": {
    "summary": "My albums, newest first",
    "operationId": "listAlbums",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/PageLimit"
     },
     {
      "$ref": "#/components/parameters/PageCursor"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of albums.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AlbumList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "post": {
    "summary": "Create an album",
    "operationId": "createAlbum",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/NewAlbum"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created (empty, no cover).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Album"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/albums/{id}": {
   "get": {
    "summary": "One of my albums",
    "operationId": "getAlbum",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     }
    ],
    "responses": {
     "200": {
      "description": "The album.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Album"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "patch": {
    "summary": "Change an album's title, description or cover",
    "description": "Members left out stay as they are; `cover_photo_id: null` removes the cover.",
    "operationId": "updateAlbum",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/AlbumUpdate"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The album as changed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Album"
        }
       }
      }
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, a title or description outside its limits, or a cover that is not a photo in the album (the album is unchanged).",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "delete": {
    "summary": "Delete an album",
    "description": "Deletes the album, its order and every share link of it; never its photos.",
    "operationId": "deleteAlbum",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted."
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/albums/{id}/photos": {
   "get": {
    "summary": "An album's photos, in album order",
    "operationId": "listAlbumPhotos",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/PageLimit"
     },
     {
      "$ref": "#/components/parameters/PageCursor"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of photos. Photos in the trash stay members but are left out, so a page may hold fewer than `limit` photos while next_cursor is not null.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PhotoPage"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "post": {
    "summary": "Add my photos to the end of an album",
    "operationId": "addAlbumPhotos",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PhotoIds"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "How many were added; photos already in the album stay where they are (adding is idempotent).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AddedCount"
        }
       }
      }
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, an empty id, or more than 1000 ids.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: no such album (or another user's), or an id that is not one of my photos outside the trash; `detail` names it and nothing was added.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/albums/{id}/photos/remove": {
   "post": {
    "summary": "Take photos out of an album (never out of the gallery)",
    "operationId": "removeAlbumPhotos",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PhotoIds"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "How many were removed; ids not in the album are ignored. A removed cover is cleared.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/RemovedCount"
        }
       }
      }
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, an empty id, or more than 1000 ids.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/albums/{id}/order": {
   "put": {
    "summary": "Put an album's photos in a new order",
    "operationId": "setAlbumOrder",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/AlbumOrder"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Reordered."
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, or a list that does not name every photo of the album outside the trash exactly once; the order is unchanged.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/albums/{id}/photos/move": {
   "post": {
    "summary": "Move one photo of an album",
    "operationId": "moveAlbumPhoto",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque album id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PhotoMove"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Moved; the other photos keep their order."
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, or photo_id equal to after_photo_id.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: no such album (or another user's), or either photo is not in it.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shares": {
   "get": {
    "summary": "My share links, newest first, revoked and expired ones included",
    "operationId": "listShares",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/PageLimit"
     },
     {
      "$ref": "#/components/parameters/PageCursor"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of shares (never their tokens).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ShareList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "post": {
    "summary": "Make a link to one of my albums or photos",
    "operationId": "createShare",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/NewShare"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created. `token` and `url` are shown only in this answer: only a hash of the token is stored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ShareCreated"
        }
       }
      }
     },
     "400": {
      "description": "/errors/invalid-request: a malformed body, not exactly one of album_id and photo_id, an expires_at that is not an RFC 3339 time in the future, or a password over 1024 bytes.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: the album or photo is not one of mine (or the photo is in the trash).",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shares/{id}": {
   "get": {
    "summary": "One of my shares",
    "operationId": "getShare",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque share id (not the link's token)."
     }
    ],
    "responses": {
     "200": {
      "description": "The share.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Share"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "delete": {
    "summary": "Revoke one of my shares",
    "operationId": "revokeShare",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque share id (not the link's token)."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "204": {
      "description": "Revoked: the link answers 404 from now on. Revoking again is fine and keeps the first revoked_at."
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shared/{token}": {
   "get": {
    "summary": "What a share link shows",
    "description": "Public: no account needed. A link with a password is opened by the password in X-Share-Password, or by the `gallery_share` cookie that POST /api/v1/shared/{token}/unlock sets. Visitors never see file names, owners, GPS positions or photos in the trash; camera details only when the owner chose show_exif.",
    "operationId": "openShare",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShareToken"
     },
     {
      "$ref": "#/components/parameters/PageLimit"
     },
     {
      "$ref": "#/components/parameters/PageCursor"
     },
     {
      "$ref": "#/components/parameters/SharePassword"
     },
     {
      "$ref": "#/components/parameters/ShareUnlockCookie"
     }
    ],
    "responses": {
     "200": {
      "description": "The link's summary and a page of its photos in album order (one photo for a photo link). Cache-Control: no-store; Referrer-Policy: no-referrer.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SharedListing"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/SharePasswordRequired"
     },
     "404": {
      "$ref": "#/components/responses/DeadLink"
     },
     "429": {
      "$ref": "#/components/responses/SharePasswordAttempts"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shared/{token}/unlock": {
   "post": {
    "summary": "Enter a link's password",
    "description": "Public: no account, no CSRF token. A wrong password answers the same 404 as a dead link, and counts toward the link's limit.",
    "operationId": "unlockShare",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShareToken"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ShareUnlock"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Right password: the `gallery_share` cookie is set, so the page's image requests need no password.",
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        },
        "description": "gallery_share=<proof>; Path=/api/v1/shared/<token>; HttpOnly; [Secure;] SameSite=Strict (a browser-session cookie; it stops working when the link dies)."
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/SharePasswordRequired"
     },
     "404": {
      "$ref": "#/components/responses/DeadLink"
     },
     "413": {
      "$ref": "#/components/responses/JsonBodyTooLarge"
     },
     "429": {
      "$ref": "#/components/responses/SharePasswordAttempts"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shared/{token}/photos/{id}/thumb": {
   "get": {
    "summary": "Grid-size derivative of a shared photo (longest edge at most 512 px)",
    "description": "Public: no account needed. A link with a password is opened by the password in X-Share-Password, or by the `gallery_share` cookie that POST /api/v1/shared/{token}/unlock sets. A photo the link does not cover answers the same 404.",
    "operationId": "getSharedThumb",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShareToken"
     },
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque photo id."
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "jpeg",
        "webp",
        "avif"
       ]
      },
      "description": "Overrides the format chosen from Accept."
     },
     {
      "name": "If-None-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "$ref": "#/components/parameters/SharePassword"
     },
     {
      "$ref": "#/components/parameters/ShareUnlockCookie"
     }
    ],
    "responses": {
     "200": {
      "description": "The derivative; upright, no metadata. Vary: Accept; Cache-Control: private, no-cache (revalidated, so it stops once the link dies).",
      "content": {
       "image/jpeg": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "image/webp": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "image/avif": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "304": {
      "description": "Not modified."
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/SharePasswordRequired"
     },
     "404": {
      "$ref": "#/components/responses/DeadLink"
     },
     "429": {
      "$ref": "#/components/responses/SharePasswordAttempts"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shared/{token}/photos/{id}/preview": {
   "get": {
    "summary": "Lightbox-size derivative of a shared photo (longest edge at most 2048 px)",
    "description": "Public: no account needed. A link with a password is opened by the password in X-Share-Password, or by the `gallery_share` cookie that POST /api/v1/shared/{token}/unlock sets. A photo the link does not cover answers the same 404.",
    "operationId": "getSharedPreview",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShareToken"
     },
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque photo id."
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "jpeg",
        "webp",
        "avif"
       ]
      },
      "description": "Overrides the format chosen from Accept."
     },
     {
      "name": "If-None-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "$ref": "#/components/parameters/SharePassword"
     },
     {
      "$ref": "#/components/parameters/ShareUnlockCookie"
     }
    ],
    "responses": {
     "200": {
      "description": "The derivative; upright, no metadata. Vary: Accept; Cache-Control: private, no-cache (revalidated, so it stops once the link dies).",
      "content": {
       "image/jpeg": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "image/webp": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "image/avif": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "304": {
      "description": "Not modified."
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/SharePasswordRequired"
     },
     "404": {
      "$ref": "#/components/responses/DeadLink"
     },
     "429": {
      "$ref": "#/components/responses/SharePasswordAttempts"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/shared/{token}/photos/{id}/original": {
   "get": {
    "summary": "The uploaded bytes of a shared photo, when the link allows downloads",
    "description": "Public: no account needed. A link with a password is opened by the password in X-Share-Password, or by the `gallery_share` cookie that POST /api/v1/shared/{token}/unlock sets. A photo the link does not cover answers the same 404.",
    "operationId": "getSharedOriginal",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShareToken"
     },
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque photo id."
     },
     {
      "name": "Range",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A single byte range."
     },
     {
      "$ref": "#/components/parameters/SharePassword"
     },
     {
      "$ref": "#/components/parameters/ShareUnlockCookie"
     }
    ],
    "responses": {
     "200": {
      "description": "The original, as an attachment named photo-<id prefix>.<type> (never the owner's file name). Cache-Control: private, no-cache.",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "206": {
      "description": "The requested range.",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "302": {
      "description": "Redirect to a short-lived presigned URL (S3 with redirects on)."
     },
     "304": {
      "description": "Not modified."
     },
     "401": {
      "$ref": "#/components/responses/SharePasswordRequired"
     },
     "403": {
      "description": "/errors/forbidden: the link's owner does not allow downloading originals.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "$ref": "#/components/responses/DeadLink"
     },
     "416": {
      "$ref": "#/components/responses/Problem"
     },
     "429": {
      "$ref": "#/components/responses/SharePasswordAttempts"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/trash": {
   "get": {
    "summary": "My trash, most recently deleted first",
    "operationId": "listTrash",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/PageLimit"
     },
     {
      "$ref": "#/components/parameters/PageCursor"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of photos, each with deleted_at and purge_at.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PhotoPage"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/InvalidRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "delete": {
    "summary": "Empty my trash: every photo in it is deleted for good, files too",
    "operationId": "emptyTrash",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "204": {
      "description": "Emptied."
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/trash/{id}": {
   "delete": {
    "summary": "Delete one photo of my trash for good, files too",
    "operationId": "purgePhoto",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque photo id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "204": {
      "description": "Purged."
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: no such photo, another user's, or not in the trash.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/photos/{id}/restore": {
   "post": {
    "summary": "Take one of my photos out of the trash",
    "operationId": "restorePhoto",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Opaque photo id."
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "200": {
      "description": "The photo, back in its listings, albums and share links.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Photo"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: no such photo, another user's, or not in the trash.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  }
 },
 "components": {
  "parameters": {
   "PageLimit": {
    "name": "limit",
    "in": "query",
    "required": false,
    "schema": {
     "type": "integer",
     "minimum": 1,
     "maximum": 200,
     "default": 50
    }
   },
   "PageCursor": {
    "name": "cursor",
    "in": "query",
    "required": false,
    "schema": {
     "type": "string"
    },
    "description": "next_cursor of the previous page."
   },
   "ShareToken": {
    "name": "token",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string"
    },
    "description": "The link's secret token (the end of /s/<token>)."
   },
   "SharePassword": {
    "name": "X-Share-Password",
    "in": "header",
    "required": false,
    "schema": {
     "type": "string"
    },
    "description": "The link's password, for a link that has one."
   },
   "ShareUnlockCookie": {
    "name": "gallery_share",
    "in": "cookie",
    "required": false,
    "schema": {
     "type": "string"
    },
    "description": "Set by POST /api/v1/shared/{token}/unlock; stands for the password."
   }
  },
  "responses": {
   "SharePasswordRequired": {
    "description": "/errors/share-password-required: the link is alive and has a password, and none was given (neither X-Share-Password nor the unlock cookie).",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "DeadLink": {
    "description": "/errors/not-found: the link is unknown, expired or revoked, the password is wrong, or what it shows is gone or in the trash: always the same body, so a visitor cannot tell which. On photo routes, also a photo the link does not cover.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "SharePasswordAttempts": {
    "description": "/errors/too-many-requests: too many wrong passwords for this link lately (10 in 15 minutes, counted across instances); even the right password is refused until the window has passed.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    },
    "headers": {
     "Retry-After": {
      "schema": {
       "type": "integer"
      },
      "description": "Seconds to wait before trying again."
     }
    }
   }
  },
  "schemas": {
   "Album": {
    "type": "object",
    "required": [
     "id",
     "title",
     "description",
     "cover_photo_id",
     "cover",
     "photo_count",
     "created_at",
     "updated_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "title": {
      "type": "string",
      "description": "1 to 500 bytes."
     },
     "description": {
      "type": "string",
      "description": "Up to 10000 bytes; may be empty."
     },
     "cover_photo_id": {
      "type": "string",
      "nullable": true,
      "description": "Always a photo in the album, or null."
     },
     "cover": {
      "type": "object",
      "nullable": true,
      "required": [
       "thumb"
      ],
      "properties": {
       "thumb": {
        "type": "string",
        "description": "The cover's thumb URL (for the owner)."
       }
      }
     },
     "photo_count": {
      "type": "integer",
      "description": "Photos in the album outside the trash."
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time",
      "description": "Last change to the album or its photos."
     }
    }
   },
   "AlbumList": {
    "type": "object",
    "required": [
     "albums",
     "next_cursor"
    ],
    "properties": {
     "albums": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Album"
      }
     },
     "next_cursor": {
      "type": "string",
      "nullable": true,
      "description": "Pass as ?cursor= for the next page; null on the last page."
     }
    }
   },
   "NewAlbum": {
    "type": "object",
    "required": [
     "title"
    ],
    "properties": {
     "title": {
      "type": "string",
      "minLength": 1,
      "description": "1 to 500 bytes."
     },
     "description": {
      "type": "string",
      "default": "",
      "description": "Up to 10000 bytes."
     }
    }
   },
   "AlbumUpdate": {
    "type": "object",
    "properties": {
     "title": {
      "type": "string",
      "minLength": 1,
      "description": "1 to 500 bytes."
     },
     "description": {
      "type": "string",
      "description": "Up to 10000 bytes."
     },
     "cover_photo_id": {
      "type": "string",
      "nullable": true,
      "description": "A photo in the album; null removes the cover."
     }
    }
   },
   "PhotoIds": {
    "type": "object",
    "required": [
     "photo_ids"
    ],
    "properties": {
     "photo_ids": {
      "type": "array",
      "items": {
       "type": "string",
       "minLength": 1
      },
      "maxItems": 1000
     }
    }
   },
   "AlbumOrder": {
    "type": "object",
    "required": [
     "photo_ids"
    ],
    "properties": {
     "photo_ids": {
      "type": "array",
      "items": {
       "type": "string",
       "minLength": 1
      },
      "description": "Every photo of the album outside the trash exactly once, in the new order; photos in the trash keep their place after them."
     }
    }
   },
   "PhotoMove": {
    "type": "object",
    "required": [
     "photo_id"
    ],
    "properties": {
     "photo_id": {
      "type": "string"
     },
     "after_photo_id": {
      "type": "string",
      "nullable": true,
      "description": "The photo to put it just after; null or absent moves it to the front."
     }
    }
   },
   "AddedCount": {
    "type": "object",
    "required": [
     "added"
    ],
    "properties": {
     "added": {
      "type": "integer"
     }
    }
   },
   "RemovedCount": {
    "type": "object",
    "required": [
     "removed"
    ],
    "properties": {
     "removed": {
      "type": "integer"
     }
    }
   },
   "Share": {
    "type": "object",
    "required": [
     "id",
     "album_id",
     "photo_id",
     "title",
     "expires_at",
     "has_password",
     "allow_download",
     "show_exif",
     "created_at",
     "revoked_at",
     "active"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "album_id": {
      "type": "string",
      "nullable": true,
      "description": "Set for a link to an album (exactly one of album_id and photo_id is)."
     },
     "photo_id": {
      "type": "string",
      "nullable": true
     },
     "title": {
      "type": "string",
      "nullable": true,
      "description": "The album's title; null for a photo link."
     },
     "expires_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true,
      "description": "Null: never expires."
     },
     "has_password": {
      "type": "boolean"
     },
     "allow_download": {
      "type": "boolean",
      "description": "Visitors may download originals."
     },
     "show_exif": {
      "type": "boolean",
      "description": "Visitors see camera details and the taken time (never GPS)."
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "revoked_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     },
     "active": {
      "type": "boolean",
      "description": "Not revoked and not expired, now."
     }
    }
   },
   "ShareCreated": {
    "allOf": [
     {
      "$ref": "#/components/schemas/Share"
     },
     {
      "type": "object",
      "required": [
       "token",
       "url"
      ],
      "properties": {
       "token": {
        "type": "string",
        "description": "The link's secret (256 random bits), shown only here."
       },
       "url": {
        "type": "string",
        "description": "The web UI's page for the link: /s/<token>."
       }
      }
     }
    ]
   },
   "ShareList": {
    "type": "object",
    "required": [
     "shares",
     "next_cursor"
    ],
    "properties": {
     "shares": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Share"
      }
     },
     "next_cursor": {
      "type": "string",
      "nullable": true,
      "description": "Pass as ?cursor= for the next page; null on the last page."
     }
    }
   },
   "NewShare": {
    "type": "object",
    "description": "Exactly one of album_id and photo_id.",
    "properties": {
     "album_id": {
      "type": "string"
     },
     "photo_id": {
      "type": "string",
      "description": "One of my photos, not in the trash."
     },
     "expires_at": {
      "type": "string",
      "format": "date-time",
      "description": "In the future; absent or null: never expires."
     },
     "password": {
      "type": "string",
      "description": "At most 1024 bytes; absent, null or empty: no password."
     },
     "allow_download": {
      "type": "boolean",
      "default": false
     },
     "show_exif": {
      "type": "boolean",
      "default": false
     }
    }
   },
   "ShareUnlock": {
    "type": "object",
    "required": [
     "password"
    ],
    "properties": {
     "password": {
      "type": "string"
     }
    }
   },
   "SharedPhoto": {
    "type": "object",
    "description": "A photo as a link's visitor sees it: never the file name, the owner, the upload time, the checksum or GPS.",
    "required": [
     "id",
     "content_type",
     "bytes",
     "width",
     "height",
     "frames",
     "taken_at",
     "exif",
     "urls"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "content_type": {
      "type": "string"
     },
     "bytes": {
      "type": "integer"
     },
     "width": {
      "type": "integer",
      "description": "As displayed, after EXIF orientation."
     },
     "height": {
      "type": "integer"
     },
     "frames": {
      "type": "integer"
     },
     "taken_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true,
      "description": "Null unless the link shows EXIF."
     },
     "exif": {
      "type": "object",
      "additionalProperties": true,
      "description": "Empty unless the link shows EXIF; never gps_* members."
     },
     "urls": {
      "type": "object",
      "required": [
       "thumb",
       "preview"
      ],
      "properties": {
       "thumb": {
        "type": "string"
       },
       "preview": {
        "type": "string"
       },
       "original": {
        "type": "string",
        "description": "Only when the link allows downloads."
       }
      }
     }
    }
   },
   "SharedListing": {
    "type": "object",
    "required": [
     "share",
     "photos",
     "next_cursor"
    ],
    "properties": {
     "share": {
      "type": "object",
      "required": [
       "kind",
       "title",
       "description",
       "allow_download",
       "show_exif",
       "expires_at"
      ],
      "properties": {
       "kind": {
        "type": "string",
        "enum": [
         "album",
         "photo"
        ]
       },
       "title": {
        "type": "string",
        "nullable": true,
        "description": "The album's title; null for a photo link."
       },
       "description": {
        "type": "string",
        "nullable": true,
        "description": "The album's description; null for a photo link."
       },
       "allow_download": {
        "type": "boolean"
       },
       "show_exif": {
        "type": "boolean"
       },
       "expires_at": {
        "type": "string",
        "format": "date-time",
        "nullable": true
       }
      }
     },
     "photos": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/SharedPhoto"
      }
     },
     "next_cursor": {
      "type": "string",
      "nullable": true,
      "description": "Pass as ?cursor= for the next page; null on the last page."
     }
    }
   }
  }
 }
}
)json";
}

}  // namespace gallery::api
