#include "api/users_handler.hpp"

#include "api/authenticate.hpp"
#include "api/json_body.hpp"
#include "api/request_input.hpp"
#include "api/user_json.hpp"
#include "common/crypto.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
namespace field = boost::beast::http;
using http::HttpStatus;
using http::Request;
using http::Response;

Status Invalid(std::string detail) { return Status(ErrorCode::kInvalidArgument, detail, detail); }

// Authenticates and requires the admin role (403 otherwise).
asio::awaitable<Result<Principal>> AuthenticateAdmin(ApiContext& ctx, const Request& req) {
  Result<Principal> who = co_await Authenticate(ctx, req);
  if (who.ok() && !who->admin()) {
    co_return Status(ErrorCode::kForbidden, "not an admin", "Only admins can manage users");
  }
  co_return who;
}

struct UserAnswer {
  db::UserRecord user;
  int64_t used_bytes = 0;
};

// The user and their usage, on the blocking pool.
Result<UserAnswer> WithUsage(ApiContext& ctx, Result<db::UserRecord> user) {
  if (!user.ok()) return user.status();
  Result<int64_t> used = ctx.auth.UsedBytes(user->id);
  if (!used.ok()) return used.status();
  return UserAnswer{std::move(user).value(), *used};
}

Result<db::UserRole> RoleOf(const std::optional<std::string>& name) {
  if (!name) return db::UserRole::kUser;
  std::optional<db::UserRole> role = ParseUserRole(*name);
  if (!role) return Invalid("role must be \"admin\" or \"user\"");
  return *role;
}

// The users listing's cursor is the last email of the page, base64url: the
// client treats it as opaque.
Result<std::optional<std::string>> EmailCursor(const Request& req) {
  std::optional<std::string> cursor = req.QueryParam("cursor");
  if (!cursor || cursor->empty()) return std::optional<std::string>();
  std::string email;
  if (!Base64UrlDecode(*cursor, &email) || email.empty()) {
    return Invalid("cursor is not one this server issued");
  }
  return std::optional(std::move(email));
}

Result<service::UserUpdate> ParseUpdate(const nlohmann::json& body) {
  static constexpr const char* kFields[] = {"role", "quota_bytes", "disabled", "password"};
  for (const auto& [key, value] : body.items()) {
    if (std::find_if(std::begin(kFields), std::end(kFields),
                     [&key](const char* f) { return key == f; }) == std::end(kFields)) {
      return Invalid("unknown field '" + key +
                     "': a user's role, quota_bytes, disabled and password can be changed");
    }
  }
  service::UserUpdate update;
  Result<std::optional<std::string>> role = OptionalString(body, "role");
  if (!role.ok()) return role.status();
  if (*role) {
    Result<db::UserRole> r = RoleOf(*role);
    if (!r.ok()) return r.status();
    update.role = *r;
  }
  Result<std::optional<int64_t>> quota = OptionalInt(body, "quota_bytes");
  if (!quota.ok()) return quota.status();
  update.quota_bytes = *quota;
  Result<std::optional<bool>> disabled = OptionalBool(body, "disabled");
  if (!disabled.ok()) return disabled.status();
  update.disabled = *disabled;
  Result<std::optional<std::string>> password = OptionalString(body, "password");
  if (!password.ok()) return password.status();
  update.password = std::move(password).value();
  return update;
}

}  // namespace

void RegisterUserRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(http::Verb::get, "/api/v1/users", [&ctx](Request& req) -> asio::awaitable<Response> {
    Result<Principal> who = co_await AuthenticateAdmin(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    Result<int> limit = PageLimit(req);
    if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
    Result<std::optional<std::string>> after = EmailCursor(req);
    if (!after.ok()) co_return http::ProblemResponse(after.status(), req);
    const int n = *limit;
    Result<std::pair<db::UserPage, std::vector<int64_t>>> page = co_await http::Offload(
        ctx.blocking, [&ctx, &after, n]() -> Result<std::pair<db::UserPage, std::vector<int64_t>>> {
          Result<db::UserPage> p = ctx.auth.ListUsers(*after, n);
          if (!p.ok()) return p.status();
          std::vector<int64_t> used;
          for (const db::UserRecord& u : p->users) {
            Result<int64_t> bytes = ctx.auth.UsedBytes(u.id);
            if (!bytes.ok()) return bytes.status();
            used.push_back(*bytes);
          }
          return std::make_pair(std::move(p).value(), std::move(used));
        });
    if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
    nlohmann::json users = nlohmann::json::array();
    for (size_t i = 0; i < page->first.users.size(); ++i) {
      users.push_back(UserJson(page->first.users[i], page->second[i]));
    }
    nlohmann::json next = nullptr;
    if (page->first.next) next = Base64UrlEncode(*page->first.next);
    Response r =
        http::JsonResponse(HttpStatus::ok, {{"users", std::move(users)}, {"next_cursor", next}});
    r.msg.set(field::field::cache_control, "no-store");
    co_return r;
  });

  router.Add(http::Verb::post, "/api/v1/users", [&ctx](Request& req) -> asio::awaitable<Response> {
    Result<Principal> who = co_await AuthenticateAdmin(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    Result<nlohmann::json> body = ParseJsonObject(req);
    if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
    Result<std::string> email = RequiredString(*body, "email");
    if (!email.ok()) co_return http::ProblemResponse(email.status(), req);
    Result<std::string> password = RequiredString(*body, "password");
    if (!password.ok()) co_return http::ProblemResponse(password.status(), req);
    Result<std::optional<std::string>> role_name = OptionalString(*body, "role");
    if (!role_name.ok()) co_return http::ProblemResponse(role_name.status(), req);
    Result<db::UserRole> role = RoleOf(*role_name);
    if (!role.ok()) co_return http::ProblemResponse(role.status(), req);
    Result<std::optional<int64_t>> quota = OptionalInt(*body, "quota_bytes");
    if (!quota.ok()) co_return http::ProblemResponse(quota.status(), req);
    const db::UserRole r = *role;
    const int64_t q = quota->value_or(0);
    Result<db::UserRecord> user = co_await http::Offload(
        ctx.blocking,
        [&ctx, &email, &password, r, q] { return ctx.auth.CreateUser(*email, *password, r, q); });
    if (!user.ok()) co_return http::ProblemResponse(user.status(), req);
    co_return http::JsonResponse(HttpStatus::created, UserJson(*user, 0));
  });

  router.Add(http::Verb::get, "/api/v1/users/{id}",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<Principal> who = co_await AuthenticateAdmin(ctx, req);
               if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
               const std::string id = req.PathParam("id");
               Result<UserAnswer> user = co_await http::Offload(
                   ctx.blocking, [&ctx, &id] { return WithUsage(ctx, ctx.auth.GetUser(id)); });
               if (!user.ok()) co_return http::ProblemResponse(user.status(), req);
               co_return http::JsonResponse(HttpStatus::ok, UserJson(user->user, user->used_bytes));
             });

  router.Add(http::Verb::patch, "/api/v1/users/{id}",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<Principal> who = co_await AuthenticateAdmin(ctx, req);
               if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
               Result<nlohmann::json> body = ParseJsonObject(req);
               if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
               Result<service::UserUpdate> update = ParseUpdate(*body);
               if (!update.ok()) co_return http::ProblemResponse(update.status(), req);
               const std::string id = req.PathParam("id");
               const std::string& actor = who->user_id;
               Result<UserAnswer> user =
                   co_await http::Offload(ctx.blocking, [&ctx, &id, &update, &actor] {
                     return WithUsage(ctx, ctx.auth.UpdateUser(id, *update, actor));
                   });
               if (!user.ok()) co_return http::ProblemResponse(user.status(), req);
               co_return http::JsonResponse(HttpStatus::ok, UserJson(user->user, user->used_bytes));
             });
}

}  // namespace gallery::api
