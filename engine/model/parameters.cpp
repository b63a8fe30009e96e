#include "extrasim/model/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <vector>

#include "extrasim/simulate/rng.hpp"

namespace extrasim {

namespace {

using Parts = std::vector<std::string_view>;
using Resolved = std::variant<ParameterRef, std::string>;

Parts split_path(std::string_view path) {
  Parts parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::optional<std::size_t> parse_index(std::string_view s) {
  std::size_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

const std::string kNothing = "names nothing in the scenario";
const std::string kInteger = "is an integer and cannot be uncertain";

Resolved plain(ParameterKind kind, double* v, const Parts& rest) {
  if (!rest.empty()) return kNothing;
  return ParameterRef{kind, v, nullptr};
}

// A timeline, or one entry's value: "<timeline>" or "<timeline>.<i>.value".
Resolved timeline(ParameterKind kind, Timeline* t, const Parts& rest) {
  if (rest.empty()) return ParameterRef{kind, nullptr, t};
  const auto i = parse_index(rest[0]);
  if (!t->written_as_list() || !i || *i >= t->entries().size() || rest.size() != 2 ||
      rest[1] != "value") {
    return kNothing;
  }
  return ParameterRef{kind, &t->entries()[*i].value, nullptr};
}

Resolved per_state(ParameterKind kind, PerState& values, const std::array<bool, kStateCount>* named,
                   const Parts& rest) {
  if (rest.size() != 1) return kNothing;
  const auto s = parse_state(rest[0]);
  if (!s || (named && !(*named)[index_of(*s)])) return kNothing;
  return ParameterRef{kind, &values[index_of(*s)], nullptr};
}

// "fs.job" for a flat row, "other.0.to.fs" for a banded one.
Resolved in_transitions(Transitions& rows, const Parts& rest) {
  if (rest.empty()) return kNothing;
  const auto origin = parse_state(rest[0]);
  if (!origin || !rows[index_of(*origin)]) return kNothing;
  Row& row = *rows[index_of(*origin)];
  const Parts tail(rest.begin() + 1, rest.end());
  if (!row.banded) return per_state(ParameterKind::kProbability, row.bands[0].to, &row.bands[0].named, tail);
  if (tail.size() != 3 || tail[1] != "to") return tail.size() == 2 && tail[1] == "until" ? kInteger : kNothing;
  const auto b = parse_index(tail[0]);
  if (!b || *b >= row.bands.size()) return kNothing;
  Band& band = row.bands[*b];
  return per_state(ParameterKind::kProbability, band.to, &band.named, Parts{tail[2]});
}

Resolved in_group(Group& g, const Parts& rest) {
  if (rest.empty()) return kNothing;
  const std::string_view key = rest[0];
  const Parts tail(rest.begin() + 1, rest.end());
  if (key == "fs_benefit") return timeline(ParameterKind::kMoney, &g.fs_benefit, tail);
  if (key == "wage") return timeline(ParameterKind::kMoney, &g.wage, tail);
  if (key == "job_wage") return timeline(ParameterKind::kMoney, &g.job_wage, tail);
  if (key == "activity_support") return timeline(ParameterKind::kMoney, &g.activity_support, tail);
  if (key == "fs_topup_in_xj") return timeline(ParameterKind::kMoney, &g.fs_topup_in_xj, tail);
  if (key == "working_time") return plain(ParameterKind::kShare, &g.working_time, tail);
  if (key == "transitions") return in_transitions(g.transitions, tail);
  if (key == "size" || key == "initial_duration") return kInteger;
  if (key == "initial") return std::string("initial shares cannot be uncertain (their split is fixed)");
  return kNothing;
}

Resolved in_programme(Programme& p, const Parts& rest) {
  if (rest.empty()) return kNothing;
  const std::string_view key = rest[0];
  const Parts tail(rest.begin() + 1, rest.end());
  if (key == "extension_probability") return plain(ParameterKind::kProbability, &p.extension_probability, tail);
  if (key == "on_expiry") return per_state(ParameterKind::kShare, p.on_expiry, nullptr, tail);
  if (key == "supervision_cost") return timeline(ParameterKind::kMoney, &p.supervision_cost, tail);
  if (key == "decision_months" || key == "max_months" || key == "intake") return kInteger;
  if (key == "subsidy" && !tail.empty()) {
    const Parts more(tail.begin() + 1, tail.end());
    if (tail[0] == "share") return timeline(ParameterKind::kShare, &p.subsidy.share, more);
    if (tail[0] == "cap_per_day" && p.subsidy.cap_per_day) {
      return timeline(ParameterKind::kMoney, &*p.subsidy.cap_per_day, more);
    }
    if (tail[0] == "days_per_month") return plain(ParameterKind::kMoney, &p.subsidy.days_per_month, more);
  }
  if (key == "supervision_support" && p.supervision_support && tail.size() == 1) {
    if (tail[0] == "first_per_day") return ParameterRef{ParameterKind::kMoney, &p.supervision_support->first_per_day, nullptr};
    if (tail[0] == "then_per_day") return ParameterRef{ParameterKind::kMoney, &p.supervision_support->then_per_day, nullptr};
    if (tail[0] == "first_months") return kInteger;
  }
  return kNothing;
}

Resolved in_accounting(Accounting& a, const Parts& rest) {
  if (rest.empty()) return kNothing;
  const Parts tail(rest.begin() + 1, rest.end());
  if (rest[0] == "statutory_fee") return timeline(ParameterKind::kRate, &a.statutory_fee, tail);
  if (rest[0] == "payroll_oncost") return timeline(ParameterKind::kRate, &a.payroll_oncost, tail);
  if (rest[0] == "municipal_tax_rate") return timeline(ParameterKind::kRate, &a.municipal_tax_rate, tail);
  if (rest[0] == "discount_rate") return plain(ParameterKind::kRate, &a.discount_rate, tail);
  return kNothing;
}

}  // namespace

std::variant<ParameterRef, std::string> resolve_parameter(Scenario& sc, std::string_view path) {
  const Parts parts = split_path(path);
  const std::string_view head = parts[0];
  const Parts rest(parts.begin() + 1, parts.end());
  if (head == "transitions") return in_transitions(sc.transitions, rest);
  if (head == "programme" && sc.programme) return in_programme(*sc.programme, rest);
  if (head == "accounting") return in_accounting(sc.accounting, rest);
  if (head == "groups" && !rest.empty()) {
    for (Group& g : sc.groups) {
      if (g.name == rest[0]) return in_group(g, Parts(rest.begin() + 1, rest.end()));
    }
    if (const auto i = parse_index(rest[0]); i && *i < sc.groups.size()) {
      return in_group(sc.groups[*i], Parts(rest.begin() + 1, rest.end()));
    }
  }
  if ((head == "seed" || head == "replications") && rest.empty()) return kInteger;
  if (head == "calendar") return kInteger;
  return kNothing;
}

void assign(const ParameterRef& ref, double v) {
  const double clamped =
      ref.kind == ParameterKind::kMoney ? std::max(0.0, v) : std::clamp(v, 0.0, 1.0);
  if (ref.timeline) {
    *ref.timeline = Timeline(clamped);
  } else {
    *ref.value = clamped;
  }
}

namespace {

// Successive uniforms of one parameter's stream.
class UniformStream {
 public:
  UniformStream(std::uint64_t seed, std::uint64_t replication, std::uint32_t parameter)
      : streams_(seed, replication), parameter_(parameter) {}
  double next() {
    if (used_ == 4) {
      words_ = streams_.parameter_words(parameter_, block_++);
      used_ = 0;
    }
    return to_unit(words_[used_++]);
  }
  double normal() {  // Box-Muller, one of the pair
    const double r = std::sqrt(-2.0 * std::log(next()));
    return r * std::cos(2.0 * std::numbers::pi * next());
  }
  // Marsaglia and Tsang (2000); shape < 1 by the boost Gamma(a + 1) * U^(1/a).
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(next(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double z, v;
      do {
        z = normal();
        v = 1.0 + c * z;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = next();
      if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
    }
  }

 private:
  ReplicationStreams streams_;
  std::uint32_t parameter_;
  std::uint32_t block_ = 0;
  std::array<std::uint32_t, 4> words_{};
  int used_ = 4;
};

bool scale_rows(Transitions& rows) {
  bool scaled = false;
  for (auto& row : rows) {
    if (!row) continue;
    for (Band& band : row->bands) {
      double sum = 0.0;
      for (double p : band.to) sum += p;
      if (sum > 1.0 + 1e-12) {
        for (double& p : band.to) p /= sum;
        scaled = true;
      }
    }
  }
  return scaled;
}

}  // namespace

double sample(const Distribution& d, std::uint64_t seed, std::uint64_t replication,
              std::uint32_t parameter) {
  UniformStream u(seed, replication, parameter);
  switch (d.kind) {
    case Distribution::Kind::kFixed: return d.a;
    case Distribution::Kind::kUniform: return d.a + (d.b - d.a) * u.next();
    case Distribution::Kind::kNormal: return d.a + d.b * u.normal();
    case Distribution::Kind::kLognormal: return std::exp(d.a + d.b * u.normal());
    case Distribution::Kind::kBeta: {
      const double x = u.gamma(d.a);
      const double y = u.gamma(d.b);
      return x / (x + y);
    }
  }
  return d.a;
}

Scenario draw_parameters(const Scenario& base, std::uint64_t replication, DrawRepairs* repairs) {
  Scenario sc = base;
  for (std::size_t k = 0; k < sc.uncertainty.size(); ++k) {
    const UncertainParameter& up = sc.uncertainty[k];
    const auto ref = resolve_parameter(sc, up.path);
    // The loader resolved every path already; a failure here is a programming error.
    if (!std::holds_alternative<ParameterRef>(ref)) throw std::logic_error("unresolved " + up.path);
    assign(std::get<ParameterRef>(ref),
           sample(up.distribution, sc.seed, replication, static_cast<std::uint32_t>(k)));
  }
  bool scaled = scale_rows(sc.transitions);
  for (Group& g : sc.groups) scaled = scale_rows(g.transitions) || scaled;
  bool normalised = false;
  if (sc.programme) {
    PerState& shares = sc.programme->on_expiry;
    double sum = 0.0;
    for (double s : shares) sum += s;
    if (sum <= 0.0) {
      const auto it = std::find_if(sc.uncertainty.begin(), sc.uncertainty.end(), [](const auto& u) {
        return u.path.starts_with("programme.on_expiry");
      });
      throw InputError(it == sc.uncertainty.end() ? SourceLocation{sc.source_file} : it->where,
                       "programme.on_expiry", "drawn shares all zero in replication " +
                       std::to_string(replication), "at least one positive share");
    }
    if (std::abs(sum - 1.0) > 1e-12) {
      for (double& s : shares) s /= sum;
      normalised = true;
    }
  }
  if (repairs) *repairs = {scaled, normalised};
  return sc;
}

}  // namespace extrasim
