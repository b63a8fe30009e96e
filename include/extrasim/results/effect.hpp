// The planner's question: what does the programme change, per budget year and in total, for
// each payer? The effect is the difference side (scenario − the same people without the
// programme) of the payers' nets and of the person's disposable income, with the 95 %
// interval of the replications' differences. A calendar year the horizon covers only in part
// is marked, so that three months are not read as a year.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "extrasim/results/results.hpp"

namespace extrasim {

inline constexpr std::array<Metric, 5> kEffectLines = {Metric::kMunicipalityNet, Metric::kRegionNet, Metric::kStateNet,
                                                       Metric::kPublicNet, Metric::kIndividualDisposableIncome};

struct EffectPeriod {
  int year = 0;           // 0: the whole horizon
  int months = 0;         // months of the horizon in the period
  std::string covered;    // "Jan-Dec", "Dec", "Jan-Jun"; empty for the whole horizon
  int first_month = 0, last_month = 0;  // 1..12 within the year; 0 for the whole horizon
  bool partial = false;   // a calendar year the horizon covers only in part
  std::array<Summary, kEffectLines.size()> lines;
};

struct Effect {
  std::vector<EffectPeriod> periods;  // the calendar years in order, then the whole horizon
};

Effect effect_of(const RunResult& result);

// "2017", or "2015 (Dec only)" / "2017 (Jan-Jun)" for a partial year, or "total".
std::string period_label(const EffectPeriod& period);

}  // namespace extrasim
