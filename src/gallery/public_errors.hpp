#pragma once

// The stores explain a refused input in their message (which field, which
// limit) but leave the public detail empty, as they do not know who reads
// it. Those messages name only the caller's own input, so the services show
// them to the client.

#include "common/status.hpp"

namespace gallery::service {

// `s` with its message as the public detail when it is kInvalidArgument
// without one; otherwise `s` unchanged.
inline Status ShowInvalidArgument(const Status& s) {
  if (s.code() != ErrorCode::kInvalidArgument || !s.public_detail().empty()) return s;
  return Status(s.code(), s.message(), s.message());
}

}  // namespace gallery::service
