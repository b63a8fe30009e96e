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
    // The comparison's table
    {"compare effect title", "Varje scenarios effekt: scenariot minus samma personer utan programmet, kronor, per budgetår, "
                             "medelvärde [95 % intervall]"},
    {"compare side by side title", "Sedan scenarierna sida vid sida (scenariosidan, med programmet), kronor i löpande priser; "
                                   "skillnaderna är parvisa per replikering, [95 % intervall], och andelen replikeringar där "
                                   "den är högre."},
    {"Budget year", "Budgetår"},
    // The report (report.hpp)
    {"report title", "extrasim-rapport"},
    {"What the extratjänster cost and save", "Vad extratjänsterna kostar och sparar"},
    {"report intro", "Kronor, löpande priser; tecken = pengar in för den som betalar. Jämförelsen är samma personer utan "
                     "programmet; alla scenarier möter samma slumptal. Intervall: 2,5:e till 97,5:e percentilen av replikeringarna."},
    {"Read before quoting", "Läs innan du citerar"},
    {"The programme's effect per budget year", "Programmets effekt per budgetår"},
    {"effect note", "Varje scenario minus samma personer utan programmet, per betalare: medelvärde och, under det, 95&nbsp;% "
                    "intervall. Ett år med månader inom parentes är ofullständigt."},
    {"of which the grant", "varav prestationsbaserad ersättning"},
    {"grant note", "Den prestationsbaserade ersättningen (municipality.bonus) ingår i kommunens netto; kolumnen visar den för sig."},
    {"People per month", "Personer per månad"},
    {"people note", "Median (linje) och 5&ndash;95&nbsp;% av replikeringarna (band); streckat: samma personer utan programmet (medelvärde)."},
    {"people chart label", "Personer per månad, median och 5–95 % band"},
    {"social assistance (fs)", "försörjningsstöd (fs)"},
    {"extratjänst (xj)", "extratjänst (xj)"},
    {"regular work (job)", "arbete (job)"},
    {"dashed: without the programme", "streckat: utan programmet"},
    {"persons", "personer"},
    {"points: observed, +-2 standard errors (the calibration's targets)", "punkter: observerat, ±2 medelfel (kalibreringens mål)"},
    {"The municipality's net gain per budget year", "Kommunens nettoeffekt per budgetår"},
    {"budget note", "Varje scenario minus samma personer utan programmet, medelvärde och 95&nbsp;% intervall; ett år med "
                    "månader inom parentes är ofullständigt."},
    {"budget chart label", "Programmets effekt på kommunens netto per budgetår"},
    {"municipality net effect, MSEK", "kommunens nettoeffekt, mnkr"},
    {"The municipality's net gain from the programme", "Kommunens nettoeffekt av programmet"},
    {"distribution note", "Skillnaden mot samma personer utan programmet över hela perioden, ett värde per replikering."},
    {"distribution chart label", "Fördelningen av skillnaden i kommunens netto"},
    {"difference in the municipality net, MSEK", "skillnad i kommunens netto, mnkr"},
    {"Comparison", "Jämförelse"},
    {"comparison note", "Scenariosidan; skillnaderna mot det första scenariot är parvisa per replikering."},
    {"Assumptions", "Antaganden"},
    {"Assumptions of", "Antaganden för"},
    {"assumptions note", "Scenariot som det kördes: varje parameter, standardvärden inräknade; <i>från</i> anger var värdet "
                         "kom ifrån (filens rad, en flagga som --set, eller standardvärdet)."},
    // The workbook (xlsx.hpp)
    {"xlsx effect title", "Programmets effekt: varje scenario minus samma personer utan programmet (kronor, löpande priser)"},
    {"xlsx paired title", "Parvisa skillnader mot det första scenariot (scenariosidan, per replikering)"},
    {"Summary", "Sammanfattning"},
    {"Ledger", "Poster"},
    {"People", "Personer"},
    {"Assumptions", "Antaganden"},
    {"Provenance", "Ursprung"},
    {"months", "månader"},
    {"month", "månad"},
    {"payer", "betalare"},
    {"95 % low", "95 % nedre"},
    {"95 % high", "95 % övre"},
    {"P(higher)", "P(högre)"},
    {"line", "post"},
    {"parameter", "parameter"},
    {"value", "värde"},
    {"from", "från"},
    {"source or note", "källa eller anmärkning"},
    {"default", "standardvärde"},
    {"what", "vad"},
    {"code", "kod"},
    {"random-number contract", "slumptalskontrakt"},
    {"input", "indata"},
    {"set", "ändrat med"},
    {"seed", "frö"},
    {"replications", "replikeringar"},
    {"threads", "trådar"},
    {"discount rate", "diskonteringsränta"},
    {"money note", "Kronor, löpande priser; tecken = pengar in för den som betalar; skillnad = scenario - utan programmet."},
};

// Keys whose English words differ from the key: sentences are keyed by a short name.
constexpr std::pair<std::string_view, std::string_view> kEnglishWords[] = {
    {"report title", "extrasim report"},
    {"report intro", "Money in kronor, nominal; sign = money in for the payer. The baseline is the same people without the "
                     "programme; every scenario meets the same random numbers. Intervals: 2.5th to 97.5th percentile of the "
                     "replications."},
    {"effect note", "Each scenario minus the same people without the programme, by payer: mean and, below it, the 95&nbsp;% "
                    "interval. A year in parentheses is partial."},
    {"grant note", "The performance-based grant (municipality.bonus) is part of the municipality net; its column shows it "
                   "on its own."},
    {"people note", "Median (line) and 5&ndash;95&nbsp;% of replications (band); dashed: the same people without the "
                    "programme (mean)."},
    {"people chart label", "People per month, median and 5-95 % band"},
    {"budget note", "Each scenario minus the same people without the programme, mean and 95&nbsp;% interval; a year in "
                    "parentheses is partial."},
    {"budget chart label", "The programme's effect on the municipality net per budget year"},
    {"distribution note", "Difference to the baseline over the whole period, one value per replication."},
    {"distribution chart label", "Distribution of the municipality net difference"},
    {"comparison note", "Scenario side; differences to the first scenario are paired per replication."},
    {"assumptions note", "The scenario as it ran: every parameter, defaults included; <i>from</i> says where its value came "
                         "from (the file's line, a flag such as --set, or the default)."},
    {"compare effect title", "Each scenario's effect: the scenario minus the same people without a programme, kronor, by "
                             "budget year, mean [95 % interval]"},
    {"compare side by side title", "Then the scenarios side by side (scenario side, with its programme), nominal kronor; "
                                   "differences are paired per replication, [95 % interval], and the share of replications "
                                   "where it is higher."},
    {"xlsx effect title", "Effect of the programme: each scenario minus the same people without it (kronor, nominal)"},
    {"xlsx paired title", "Paired differences to the first scenario (scenario side, per replication)"},
    {"partial year note", "A year in parentheses is partial: only the months named are in the horizon."},
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
  for (const auto& [k, en] : kEnglishWords) {
    if (k == key) return en;
  }
  return key;
}

std::string period_text(const EffectPeriod& p, Language language) {
  if (language == Language::kEnglish) return period_label(p);
  if (p.year == 0) return std::string(word("total", language));
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};
  std::string label = std::to_string(p.year);
  if (!p.partial) return label;
  if (p.months == 1) return label + " (endast " + kMonths[p.first_month - 1] + ")";
  return label + " (" + kMonths[p.first_month - 1] + "-" + kMonths[p.last_month - 1] + ")";
}

namespace {

std::string warning_body(const Warning& w, Language language) {
  const bool sv = language == Language::kSwedish;
  switch (w.kind) {
    case WarningKind::kUnfilledPlaces: {
      const std::string share = number_text(100.0 * w.share, 0, language) + " %";
      return sv ? share + " av platsmånaderna förblev tomma (intake.unfilled): färre personer som uppfyller villkoren än "
                          "platser, så programmet är mindre än antalet platser säger"
                : share + " of the place-months stayed empty (intake.unfilled): fewer eligible persons than places, so the "
                          "programme is smaller than its places say";
    }
    case WarningKind::kSupervisionCostUnset:
      return sv ? "programme.supervision_cost är inte angiven, så handledarens tid räknas som 0 kr; ange den, eller skriv 0 "
                  "med källa om handledarstödet täcker den"
                : "programme.supervision_cost is not set, so a supervisor's time counts as 0 kr; set it, or write 0 with its "
                  "source if the support covers it";
    case WarningKind::kAdminCostUnset:
      return sv ? "programme.admin_cost är inte angiven, så rekrytering och samordning räknas som 0 kr"
                : "programme.admin_cost is not set, so recruitment and coordination count as 0 kr";
    case WarningKind::kDrawsClamped: {
      const std::string share = number_text(100.0 * w.share, 0, language) + " %";
      return sv ? w.other + ": i " + share + " av replikeringarna föll det dragna värdet utanför sitt intervall (t.ex. en "
                                              "sannolikhet under 0 eller över 1) och hölls vid gränsen, så parameterns medelvärde "
                                              "är inte fördelningens; välj en fördelning inom intervallet (beta för en sannolikhet)"
                : w.other + ": in " + share + " of the replications the drawn value fell outside its range (a probability below 0 "
                                              "or above 1, say) and was held at the bound, so the parameter's mean is not the "
                                              "distribution's; choose a distribution inside the range (beta for a probability)";
    }
    case WarningKind::kIdenticalScenarios:
      return sv ? w.scenario + " och " + w.other + " är identiska efter ändringarna (--set): skillnaderna mellan dem är 0 "
                                                   "av konstruktion"
                : w.scenario + " and " + w.other + " are identical after the overrides: their differences are 0 by construction";
  }
  return std::string(warning_code(w.kind));
}

}  // namespace

std::string warning_text(const Warning& w, Language language) {
  const std::string body = warning_body(w, language);
  return w.scenario.empty() || w.kind == WarningKind::kIdenticalScenarios ? body : w.scenario + ": " + body;
}

std::string rows_scaled_text(std::int64_t replications, Language language) {
  return language == Language::kSwedish
             ? "i " + std::to_string(replications) + " replikeringar summerade en dragen övergångsrad till mer än 1 och skalades till 1"
             : "in " + std::to_string(replications) + " replications a drawn transition row summed above 1 and was scaled to 1";
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
