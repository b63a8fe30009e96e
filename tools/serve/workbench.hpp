// The workbench's API as plain functions: JSON in, a status and a body out. The HTTP server
// (server.cpp) only routes to these; every answer's text goes through ReadRoots::scrub, so no
// path of the machine reaches a client.
//
// A variant (what the page edits) is JSON:
//   {"scenario": "scenarios/motala.yaml"}  or  {"municipality": "0583"}  or  {"yaml": "..."},
//   plus "set": [{"path": "groups.long_term_fs.wage", "value": "19000"}, ...]
// The overrides go through the same resolver as the CLI's --set (their origin reads
// "--set PATH=VALUE"), so validation messages are the CLI's, with the path of the field.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs.hpp"
#include "read_roots.hpp"

namespace extrasim::serve {

using Json = nlohmann::ordered_json;

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string file_name;  // a download: Content-Disposition: attachment
};

// A 4xx answer for bad input: {"error": {"message", "path", "found", "expected", "file", "line", "column"}}.
Answer input_error(const InputError& e, const ReadRoots& roots, int status = 400);

class Workbench {
 public:
  Workbench(ReadRoots roots, std::size_t max_jobs, int threads_per_job, double max_run_seconds);

  Answer scenarios() const;                 // GET /api/scenarios
  Answer municipalities() const;            // GET /api/municipalities
  Answer labels() const;                    // GET /api/labels
  Answer validate(const Json& variant) const;    // POST /api/validate
  Answer parameters(const Json& variant) const;  // POST /api/parameters
  Answer expected(const Json& variant) const;    // POST /api/expected
  Answer bonus(const Json& request) const;       // POST /api/bonus
  Answer tax(const Json& request) const;         // POST /api/tax
  Answer start_job(const Json& request);         // POST /api/jobs {"variants": [...]}
  Answer job_status(const std::string& id) const;     // GET /api/jobs/ID
  Answer cancel_job(const std::string& id);           // DELETE /api/jobs/ID
  Answer job_result(const std::string& id) const;     // GET /api/jobs/ID/result
  // GET /api/jobs/ID/download/KIND?variant=K&lang=sv|en
  Answer download(const std::string& id, const std::string& kind, int variant, Language lang = Language::kEnglish) const;

  const ReadRoots& roots() const { return roots_; }

 private:
  Variant load_variant(const Json& spec) const;
  std::vector<std::string> municipality_row(const std::string& code) const;
  ReadRoots roots_;
  JobTable jobs_;
  int threads_per_job_;
  double max_run_seconds_;
  double national_population_ = 0;
};

// The template a municipality starts from, and how its size follows the population.
inline constexpr const char* kMunicipalityTemplate = "data/municipality-template.yaml";
inline constexpr const char* kMunicipalities = "data/kommuner_population.csv";

}  // namespace extrasim::serve
