// The output metrics (MODEL.md §4), in the order every writer uses.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace extrasim {

enum class Metric : int {
  kMunicipalityFsBenefit,
  kMunicipalityXjWageCost,
  kMunicipalityXjSubsidy,
  kMunicipalitySupervisionSupport,
  kMunicipalitySupervisionCost,
  kMunicipalityAdminCost,
  kMunicipalityTaxRevenue,
  kMunicipalityBonus,
  kMunicipalityWorkValue,  // not cash: not part of municipality.net (MODEL.md §9)
  kRegionTaxRevenue,
  kStateSubsidyPaid,
  kStateEmployerFees,
  kStateBenefits,  // v1's state.activity_support, which stays an alias in outputs
  kStateTaxRevenue,
  kStateTaxTransfer,
  kStateBonus,
  kIndividualIncome,
  kIndividualTax,
  kIndividualDisposableIncome,
  kMunicipalityNet,
  kRegionNet,
  kStateNet,
  kPublicNet,
  kPvMunicipalityNet,
  kPvRegionNet,
  kPvStateNet,
  kPvPublicNet,
  kMonthsFs,
  kMonthsXj,
  kMonthsJob,
  kMonthsOther,
  kMonthsExit,
  kStartsXj,
  kIntakeUnfilled,
  kTwinXjBaselineJob,  // person-months in xj whose baseline twin is in job (MODEL.md §9)
  kTwinXjBaselineFs,   // ... in fs; both on the difference side only
  kEndFs,
  kEndXj,
  kEndJob,
  kEndOther,
  kEndExit,
};

inline constexpr int kMetricCount = static_cast<int>(Metric::kEndExit) + 1;

std::string_view metric_name(Metric m);                     // "municipality.net", ...
std::optional<Metric> parse_metric(std::string_view name);  // nullopt if unknown; aliases too
// An older name the outputs also carry for compatibility ("state.activity_support" for
// state.benefits), or empty.
std::string_view metric_alias(Metric m);

constexpr int index_of(Metric m) { return static_cast<int>(m); }
constexpr Metric metric_at(int i) { return static_cast<Metric>(i); }

// Present values exist only when the discount rate is positive.
constexpr bool is_present_value(Metric m) {
  return m == Metric::kPvMunicipalityNet || m == Metric::kPvRegionNet || m == Metric::kPvStateNet ||
         m == Metric::kPvPublicNet;
}
// end.* are stocks (people during the last month of a period); all else sums over months.
constexpr bool is_stock(Metric m) { return index_of(m) >= index_of(Metric::kEndFs); }
constexpr bool is_money(Metric m) { return index_of(m) < index_of(Metric::kMonthsFs); }
// Twins exist only in Monte Carlo runs (scenario and baseline side by side), and only as a
// difference: they are counted on the scenario side, the baseline's are 0.
constexpr bool is_twin(Metric m) { return m == Metric::kTwinXjBaselineJob || m == Metric::kTwinXjBaselineFs; }

using MetricValues = std::array<double, kMetricCount>;

}  // namespace extrasim
