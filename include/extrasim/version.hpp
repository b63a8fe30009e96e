#pragma once

namespace extrasim {
inline constexpr const char* kVersion = "1.0.0";
}
