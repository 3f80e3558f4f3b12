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
  "description": "Upload, browse and serve pictures. Every error is application/problem+json with a stable `type` URI (`/errors/<kind>`); every response carries X-Request-Id."
 },
 "paths": {
  "/api/v1/photos": {
   "post": {
    "summary": "Upload one or more pictures",
    "operationId": "uploadPhotos",
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
     "400": {
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
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   },
   "get": {
    "summary": "List photos, newest first",
    "operationId": "listPhotos",
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
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/photos/{id}": {
   "get": {
    "summary": "One photo",
    "operationId": "getPhoto",
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
     "404": {
      "$ref": "#/components/responses/Problem"
     }
    }
   },
   "delete": {
    "summary": "Delete a photo and its files",
    "operationId": "deletePhoto",
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
     "204": {
      "description": "Deleted."
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/photos/{id}/original": {
   "get": {
    "summary": "The uploaded bytes as uploaded",
    "operationId": "getOriginal",
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
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "416": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/photos/{id}/thumb": {
   "get": {
    "summary": "Grid-size derivative (longest edge at most 512 px)",
    "operationId": "getThumb",
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
      "description": "The derivative; upright, no metadata. Vary: Accept.",
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
      "$ref": "#/components/responses/Problem"
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/photos/{id}/preview": {
   "get": {
    "summary": "Lightbox-size derivative (longest edge at most 2048 px)",
    "operationId": "getPreview",
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
      "description": "The derivative; upright, no metadata. Vary: Accept.",
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
      "$ref": "#/components/responses/Problem"
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
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
    "summary": "The web page: upload form and the newest pictures",
    "operationId": "indexPage",
    "responses": {
     "200": {
      "description": "HTML page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "503": {
      "$ref": "#/components/responses/Problem"
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
    }
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
    return doc.dump(1);
  }();
  return document.c_str();
}

}  // namespace gallery::api
