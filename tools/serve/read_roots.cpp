#include "read_roots.hpp"

#include <algorithm>

#include "extrasim/error.hpp"
#include "extrasim/io/input_file.hpp"

namespace extrasim::serve {

namespace fs = std::filesystem;

namespace {

// Whether `path` is `dir` or below it (both canonical), component by component.
bool inside(const fs::path& dir, const fs::path& path) {
  const auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

}  // namespace

void ReadRoots::add(const std::string& label, const fs::path& dir) {
  std::error_code ec;
  const fs::path real = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(real)) throw InputError({"--scenarios"}, "", "'" + printable(dir.string()) + "'", "a folder");
  roots_.push_back({label, real});
}

fs::path ReadRoots::resolve(const std::string& name) const {
  const InputError refused({printable(name)}, "", "not a file the server may read", "a file under " + labels());
  if (name.empty() || name.find('\0') != std::string::npos || name.find('\\') != std::string::npos) throw refused;
  const fs::path relative = fs::path(name).lexically_normal();
  if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") throw refused;
  const std::string label = relative.begin()->string();
  const auto root = std::find_if(roots_.begin(), roots_.end(), [&](const Root& r) { return r.label == label; });
  if (root == roots_.end()) throw refused;
  std::error_code ec;
  const fs::path real = fs::canonical(root->dir / relative.lexically_relative(label), ec);
  if (ec || !inside(root->dir, real) || !fs::is_regular_file(real, ec)) throw refused;
  return real;
}

std::string ReadRoots::read(const std::string& name, std::size_t limit) const {
  const fs::path real = resolve(name);
  try {
    return io::read_bounded(real.string(), limit, "a file");
  } catch (const InputError&) {
    throw InputError({printable(name)}, "", "a file that could not be read (or larger than " + io::describe_size(limit) + ")", "a readable file under " + labels());
  }
}

FileReferenceResolver ReadRoots::resolver() const {
  return [this](const std::string& named, const std::string& scenario_name) {
    const fs::path p(named);
    if (p.is_absolute()) resolve(named);  // refused with the name as written
    return resolve((fs::path(scenario_name).parent_path() / p).lexically_normal().string()).string();
  };
}

std::vector<std::string> ReadRoots::list(const std::string& label, const std::string& extension) const {
  std::vector<std::string> names;
  for (const Root& r : roots_) {
    if (r.label != label) continue;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(r.dir, ec)) {
      if (e.path().extension() != extension) continue;
      const std::string name = label + "/" + e.path().filename().string();
      try {
        resolve(name);
        names.push_back(name);
      } catch (const InputError&) {
        // a link out of the folder, or not a regular file: not offered
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadRoots::scrub(std::string text) const {
  for (const Root& r : roots_) replace_all(text, r.dir.string(), r.label);
  for (const std::string& h : hidden_) replace_all(text, h, "work");
  return text;
}

std::string ReadRoots::labels() const {
  std::string s;
  for (const Root& r : roots_) s += (s.empty() ? "" : ", ") + r.label + "/";
  return s;
}

}  // namespace extrasim::serve
