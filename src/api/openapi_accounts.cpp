#include "api/openapi_parts.hpp"

namespace gallery::api {

// Accounts: sign-in, sessions, CSRF, personal API tokens, users. Kept in
// step with auth_handler.cpp, tokens_handler.cpp and users_handler.cpp.
const char* OpenApiAccountsPart() {
  return R"json(
{
 "paths": {
  "/api/v1/auth/login": {
   "post": {
    "summary": "Sign in with email and password",
    "description": "Opens a server-side session and sets the `gallery_session` cookie (HttpOnly; SameSite=Lax; Path=/; Secure when the request came over HTTPS, including `X-Forwarded-Proto: https`). A wrong email, a wrong password and a disabled account get the same 401. Failures are counted per account and per client address: past the limit the answer is 429 with `Retry-After` (seconds) until enough failures have aged out of the window. The body must be `application/json`.",
    "operationId": "login",
    "security": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/LoginRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Signed in; the session cookie is set.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuthAnswer"
        }
       }
      },
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        },
        "description": "gallery_session=<token>; Path=/; Max-Age=<lifetime>; HttpOnly; [Secure;] SameSite=Lax"
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "429": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/auth/logout": {
   "post": {
    "summary": "Sign out: ends the session and clears the cookie",
    "operationId": "logout",
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
      "description": "Signed out."
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/auth/me": {
   "get": {
    "summary": "The signed-in user, and the session's CSRF token again (null with a Bearer token)",
    "operationId": "me",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "responses": {
     "200": {
      "description": "The user.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuthAnswer"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/auth/password": {
   "put": {
    "summary": "Change my password; every other session of mine is signed out",
    "operationId": "changePassword",
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
        "$ref": "#/components/schemas/PasswordChange"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Changed."
     },
     "400": {
      "$ref": "#/components/responses/Problem"
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "429": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/tokens": {
   "get": {
    "summary": "My personal API tokens, revoked ones included, newest first",
    "operationId": "listTokens",
    "security": [
     {
      "sessionCookie": []
     },
     {
      "bearerToken": []
     }
    ],
    "responses": {
     "200": {
      "description": "The tokens (never their secret).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ApiTokenList"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   },
   "post": {
    "summary": "Create a personal API token (`Authorization: Bearer <token>`); the token is shown only in this answer",
    "operationId": "createToken",
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
        "type": "object",
        "required": [
         "name"
        ],
        "properties": {
         "name": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
         }
        }
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/NewApiToken"
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
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/tokens/{id}": {
   "delete": {
    "summary": "Revoke one of my tokens (another user's id answers 404)",
    "operationId": "revokeToken",
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
      }
     },
     {
      "$ref": "#/components/parameters/CsrfToken"
     }
    ],
    "responses": {
     "204": {
      "description": "Revoked."
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "403": {
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
  "/api/v1/users": {
   "get": {
    "summary": "Users by email (admins only)",
    "operationId": "listUsers",
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
      }
     }
    ],
    "responses": {
     "200": {
      "description": "A page of users.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UserPage"
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
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   },
   "post": {
    "summary": "Create a user (admins only)",
    "operationId": "createUser",
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
        "$ref": "#/components/schemas/NewUser"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
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
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "409": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   }
  },
  "/api/v1/users/{id}": {
   "get": {
    "summary": "One user (admins only)",
    "operationId": "getUser",
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
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The user.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Problem"
     },
     "403": {
      "$ref": "#/components/responses/Problem"
     },
     "404": {
      "$ref": "#/components/responses/Problem"
     },
     "503": {
      "$ref": "#/components/responses/Problem"
     }
    }
   },
   "patch": {
    "summary": "Change a user's role, quota, disabled flag or password (admins only). A new password or disabling signs the user out everywhere. An admin cannot demote or disable themselves.",
    "operationId": "updateUser",
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
      }
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
        "$ref": "#/components/schemas/UserUpdate"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The user as changed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
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
     "403": {
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
  }
 },
 "components": {
  "securitySchemes": {
   "sessionCookie": {
    "type": "apiKey",
    "in": "cookie",
    "name": "gallery_session",
    "description": "Set by POST /api/v1/auth/login. Requests that change state (POST, PUT, PATCH, DELETE) also need X-CSRF-Token."
   },
   "bearerToken": {
    "type": "http",
    "scheme": "bearer",
    "description": "A personal API token from POST /api/v1/tokens. No CSRF token needed."
   }
  },
  "parameters": {
   "CsrfToken": {
    "name": "X-CSRF-Token",
    "in": "header",
    "required": false,
    "schema": {
     "type": "string"
    },
    "description": "The session's CSRF token; required when authenticated by the session cookie (else 403 /errors/csrf-token-invalid)."
   }
  },
  "schemas": {
   "User": {
    "type": "object",
    "required": [
     "id",
     "email",
     "role",
     "quota_bytes",
     "used_bytes",
     "created_at",
     "disabled"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "role": {
      "type": "string",
      "enum": [
       "admin",
       "user"
      ]
     },
     "quota_bytes": {
      "type": "integer",
      "description": "Bytes of originals allowed; 0 = unlimited."
     },
     "used_bytes": {
      "type": "integer"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "disabled": {
      "type": "boolean"
     }
    }
   },
   "UserPage": {
    "type": "object",
    "required": [
     "users",
     "next_cursor"
    ],
    "properties": {
     "users": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/User"
      }
     },
     "next_cursor": {
      "type": "string",
      "nullable": true
     }
    }
   },
   "NewUser": {
    "type": "object",
    "required": [
     "email",
     "password"
    ],
    "properties": {
     "email": {
      "type": "string"
     },
     "password": {
      "type": "string",
      "minLength": 8
     },
     "role": {
      "type": "string",
      "enum": [
       "admin",
       "user"
      ],
      "default": "user"
     },
     "quota_bytes": {
      "type": "integer",
      "minimum": 0,
      "default": 0
     }
    }
   },
   "UserUpdate": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "role": {
      "type": "string",
      "enum": [
       "admin",
       "user"
      ]
     },
     "quota_bytes": {
      "type": "integer",
      "minimum": 0
     },
     "disabled": {
      "type": "boolean"
     },
     "password": {
      "type": "string",
      "minLength": 8
     }
    }
   },
   "LoginRequest": {
    "type": "object",
    "required": [
     "email",
     "password"
    ],
    "properties": {
     "email": {
      "type": "string"
     },
     "password": {
      "type": "string"
     }
    }
   },
   "AuthAnswer": {
    "type": "object",
    "required": [
     "user",
     "csrf_token"
    ],
    "properties": {
     "user": {
      "$ref": "#/components/schemas/User"
     },
     "csrf_token": {
      "type": "string",
      "nullable": true,
      "description": "Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie. Null when authenticated by a Bearer token."
     }
    }
   },
   "PasswordChange": {
    "type": "object",
    "required": [
     "current_password",
     "new_password"
    ],
    "properties": {
     "current_password": {
      "type": "string"
     },
     "new_password": {
      "type": "string",
      "minLength": 8
     }
    }
   },
   "ApiToken": {
    "type": "object",
    "required": [
     "id",
     "name",
     "created_at",
     "last_used_at",
     "revoked_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_used_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     },
     "revoked_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     }
    }
   },
   "ApiTokenList": {
    "type": "object",
    "required": [
     "tokens"
    ],
    "properties": {
     "tokens": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ApiToken"
      }
     }
    }
   },
   "NewApiToken": {
    "type": "object",
    "required": [
     "id",
     "name",
     "token",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "token": {
      "type": "string",
      "description": "The secret, shown only here."
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_used_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     },
     "revoked_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     }
    }
   }
  }
 }
}
)json";
}

}  // namespace gallery::api
