// The folders the server may read, and nothing else: every name a request (or a posted
// scenario) gives is "LABEL/relative/path" under one of them, resolved through symbolic links
// and refused when it ends up outside its folder. Messages show the labels, never the
// machine's paths (scrub()).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "extrasim/config/config.hpp"

namespace extrasim::serve {

class ReadRoots {
 public:
  // `dir` must be a folder; its label is how names start ("scenarios", "data").
  void add(const std::string& label, const std::filesystem::path& dir);

  // The real path of "LABEL/rest" if it is a regular file inside LABEL's folder (after
  // resolving links and ..); otherwise an InputError that names only `name`.
  std::filesystem::path resolve(const std::string& name) const;

  // The file's text (at most `limit` bytes), by its name as for resolve().
  std::string read(const std::string& name, std::size_t limit = kMaxFileBytes) const;

  // For the scenario loader: a file named inside the scenario `scenario_name` ("LABEL/x.yaml"),
  // relative to its folder, resolved as above.
  FileReferenceResolver resolver() const;

  // The names of the regular files directly in LABEL's folder ending in `extension`, sorted.
  std::vector<std::string> list(const std::string& label, const std::string& extension) const;

  // `text` with every folder's real path replaced by its label (and `extra` by "work").
  std::string scrub(std::string text) const;
  void also_scrub(const std::filesystem::path& dir) { hidden_.push_back(dir.string()); }

  std::string labels() const;  // "scenarios/, data/"

  static constexpr std::size_t kMaxFileBytes = 16u << 20;

 private:
  struct Root {
    std::string label;
    std::filesystem::path dir;  // canonical
  };
  std::vector<Root> roots_;
  std::vector<std::string> hidden_;
};

}  // namespace extrasim::serve
