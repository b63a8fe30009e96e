// extrasim._extrasim: the Python binding, a thin client of the library like the CLI.
// It translates arguments into library calls and results into plain Python values (dicts of
// lists and numpy arrays); extrasim/__init__.py turns those into pandas DataFrames.
//
// Runs: the GIL is released while a RunSession works on a thread of its own; the calling
// thread wakes every 50 ms to check for signals (Ctrl-C cancels the session: KeyboardInterrupt
// within about one replication per thread) and to call the progress callback, so Python code
// only ever runs on the caller's thread.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extrasim/config/config.hpp"
#include "extrasim/error.hpp"
#include "extrasim/model/tax_rules.hpp"
#include "extrasim/model/validate.hpp"
#include "extrasim/results/effect.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/studies/sweep_run.hpp"
#include "extrasim/studies/workflows.hpp"
#include "extrasim/version.hpp"
#include "extrasim/write/labels.hpp"
#include "extrasim/write/output.hpp"

namespace py = pybind11;
using namespace extrasim;

namespace {

// Warnings in English words, as the CLI's JSON has them.
std::vector<std::string> warning_texts(const std::vector<Warning>& warnings) {
  std::vector<std::string> texts;
  for (const Warning& w : warnings) texts.push_back(warning_text(w, Language::kEnglish));
  return texts;
}

// A std::vector<double> handed to numpy without a copy: the array owns the vector.
py::array_t<double> to_numpy(std::vector<double>&& values) {
  auto* owned = new std::vector<double>(std::move(values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<double>*>(p); });
  return py::array_t<double>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(double))},
                             owned->data(), free_when_done);
}

std::vector<Override> overrides_of(const std::vector<std::pair<std::string, std::string>>& sets) {
  std::vector<Override> list;
  for (const auto& [path, value] : sets) list.push_back({path, value, ""});  // origin "--set PATH=VALUE"
  return list;
}

// The run's replications and seed as the CLI's flags set them (same origins, same provenance).
Scenario with_run_options(const Scenario& scenario, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed) {
  Scenario sc = scenario;
  std::vector<Override> list;
  if (seed) list.push_back({"seed", std::to_string(*seed), "--seed " + std::to_string(*seed)});
  if (replications) list.push_back({"replications", std::to_string(*replications), "--replications " + std::to_string(*replications)});
  if (!list.empty()) apply_overrides(sc, list);
  return sc;
}

// Runs `job` on a thread of its own with the GIL released, checking signals and calling
// `progress(done, total)` on this thread every 50 ms. Ctrl-C (or an exception from `progress`)
// calls `cancel`, waits for the job to stop and propagates.
void watched(const std::function<void()>& job, const std::function<void()>& cancel, const std::shared_ptr<std::atomic<std::int64_t>>& done,
             const std::shared_ptr<std::atomic<std::int64_t>>& total, const py::object& progress) {
  std::future<void> work = std::async(std::launch::async, job);
  std::int64_t reported = -1;
  const auto stop = [&] {
    cancel();
    py::gil_scoped_release nogil;
    work.wait();
  };
  for (;;) {
    bool finished = false;
    {
      py::gil_scoped_release nogil;
      finished = work.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready;
    }
    if (PyErr_CheckSignals() != 0) {
      py::error_already_set interrupted;  // fetches the KeyboardInterrupt before anything else runs
      stop();
      throw interrupted;
    }
    const std::int64_t d = done->load();
    if (!progress.is_none() && d != reported) {
      reported = d;
      try {
        progress(d, total->load());
      } catch (...) {
        stop();
        throw;
      }
    }
    if (finished) break;
  }
  work.get();  // rethrows what the job threw
}

void append_watched(RunSession& session, std::int64_t n, const std::shared_ptr<std::atomic<std::int64_t>>& done,
                    const std::shared_ptr<std::atomic<std::int64_t>>& total, const py::object& progress) {
  watched([&session, n] { session.append(n); }, [&session] { session.cancel(); }, done, total, progress);
}

RunResult run_scenario(const Scenario& scenario, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed,
                       int threads, const py::object& progress) {
  const Scenario sc = with_run_options(scenario, replications, seed);
  auto done = std::make_shared<std::atomic<std::int64_t>>(0);
  auto total = std::make_shared<std::atomic<std::int64_t>>(sc.replications);
  SessionOptions options;
  options.threads = threads;
  options.progress = [done, total](std::int64_t d, std::int64_t t) {
    total->store(t);
    done->store(d);
  };
  RunSession session(sc, options);
  append_watched(session, sc.replications, done, total, progress);
  if (!progress.is_none() && done->load() != session.replications()) progress(session.replications(), total->load());
  py::gil_scoped_release nogil;
  return session.result();
}

// One period's summaries (period 0: the whole horizon; 1 + y: calendar year y) as columns.
py::dict summary_columns(const RunResult& r, int period) {
  const SideSummaries& sides = period == 0 ? r.total : r.yearly.at(static_cast<std::size_t>(period - 1)).summaries;
  py::list side, metric;
  std::vector<double> cols[10];
  for (int s = 0; s < kResultSideCount; ++s) {
    for (int i = 0; i < kMetricCount; ++i) {
      if (!metric_shown(r, metric_at(i)) || !metric_on_side(metric_at(i), static_cast<ResultSide>(s))) continue;
      const Summary& x = sides[s][i];
      side.append(std::string(side_name(static_cast<ResultSide>(s))));
      metric.append(std::string(metric_name(metric_at(i))));
      const double v[10] = {x.mean, x.sd, x.se, x.p025, x.p05, x.p50, x.p95, x.p975, x.p_positive, 0};
      for (int c = 0; c < 9; ++c) cols[c].push_back(v[c]);
    }
  }
  py::dict d;
  d["side"] = side;
  d["metric"] = metric;
  const char* names[9] = {"mean", "sd", "se", "p025", "p05", "p50", "p95", "p975", "p_positive"};
  const int shown = r.exact ? 1 : 9;  // expected values: means only
  for (int c = 0; c < shown; ++c) d[names[c]] = to_numpy(std::move(cols[c]));
  return d;
}

py::dict monthly_columns(const RunResult& r) {
  py::list month, side, metric;
  std::vector<double> mean;
  for (const MonthResult& m : r.monthly) {
    const std::string label = m.month.to_string();
    for (int s = 0; s < kResultSideCount; ++s) {
      for (int i = 0; i < kMetricCount; ++i) {
        const Metric k = metric_at(i);
        if (!metric_shown(r, k) || is_stock(k) || !metric_on_side(k, static_cast<ResultSide>(s))) continue;
        month.append(label);
        side.append(std::string(side_name(static_cast<ResultSide>(s))));
        metric.append(std::string(metric_name(k)));
        mean.push_back(m.mean[s][i]);
      }
    }
  }
  py::dict d;
  d["month"] = month;
  d["side"] = side;
  d["metric"] = metric;
  d["mean"] = to_numpy(std::move(mean));
  return d;
}

py::dict provenance_dict(const Provenance& p) {
  py::dict d;
  d["version"] = p.version;
  d["rng_contract"] = p.rng_contract;
  py::list inputs;
  for (const SourceFile& f : p.inputs) {
    py::dict i;
    i["path"] = f.path;
    i["sha256"] = f.sha256;
    inputs.append(i);
  }
  d["inputs"] = inputs;
  d["set"] = p.set;
  d["seed"] = p.seed;
  d["replications"] = p.replications;
  d["threads"] = p.threads;
  d["discount_rate"] = p.discount_rate;
  return d;
}

Metric metric_named(const std::string& name) {
  const std::optional<Metric> m = parse_metric(name);
  if (!m) throw InputError({"metric"}, "", "'" + printable(name) + "'", "a metric name such as municipality.net");
  return *m;
}

ResultSide side_named(const std::string& name) {
  for (int s = 0; s < kResultSideCount; ++s) {
    if (side_name(static_cast<ResultSide>(s)) == name) return static_cast<ResultSide>(s);
  }
  throw InputError({"side"}, "", "'" + printable(name) + "'", "scenario, baseline or difference");
}

// "total" (period 0) or a calendar year of the result (1 + its index).
int period_of(const RunResult& r, const py::object& period) {
  if (py::isinstance<py::str>(period) && period.cast<std::string>() == "total") return 0;
  const int year = period.cast<int>();
  for (std::size_t y = 0; y < r.yearly.size(); ++y) {
    if (r.yearly[y].year == year) return 1 + static_cast<int>(y);
  }
  throw InputError({"period"}, "", std::to_string(year), "\"total\" or a calendar year of the run");
}

std::vector<std::string> period_labels(const RunResult& r) {
  std::vector<std::string> labels{"total"};
  for (const YearResult& y : r.yearly) labels.push_back(std::to_string(y.year));
  return labels;
}

}  // namespace

PYBIND11_MODULE(_extrasim, m) {
  m.doc() = "extrasim's library: load, run, compare (see the extrasim package)";
  m.attr("__version__") = std::string(kVersion);

  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::object err = py::reinterpret_borrow<py::object>(input_error.ptr())(std::string(e.what()));
      err.attr("file") = e.where().file;
      err.attr("line") = e.where().line;
      err.attr("column") = e.where().column;
      err.attr("path") = e.path();
      err.attr("found") = e.found();
      err.attr("expected") = e.expected();
      PyErr_SetObject(input_error.ptr(), err.ptr());
    }
  });

  py::class_<Scenario>(m, "Scenario")
      .def_readonly("name", &Scenario::name)
      .def_readonly("source_file", &Scenario::source_file)
      .def_readonly("seed", &Scenario::seed)
      .def_readonly("replications", &Scenario::replications)
      .def("validate", [](const Scenario& sc) { validate(sc); }, "Re-checks every invariant; raises InputError.")
      .def("with_set", [](const Scenario& sc, const std::vector<std::pair<std::string, std::string>>& sets) {
             Scenario copy = sc;
             apply_overrides(copy, overrides_of(sets));
             return copy;
           }, py::arg("sets"))
      .def("__repr__", [](const Scenario& sc) { return "<extrasim.Scenario '" + sc.name + "' from " + sc.source_file + ">"; });

  py::class_<RunResult, std::shared_ptr<RunResult>>(m, "RunResult")
      .def_readonly("scenario", &RunResult::scenario)
      .def_readonly("seed", &RunResult::seed)
      .def_readonly("replications", &RunResult::replications)
      .def_readonly("exact", &RunResult::exact)
      .def_readonly("notes", &RunResult::notes)
      .def_property_readonly("warnings", [](const RunResult& r) { return warning_texts(r.warnings); })
      .def_property_readonly("provenance", [](const RunResult& r) { return provenance_dict(r.provenance); })
      .def_property_readonly("periods", &period_labels)
      .def("summary_columns", [](const RunResult& r, const py::object& period) { return summary_columns(r, period_of(r, period)); })
      .def("monthly_columns", &monthly_columns)
      .def("samples", [](const RunResult& r, const std::string& metric, const std::string& side, const py::object& period) {
             if (r.exact || r.samples.replications() == 0) {
               throw InputError({"samples"}, "", "an exact result (expected values)", "a Monte Carlo run");
             }
             const int p = period_of(r, period);
             const Metric k = metric_named(metric);
             const ResultSide s = side_named(side);
             std::vector<double> values;
             {
               py::gil_scoped_release nogil;
               values = r.samples.column(s, p, k);
             }
             return to_numpy(std::move(values));
           }, py::arg("metric"), py::arg("side") = "difference", py::arg("period") = "total")
      .def("sample_columns", [](const RunResult& r, const std::vector<std::string>& names) {
             if (r.exact || r.samples.replications() == 0) {
               throw InputError({"samples"}, "", "an exact result (expected values)", "a Monte Carlo run");
             }
             std::vector<SampleColumn> columns;
             for (const std::string& n : names) columns.push_back(parse_sample_column(n, r.calendar, {"samples_frame"}));
             py::dict d;
             std::vector<double> rep;
             for (std::int64_t i = 0; i < r.samples.replications(); ++i) rep.push_back(static_cast<double>(i));
             d["replication"] = py::array_t<double>(to_numpy(std::move(rep))).attr("astype")("int64");
             for (const SampleColumn& c : columns) {
               std::vector<double> values;
               {
                 py::gil_scoped_release nogil;
                 values = r.samples.column(c.side, c.period, c.metric);
               }
               d[py::str(c.name)] = to_numpy(std::move(values));
             }
             return d;
           })
      .def("to_json", [](const RunResult& r) {
        std::ostringstream out;
        write_json(r, out);
        return out.str();
      });

  m.def("load_file", [](const std::string& path, const std::vector<std::pair<std::string, std::string>>& sets) {
    return load_scenario_file(path, overrides_of(sets));
  }, py::arg("path"), py::arg("sets"));
  m.def("load_text", [](const std::string& text, const std::string& name, const std::vector<std::pair<std::string, std::string>>& sets) {
    return load_scenario_text(text, name, overrides_of(sets));
  }, py::arg("text"), py::arg("name"), py::arg("sets"));

  m.def("run", [](const Scenario& sc, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed, int threads,
                  const py::object& progress) {
    return std::make_shared<RunResult>(run_scenario(sc, replications, seed, threads, progress));
  }, py::arg("scenario"), py::arg("replications") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0,
        py::arg("progress") = py::none());

  m.def("expected", [](const Scenario& sc) {
    py::gil_scoped_release nogil;
    return std::make_shared<RunResult>(expected_values(sc));
  });

  m.def("check_run_size", [](const Scenario& sc, std::int64_t replications, int threads) { check_run_size(sc, replications, threads); });
  m.def("describe_run_size", [](const Scenario& sc, std::int64_t replications, int threads) { return describe_run_size(sc, replications, threads); });

  // compare: the scenarios aligned with the first (seed, replications) and run in turn.
  m.def("compare_columns", [](std::vector<Scenario> scenarios, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed,
                              int threads) {
    if (scenarios.size() < 2) throw InputError({"compare"}, "", std::to_string(scenarios.size()) + " scenarios", "at least two");
    for (Scenario& sc : scenarios) sc = with_run_options(sc, replications, seed);
    align_with_first(scenarios);
    SessionOptions options;
    options.threads = threads;
    ScenarioComparison c;
    {
      py::gil_scoped_release nogil;
      c = compare_scenarios(scenarios, options);
    }
    py::list scenario, period, metric;
    std::vector<double> mean, diff_mean, diff_p025, diff_p975, diff_positive;
    for (std::size_t k = 0; k < c.names.size(); ++k) {
      for (std::size_t p = 0; p < c.periods.size(); ++p) {
        for (int i = 0; i < kMetricCount; ++i) {
          if (is_present_value(metric_at(i)) && !scenarios[k].accounting.discount_rate) continue;
          scenario.append(c.names[k]);
          period.append(c.periods[p]);
          metric.append(std::string(metric_name(metric_at(i))));
          mean.push_back(c.means[k][p][i]);
          const Summary none{std::nan(""), 0, 0, std::nan(""), 0, 0, 0, std::nan(""), std::nan("")};
          const Summary& d = k == 0 ? none : c.versus_first[k - 1][p][i];
          diff_mean.push_back(d.mean);
          diff_p025.push_back(d.p025);
          diff_p975.push_back(d.p975);
          diff_positive.push_back(d.p_positive);
        }
      }
    }
    py::dict d;
    d["scenario"] = scenario;
    d["period"] = period;
    d["metric"] = metric;
    d["mean"] = to_numpy(std::move(mean));
    d["versus_first_mean"] = to_numpy(std::move(diff_mean));
    d["versus_first_p025"] = to_numpy(std::move(diff_p025));
    d["versus_first_p975"] = to_numpy(std::move(diff_p975));
    d["versus_first_share_higher"] = to_numpy(std::move(diff_positive));
    return py::make_tuple(d, warning_texts(c.warnings));
  }, py::arg("scenarios"), py::arg("replications") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0);

  // sweep: the library's durable sweep (one process) into `out`; Ctrl-C stops it after the
  // points in flight (the file stays resumable). Returns the number of points in the design.
  m.def("sweep", [](const std::string& file, const std::string& out, bool resume, int threads, const py::object& progress) {
    const SweepSpec spec = load_sweep_file(file);
    auto done = std::make_shared<std::atomic<std::int64_t>>(0);
    auto total = std::make_shared<std::atomic<std::int64_t>>(0);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    SweepRunOptions o;
    o.sweep_file = file;
    o.out = out;
    o.resume = resume;
    o.threads = threads;
    o.progress = [done, total](std::int64_t d, std::int64_t t) {
      total->store(t);
      done->store(d);
    };
    o.stop = [stop] { return stop->load(); };
    const std::set<std::size_t> complete = prepare_sweep_output(spec, o);
    const std::size_t points = sweep_points(spec).size();
    total->store(static_cast<std::int64_t>(points - complete.size()));
    watched([&] {
      SweepTransport one_process;
      run_sweep(spec, o, complete, one_process);
    }, [stop] { stop->store(true); }, done, total, progress);
    return points;
  }, py::arg("sweep_file"), py::arg("out"), py::arg("resume") = false, py::arg("threads") = 0, py::arg("progress") = py::none());

  m.def("sensitivity_columns", [](const std::string& results, int resamples, double level, std::uint64_t seed) {
    BootstrapOptions b;
    b.resamples = resamples;
    b.level = level;
    b.seed = seed;
    SensitivityAnalysis a;
    {
      py::gil_scoped_release nogil;
      a = analyse_sensitivity(results, b);
    }
    py::list metric, parameter, index;
    std::vector<double> estimate, lo, hi;
    const SweepSensitivity& s = a.sensitivity;
    for (std::size_t m = 0; m < s.metrics.size(); ++m) {
      for (std::size_t j = 0; j < s.parameters.size(); ++j) {  // the CSV's order
        for (const auto& [kind, x] : {std::pair{"first", s.indices[m].first[j]}, std::pair{"total", s.indices[m].total[j]}}) {
          metric.append(s.metrics[m]);
          parameter.append(s.parameters[j]);
          index.append(kind);
          estimate.push_back(x.estimate);
          lo.push_back(x.lo);
          hi.push_back(x.hi);
        }
      }
    }
    py::dict d;
    d["metric"] = metric;
    d["parameter"] = parameter;
    d["index"] = index;
    d["estimate"] = to_numpy(std::move(estimate));
    d["lo"] = to_numpy(std::move(lo));
    d["hi"] = to_numpy(std::move(hi));
    return py::make_tuple(d, a.note ? py::object(py::str(*a.note)) : py::object(py::none()));
  });

  m.def("tax", [](int year, double income, double benefit, std::optional<double> municipal, std::optional<double> regional) {
    const TaxYear& rules = swedish_tax_year(year, {"year"}, "year");
    const TaxLines t = monthly_tax(rules, income, benefit, municipal.value_or(rules.average_municipal_rate),
                                   regional.value_or(rules.average_regional_rate));
    py::dict d;
    d["grundavdrag_annual"] = t.grundavdrag_annual;
    d["taxable_annual"] = t.taxable_annual;
    d["municipal"] = t.municipal;
    d["regional"] = t.regional;
    d["state"] = t.state;
    d["jobbskatteavdrag"] = t.jobbskatteavdrag;
    d["total"] = t.total;
    d["net_of_tax"] = t.net_of_tax;
    return d;
  }, py::arg("year"), py::arg("monthly_income"), py::arg("benefit") = 0.0, py::arg("municipal_rate") = py::none(),
        py::arg("regional_rate") = py::none());

  m.def("bonus_columns", [](const std::string& units_file, double pot, double target_municipalities, double target_regions,
                            const std::vector<std::string>& counts, std::optional<double> spread, const std::string& marginal, int steps) {
    BonusRequest r;
    r.units_file = units_file;
    r.rule.pot = pot;
    r.rule.target_municipalities = target_municipalities;
    r.rule.target_regions = target_regions;
    r.counts = counts;
    r.spread_total = spread;
    r.marginal = marginal;
    r.steps = steps;
    const BonusAnalysis a = analyse_bonus(r);
    py::list name, type;
    std::vector<double> population, count, beting, table_amount, base, extra, payout;
    for (std::size_t i = 0; i < a.units.size(); ++i) {
      const BonusUnit& u = a.units[i];
      const BonusPayout& p = a.payouts[i];
      name.append(u.name);
      type.append(u.type == UnitType::kMunicipality ? "municipality" : "region");
      population.push_back(u.population);
      count.push_back(u.count);
      beting.push_back(p.beting);
      table_amount.push_back(p.table_amount);
      base.push_back(p.base);
      extra.push_back(p.extra);
      payout.push_back(p.payout);
    }
    py::dict d;
    d["name"] = name;
    d["type"] = type;
    d["population"] = to_numpy(std::move(population));
    d["count"] = to_numpy(std::move(count));
    d["beting"] = to_numpy(std::move(beting));
    d["table_amount"] = to_numpy(std::move(table_amount));
    d["base"] = to_numpy(std::move(base));
    d["extra"] = to_numpy(std::move(extra));
    d["payout"] = to_numpy(std::move(payout));
    py::dict mrg;
    std::vector<double> mc, mp, mm;
    for (const MarginalRow& row : a.marginal) {
      mc.push_back(row.count);
      mp.push_back(row.payout);
      mm.push_back(row.marginal);
    }
    mrg["count"] = to_numpy(std::move(mc));
    mrg["payout"] = to_numpy(std::move(mp));
    mrg["marginal"] = to_numpy(std::move(mm));
    return py::make_tuple(d, mrg);
  });
}
