// Runs as jobs: each job runs its variants one after the other, each in a RunSession of its
// own (own thread arena, progress, cancel); at most `max_active` jobs run at once and a job
// asked for beyond that is refused (the server answers 429). Finished jobs are kept for their
// downloads, the oldest dropped beyond `max_kept`.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "extrasim/config/config.hpp"
#include "extrasim/results/compare.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/write/report.hpp"

namespace extrasim::serve {

// One scenario of a job, and how it was made (for the YAML download).
struct Variant {
  Scenario scenario;
  std::string base_name;   // "scenarios/motala.yaml", "data/municipality-template.yaml", "posted/scenario.yaml"
  std::string base_text;   // that file's text
  std::vector<Override> overrides;
};

enum class JobState { kRunning, kDone, kCancelled, kFailed };
const char* state_name(JobState s);

class Job {
 public:
  Job(std::string id, std::vector<Variant> variants) : id_(std::move(id)), variants_(std::move(variants)) {}

  const std::string& id() const { return id_; }
  const std::vector<Variant>& variants() const { return variants_; }

  struct Status {
    JobState state = JobState::kRunning;
    std::int64_t done = 0, total = 0;
    std::string error;
  };
  Status status() const;
  void cancel();

  // Only once the state is kDone (the results no longer change).
  const std::vector<ReportScenario>& reports() const { return reports_; }
  const std::optional<ScenarioComparison>& comparison() const { return comparison_; }

  void run(int threads);  // on the job's own thread

 private:
  friend class JobTable;
  std::string id_;
  std::vector<Variant> variants_;
  mutable std::mutex mutex_;
  JobState state_ = JobState::kRunning;
  std::int64_t done_before_ = 0;  // replications of the variants already finished
  std::atomic<std::int64_t> done_now_{0};
  std::string error_;
  RunSession* session_ = nullptr;  // the session running now (guarded by mutex_)
  bool cancel_requested_ = false;
  std::vector<ReportScenario> reports_;
  std::optional<ScenarioComparison> comparison_;
  std::thread thread_;
};

class JobTable {
 public:
  JobTable(std::size_t max_active, std::size_t max_kept, int threads_per_job)
      : max_active_(max_active), max_kept_(max_kept), threads_(threads_per_job) {}
  ~JobTable();  // cancels what runs and waits for it

  // The new job's id, or nothing when `max_active` jobs are running.
  std::optional<std::string> start(std::vector<Variant> variants);
  std::shared_ptr<Job> find(const std::string& id) const;

 private:
  void drop_old();  // under mutex_
  std::size_t max_active_, max_kept_;
  int threads_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::string> order_;  // ids, oldest first
};

}  // namespace extrasim::serve
