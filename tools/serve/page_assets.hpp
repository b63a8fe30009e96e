// The page's files, compiled in from tools/serve/page/ (page_assets.cpp.in).
#pragma once

#include <string_view>

namespace extrasim::serve {

struct PageAsset {
  std::string_view path;          // "/", "/app.js", ...
  std::string_view content_type;
  std::string_view body;
};

// nullptr when `path` is none of the page's files.
const PageAsset* find_page_asset(std::string_view path);

}  // namespace extrasim::serve
