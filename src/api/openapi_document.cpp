#include <nlohmann/json.hpp>
#include <string>

#include "api/openapi_parts.hpp"
#include "api/operations_handler.hpp"

namespace gallery::api {
namespace {

// Kept in step with the handlers; tests validate it with openapi-spec-validator
// and check that every route the server answers is described.
const char* BaseDocument() {
  return R"json({
 "openapi": "3.0.3",
 "info": {
  "title": "Picture Gallery API",
  "version": "1.0.0",
  "description": "Upload, browse, organise and share pictures. Every /api/v1 route needs a credential (the `gallery_session` cookie, with `X-CSRF-Token` on POST, PUT, PATCH and DELETE, or `Authorization: Bearer <personal API token>`) except sign-in, this document and the public share-link routes under /api/v1/shared. Everything a user owns (photos, albums, shares, tokens) is theirs alone: another user's id answers 404 exactly like one that does not exist. Every error is application/problem+json with a stable `type` URI (`/errors/<kind>`); every response carries X-Request-Id."
 },
 "paths": {
  "/api/v1/photos": {
   "post": {
    "summary": "Upload one or more pictures",
    "description": "The photos belong to the caller. Duplicates are per user: bytes the caller already has (in the trash or not) answer that photo with `duplicate: true`, taken out of the trash if it was there. The whole batch is checked before anything is stored (format, size, pixel limit, file name, and the caller's quota, which counts the trash too); a file that fails only while being decoded stops the request there, and the files before it, already stored, are listed in the problem's extra member `photos`.",
    "operationId": "uploadPhotos",
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
      "multipart/form-data": {
       "schema": {
        "type": "object",
        "properties": {
         "file": {
          "type": "array",
          "items": {
           "type": "string",
           "format": "binary"
          }
         }
        },
        "required": [
         "file"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Every part was a duplicate of an existing photo.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PhotoList"
        }
       }
      }
     },
     "201": {
      "description": "At least one new photo was stored; photos are in the order of the parts.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PhotoList"
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
      "$ref": "#/components/responses/UploadTooLarge"
     },
     "415": {
      "$ref": "#/components/responses/Problem"
     },
     "422": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "get": {
    "summary": "List my photos outside the trash, newest first (taken time, else upload time)",
    "operationId": "listPhotos",
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
      "name": "limit",
      "in": "query",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 200,
       "default": 50
      }
     },
     {
      "name": "cursor",
      "in": "query",
      "schema": {
       "type": "string"
      },
      "description": "next_cursor of the previous page."
     }
    ],
    "responses": {
     "200": {
      "description": "A page of photos.",
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
   }
  },
  "/api/v1/photos/{id}": {
   "get": {
    "summary": "One of my photos",
    "description": "A photo in the trash is answered too, with `deleted_at` and `purge_at` set, so the trash view can show it.",
    "operationId": "getPhoto",
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
     }
    ],
    "responses": {
     "200": {
      "description": "The photo.",
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
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "delete": {
    "summary": "Move one of my photos to the trash",
    "description": "The photo leaves the listings, albums and share links (it stays in its albums, hidden) until it is restored (POST /api/v1/photos/{id}/restore) or purged: by hand (DELETE /api/v1/trash/{id}, DELETE /api/v1/trash) or automatically once GALLERY_TRASH_RETENTION (default 30 days) has passed. Its bytes keep counting toward the quota until it is purged.",
    "operationId": "deletePhoto",
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
      "description": "In the trash."
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     },
     "403": {
      "$ref": "#/components/responses/CsrfTokenInvalid"
     },
     "404": {
      "description": "/errors/not-found: no such photo, another user's, or already in the trash.",
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
  "/api/v1/photos/{id}/original": {
   "get": {
    "summary": "The uploaded bytes of one of my photos, as uploaded (trashed ones too)",
    "operationId": "getOriginal",
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
      "name": "Range",
      "in": "header",
      "schema": {
       "type": "string"
      },
      "description": "A single byte range."
     }
    ],
    "responses": {
     "200": {
      "description": "The original, as an attachment.",
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
      "$ref": "#/components/responses/Unauthenticated"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "416": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/api/v1/photos/{id}/thumb": {
   "get": {
    "summary": "Grid-size derivative (longest edge at most 512 px)",
    "operationId": "getThumb",
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
     }
    ],
    "responses": {
     "200": {
      "description": "The derivative; upright, no metadata. Vary: Accept; Cache-Control: private, max-age=31536000, immutable.",
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
      "$ref": "#/components/responses/Unauthenticated"
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
  "/api/v1/photos/{id}/preview": {
   "get": {
    "summary": "Lightbox-size derivative (longest edge at most 2048 px)",
    "operationId": "getPreview",
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
     }
    ],
    "responses": {
     "200": {
      "description": "The derivative; upright, no metadata. Vary: Accept; Cache-Control: private, max-age=31536000, immutable.",
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
      "$ref": "#/components/responses/Unauthenticated"
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
  "/api/v1/uploads": {
   "options": {
    "summary": "tus capabilities",
    "operationId": "tusOptions",
    "responses": {
     "204": {
      "description": "What this tus server supports.",
      "headers": {
       "Tus-Version": {
        "description": "1.0.0",
        "schema": {
         "type": "string"
        }
       },
       "Tus-Extension": {
        "description": "creation,termination,checksum,expiration",
        "schema": {
         "type": "string"
        }
       },
       "Tus-Max-Size": {
        "description": "The largest Upload-Length (GALLERY_MAX_UPLOAD_BYTES).",
        "schema": {
         "type": "integer",
         "minimum": 0
        }
       },
       "Tus-Checksum-Algorithm": {
        "description": "sha1,sha256",
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Create a resumable upload (tus creation)",
    "operationId": "createUpload",
    "parameters": [
     {
      "name": "Tus-Resumable",
      "in": "header",
      "required": true,
      "description": "The tus version spoken: 1.0.0 (else 412).",
      "schema": {
       "type": "string",
       "enum": [
        "1.0.0"
       ]
      }
     },
     {
      "name": "Upload-Length",
      "in": "header",
      "required": true,
      "description": "The file's size in bytes (1 .. Tus-Max-Size).",
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     },
     {
      "name": "Upload-Metadata",
      "in": "header",
      "required": false,
      "description": "Comma-separated `key base64value` pairs; `filename` (or `name`) names the photo.",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created; PATCH the bytes to Location.",
      "headers": {
       "Location": {
        "description": "/api/v1/uploads/{id}",
        "schema": {
         "type": "string"
        }
       },
       "Upload-Expires": {
        "description": "HTTP date after which an idle upload is removed.",
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "412": {
      "$ref": "#/components/responses/Problem"
     },
     "413": {
      "$ref": "#/components/responses/Problem"
     },
     "429": {
      "$ref": "#/components/responses/Problem"
     }
    },
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ]
   }
  },
  "/api/v1/uploads/{id}": {
   "parameters": [
    {
     "name": "id",
     "in": "path",
     "required": true,
     "schema": {
      "type": "string"
     }
    }
   ],
   "options": {
    "summary": "tus capabilities",
    "operationId": "tusOptionsItem",
    "responses": {
     "204": {
      "description": "As OPTIONS /api/v1/uploads."
     }
    }
   },
   "head": {
    "summary": "Where an upload stands (tus core)",
    "operationId": "headUpload",
    "parameters": [
     {
      "name": "Tus-Resumable",
      "in": "header",
      "required": true,
      "description": "The tus version spoken: 1.0.0 (else 412).",
      "schema": {
       "type": "string",
       "enum": [
        "1.0.0"
       ]
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The upload's state (no body).",
      "headers": {
       "Upload-Offset": {
        "description": "Bytes received so far: resume from here.",
        "schema": {
         "type": "integer",
         "minimum": 0
        }
       },
       "Upload-Length": {
        "description": "The file's size.",
        "schema": {
         "type": "integer",
         "minimum": 0
        }
       },
       "Upload-Metadata": {
        "description": "filename <base64>",
        "schema": {
         "type": "string"
        }
       },
       "Upload-Expires": {
        "description": "HTTP date after which the idle upload is removed.",
        "schema": {
         "type": "string"
        }
       },
       "X-Photo-Id": {
        "description": "Once finished: the photo it became.",
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "410": {
      "$ref": "#/components/responses/Problem"
     },
     "412": {
      "$ref": "#/components/responses/Problem"
     },
     "423": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     }
    },
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ]
   },
   "patch": {
    "summary": "Append bytes at the upload's offset (tus core, checksum)",
    "operationId": "patchUpload",
    "parameters": [
     {
      "name": "Tus-Resumable",
      "in": "header",
      "required": true,
      "description": "The tus version spoken: 1.0.0 (else 412).",
      "schema": {
       "type": "string",
       "enum": [
        "1.0.0"
       ]
      }
     },
     {
      "name": "Upload-Offset",
      "in": "header",
      "required": true,
      "description": "Where these bytes go: the upload's offset (else 409).",
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     },
     {
      "name": "Upload-Checksum",
      "in": "header",
      "required": false,
      "description": "`sha1 <base64 digest>` or `sha256 <base64 digest>` of this chunk (else 460).",
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/offset+octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Stored. Once the last byte is in, the photo is made and named in X-Photo-Id.",
      "headers": {
       "Upload-Offset": {
        "description": "Bytes received so far.",
        "schema": {
         "type": "integer",
         "minimum": 0
        }
       },
       "Upload-Expires": {
        "description": "HTTP date after which the idle upload is removed.",
        "schema": {
         "type": "string"
        }
       },
       "X-Photo-Id": {
        "description": "The photo the finished upload became (GET /api/v1/photos/{id}).",
        "schema": {
         "type": "string"
        }
       },
       "X-Photo-Duplicate": {
        "description": "true when those bytes were a photo already.",
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "409": {
      "$ref": "#/components/responses/Problem"
     },
     "410": {
      "$ref": "#/components/responses/Problem"
     },
     "412": {
      "$ref": "#/components/responses/Problem"
     },
     "413": {
      "$ref": "#/components/responses/Problem"
     },
     "415": {
      "$ref": "#/components/responses/Problem"
     },
     "422": {
      "$ref": "#/components/responses/Problem"
     },
     "423": {
      "$ref": "#/components/responses/Problem"
     },
     "460": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    },
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ]
   },
   "delete": {
    "summary": "Abandon an upload (tus termination)",
    "operationId": "deleteUpload",
    "parameters": [
     {
      "name": "Tus-Resumable",
      "in": "header",
      "required": true,
      "description": "The tus version spoken: 1.0.0 (else 412).",
      "schema": {
       "type": "string",
       "enum": [
        "1.0.0"
       ]
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Removed with its staged bytes."
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "412": {
      "$ref": "#/components/responses/Problem"
     },
     "423": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Unauthenticated"
     }
    },
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ]
   },
   "post": {
    "summary": "PATCH, DELETE or HEAD through X-HTTP-Method-Override (tus core)",
    "operationId": "overrideUpload",
    "parameters": [
     {
      "name": "Tus-Resumable",
      "in": "header",
      "required": true,
      "description": "The tus version spoken: 1.0.0 (else 412).",
      "schema": {
       "type": "string",
       "enum": [
        "1.0.0"
       ]
      }
     },
     {
      "name": "Upload-Offset",
      "in": "header",
      "required": true,
      "description": "Where these bytes go: the upload's offset (else 409).",
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     },
     {
      "name": "Upload-Checksum",
      "in": "header",
      "required": false,
      "description": "`sha1 <base64 digest>` or `sha256 <base64 digest>` of this chunk (else 460).",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "X-HTTP-Method-Override",
      "in": "header",
      "required": true,
      "description": "PATCH, DELETE or HEAD.",
      "schema": {
       "type": "string",
       "enum": [
        "PATCH",
        "DELETE",
        "HEAD"
       ]
      }
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/offset+octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Stored. Once the last byte is in, the photo is made and named in X-Photo-Id.",
      "headers": {
       "Upload-Offset": {
        "description": "Bytes received so far.",
        "schema": {
         "type": "integer",
         "minimum": 0
        }
       },
       "Upload-Expires": {
        "description": "HTTP date after which the idle upload is removed.",
        "schema": {
         "type": "string"
        }
       },
       "X-Photo-Id": {
        "description": "The photo the finished upload became (GET /api/v1/photos/{id}).",
        "schema": {
         "type": "string"
        }
       },
       "X-Photo-Duplicate": {
        "description": "true when those bytes were a photo already.",
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "409": {
      "$ref": "#/components/responses/Problem"
     },
     "410": {
      "$ref": "#/components/responses/Problem"
     },
     "412": {
      "$ref": "#/components/responses/Problem"
     },
     "413": {
      "$ref": "#/components/responses/Problem"
     },
     "415": {
      "$ref": "#/components/responses/Problem"
     },
     "422": {
      "$ref": "#/components/responses/Problem"
     },
     "423": {
      "$ref": "#/components/responses/Problem"
     },
     "460": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    },
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ]
   }
  },
  "/healthz": {
   "get": {
    "summary": "Liveness",
    "operationId": "healthz",
    "responses": {
     "200": {
      "description": "Serving.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "type": "string"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/readyz": {
   "get": {
    "summary": "Readiness: database and storage answer",
    "operationId": "readyz",
    "responses": {
     "200": {
      "description": "Ready.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "summary": "Prometheus metrics",
    "operationId": "metrics",
    "responses": {
     "200": {
      "description": "Prometheus text format 0.0.4.",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/openapi.json": {
   "get": {
    "summary": "This document",
    "operationId": "openapi",
    "responses": {
     "200": {
      "description": "OpenAPI 3 document.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/": {
   "get": {
    "summary": "The web UI (a single-page app; HTML, not API)",
    "operationId": "indexPage",
    "responses": {
     "200": {
      "description": "The app's HTML page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "description": "The web UI has not been built: an HTML page saying how to build it.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "responses": {
   "Problem": {
    "description": "An error (RFC 9457 problem details).",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "InvalidRequest": {
    "description": "/errors/invalid-request: a malformed parameter, cursor or body (a JSON body must be sent with Content-Type: application/json); `detail` says what to fix.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "Unauthenticated": {
    "description": "/errors/unauthenticated: no credential, or an unknown, expired, signed-out or revoked one, or a disabled user.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "CsrfTokenInvalid": {
    "description": "/errors/csrf-token-invalid: a change made with the session cookie without the session's X-CSRF-Token.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "NotFound": {
    "description": "/errors/not-found: no such thing, or another user's (the two answer the same).",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "JsonBodyTooLarge": {
    "description": "/errors/payload-too-large: a JSON body over 64 KiB.",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "UploadTooLarge": {
    "description": "/errors/payload-too-large (the body is over GALLERY_MAX_UPLOAD_BYTES), /errors/image-too-large (width × height × frames over GALLERY_MAX_PIXELS, checked before decoding) or /errors/quota-exceeded (the batch would take the caller's photos, trash included, over their quota_bytes; nothing is stored).",
    "content": {
     "application/problem+json": {
      "schema": {
       "$ref": "#/components/schemas/Problem"
      }
     }
    }
   },
   "Unavailable": {
    "description": "/errors/service-unavailable (the database or storage does not answer), /errors/timeout or /errors/overloaded (the image pool is full).",
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
   "Problem": {
    "type": "object",
    "required": [
     "type",
     "title",
     "status"
    ],
    "properties": {
     "type": {
      "type": "string",
      "description": "Stable URI of the error kind, e.g. /errors/unsupported-media-type."
     },
     "title": {
      "type": "string"
     },
     "status": {
      "type": "integer"
     },
     "detail": {
      "type": "string"
     },
     "request_id": {
      "type": "string"
     }
    }
   },
   "Photo": {
    "type": "object",
    "required": [
     "id",
     "filename",
     "content_type",
     "bytes",
     "width",
     "height",
     "uploaded_at",
     "sha256",
     "duplicate",
     "exif",
     "deleted_at",
     "purge_at",
     "urls"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "filename": {
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
      "nullable": true
     },
     "uploaded_at": {
      "type": "string",
      "format": "date-time"
     },
     "sha256": {
      "type": "string"
     },
     "duplicate": {
      "type": "boolean"
     },
     "exif": {
      "type": "object",
      "additionalProperties": true,
      "description": "camera_make, camera_model, lens, exposure_time, f_number, iso, focal_length, taken_at, gps_latitude, gps_longitude, ..."
     },
     "deleted_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true,
      "description": "When the photo was moved to the trash; null outside the trash."
     },
     "purge_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true,
      "description": "When a photo in the trash will be purged (deleted_at + GALLERY_TRASH_RETENTION); null outside the trash."
     },
     "urls": {
      "type": "object",
      "required": [
       "original",
       "thumb",
       "preview"
      ],
      "properties": {
       "original": {
        "type": "string"
       },
       "thumb": {
        "type": "string"
       },
       "preview": {
        "type": "string"
       }
      }
     }
    }
   },
   "PhotoList": {
    "type": "object",
    "required": [
     "photos"
    ],
    "properties": {
     "photos": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Photo"
      }
     }
    }
   },
   "PhotoPage": {
    "type": "object",
    "required": [
     "photos",
     "next_cursor"
    ],
    "properties": {
     "photos": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Photo"
      }
     },
     "next_cursor": {
      "type": "string",
      "nullable": true
     }
    },
    "description": "A page of photos; next_cursor is null on the last page."
   }
  }
 }
})json";
}

}  // namespace

const char* OpenApiDocument() {
  // Built once; the parts are parsed from the binary's own text, so a
  // malformed one fails every test that fetches the document.
  static const std::string document = [] {
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(BaseDocument());
    doc.merge_patch(nlohmann::ordered_json::parse(OpenApiAccountsPart()));
    doc.merge_patch(nlohmann::ordered_json::parse(OpenApiSharingPart()));
    return doc.dump(1);
  }();
  return document.c_str();
}

}  // namespace gallery::api
