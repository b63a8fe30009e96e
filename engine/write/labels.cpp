#include "extrasim/write/labels.hpp"

#include <array>
#include <utility>

#include "extrasim/error.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

// Swedish labels in Metric order (metrics.hpp), as a municipal economist would write them.
constexpr std::array<std::string_view, kMetricCount> kSwedishMetrics = {
    "kommunen: försörjningsstöd",
    "kommunen: lönekostnad extratjänster",
    "kommunen: lönestöd från staten",
    "kommunen: handledarstöd",
    "kommunen: handledningskostnad",
    "kommunen: administration",
    "kommunen: skatteintäkter",
    "kommunen: prestationsbaserad ersättning",
    "kommunen: arbetets värde (ej kontant)",
    "regionen: skatteintäkter",
    "staten: lönestöd och handledarstöd",
    "staten: arbetsgivaravgifter",
    "staten: ersättningar (aktivitetsstöd m.m.)",
    "staten: inkomstskatt",
    "staten: skatt vidare till kommun och region",
    "staten: prestationsbaserad ersättning",
    "personen: inkomst före skatt",
    "personen: skatt",
    "personen: disponibel inkomst",
    "kommunens netto",
    "regionens netto",
    "statens netto",
    "offentlig sektor, netto",
    "kommunens netto, nuvärde",
    "regionens netto, nuvärde",
    "statens netto, nuvärde",
    "offentlig sektor, netto, nuvärde",
    "personmånader med försörjningsstöd",
    "personmånader i extratjänst",
    "personmånader i arbete",
    "personmånader i annat",
    "personmånader utflyttade",
    "påbörjade extratjänster",
    "tomma platsmånader",
    "extratjänstmånader där tvillingen utan programmet arbetade (dödviktsmånader)",
    "extratjänstmånader där tvillingen utan programmet hade försörjningsstöd",
    "personer med försörjningsstöd vid periodens slut",
    "personer i extratjänst vid periodens slut",
    "personer i arbete vid periodens slut",
    "personer i annat vid periodens slut",
    "personer utflyttade vid periodens slut",
};

constexpr std::pair<std::string_view, std::string_view> kSwedishWords[] = {
    {"budget year", "budgetår"},
    {"total", "hela perioden"},
    {"effect title", "Programmets effekt: scenariot minus samma personer utan programmet, kronor, per budgetår"},
    {"mean [95 % interval]", "medelvärde [95 % intervall]"},
    {"partial year note", "Ett år med månader inom parentes är ofullständigt: bara de månaderna ingår."},
    {"Whole period", "Hela perioden"},
    {"scenario", "scenario"},
    {"baseline", "utan programmet"},
    {"difference", "skillnad"},
    {"95 % interval of difference", "95 % intervall för skillnaden"},
    {"P(diff > 0)", "P(skillnad > 0)"},
    {"yearly title", "Skillnad per kalenderår"},
    {"metric", "mått"},
    {"side", "sida"},
    {"period", "period"},
    {"mean", "medelvärde"},
    {"sd", "standardavvikelse"},
    {"se", "medelfel"},
    {"p05", "5:e percentil"},
    {"p50", "median"},
    {"p95", "95:e percentil"},
    {"p025", "2,5:e percentil"},
    {"p975", "97,5:e percentil"},
    {"warning", "varning"},
    {"money note", "Kronor, löpande priser; tecken = pengar in för den som betalar; skillnad = scenario - utan programmet."},
};

}  // namespace

Language parse_language(const std::string& code) {
  if (code == "en") return Language::kEnglish;
  if (code == "sv") return Language::kSwedish;
  throw InputError({"--lang " + printable(code)}, "", "'" + printable(code) + "'", "en (English) or sv (svenska)");
}

std::string_view metric_label(Metric m, Language language) {
  return language == Language::kSwedish ? kSwedishMetrics[index_of(m)] : metric_name(m);
}

std::string_view word(std::string_view key, Language language) {
  if (language == Language::kSwedish) {
    for (const auto& [k, sv] : kSwedishWords) {
      if (k == key) return sv;
    }
  }
  return key;
}

std::string number_text(double v, int decimals, Language language) {
  if (language == Language::kEnglish) return text::grouped(v, decimals);
  std::string s = text::grouped(v, decimals, " ", "\u2212");
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s;
}

}  // namespace extrasim
