// The one catalogue of words people read: metric labels, column titles and headings, in
// English (the code names, what programs read) and Swedish (what a planner in a Swedish
// municipality would write). Writers ask it instead of spelling labels themselves.
#pragma once

#include <string>
#include <string_view>

#include "extrasim/model/metrics.hpp"
#include "extrasim/results/effect.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

enum class Language { kEnglish, kSwedish };

// "en" or "sv"; InputError (flag --lang) otherwise.
Language parse_language(const std::string& code);

// A metric as people read it: its code name in English, its Swedish label in Swedish.
std::string_view metric_label(Metric m, Language language);

// The words of tables and headings, by key ("budget year", "effect title", ...): the key
// itself in English unless the catalogue says otherwise.
std::string_view word(std::string_view key, Language language);

// A number in the language's convention: "1,234,567" / "-5" (English), "1 234 567" / "−5"
// (Swedish, with a decimal comma).
std::string number_text(double v, int decimals, Language language);

// A budget year as people read it: "2017", "2015 (Dec only)" / "2015 (endast dec)", "2017
// (Jan-Jun)" / "2017 (jan-jun)", "total" / "hela perioden".
std::string period_text(const EffectPeriod& period, Language language);

// A warning in words, named after its scenario when it has one ("motala: ...").
std::string warning_text(const Warning& warning, Language language);

// "In 3 replications a drawn transition row summed above 1 and was scaled to 1."
std::string rows_scaled_text(std::int64_t replications, Language language);

}  // namespace extrasim
