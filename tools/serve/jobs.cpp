#include "jobs.hpp"

#include <algorithm>
#include <random>

#include "extrasim/studies/workflows.hpp"

namespace extrasim::serve {

const char* state_name(JobState s) {
  switch (s) {
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kCancelled: return "cancelled";
    case JobState::kFailed: return "failed";
  }
  return "failed";
}

Job::Status Job::status() const {
  std::lock_guard lock(mutex_);
  Status s;
  s.state = state_;
  s.done = done_before_ + done_now_.load();
  for (const Variant& v : variants_) s.total += v.scenario.replications;
  s.error = error_;
  return s;
}

void Job::cancel() {
  std::lock_guard lock(mutex_);
  cancel_requested_ = true;
  if (session_) session_->cancel();
}

void Job::run(int threads) {
  std::vector<ReportScenario> reports;
  try {
    // One session of all the variants (one lockstep pass, one baseline when they share it, as
    // `extrasim compare`) when they run the same replications, else one session each.
    const bool together = std::all_of(variants_.begin(), variants_.end(), [this](const Variant& v) {
      return v.scenario.replications == variants_.front().scenario.replications;
    });
    const std::size_t batch = together ? variants_.size() : 1;
    for (std::size_t first = 0; first < variants_.size(); first += batch) {
      std::vector<Scenario> scenarios;
      for (std::size_t k = first; k < first + batch; ++k) scenarios.push_back(variants_[k].scenario);
      const std::int64_t replications = scenarios.front().replications;
      SessionOptions options;
      options.threads = threads;
      options.keep_monthly_people = true;  // the people over time, the report and the workbook
      options.progress = [this, batch](std::int64_t done, std::int64_t) { done_now_ = done * static_cast<std::int64_t>(batch); };
      RunSession session(scenarios, options);
      {
        std::lock_guard lock(mutex_);
        session_ = &session;
        if (cancel_requested_) session.cancel();
      }
      session.append(replications);
      std::lock_guard lock(mutex_);
      session_ = nullptr;
      if (session.cancelled()) {
        state_ = JobState::kCancelled;
        return;
      }
      done_before_ += replications * static_cast<std::int64_t>(batch);
      done_now_ = 0;
      for (int k = 0; k < session.scenario_count(); ++k) reports.push_back(report_scenario(session.scenario(k), session.result(k)));
    }
    std::optional<ScenarioComparison> comparison;
    if (reports.size() > 1) {
      std::vector<Scenario> scenarios;
      for (std::size_t k = 0; k < reports.size(); ++k) scenarios.push_back(variants_[k].scenario);
      comparison = compare_reports(reports, scenarios);
    }
    std::lock_guard lock(mutex_);
    reports_ = std::move(reports);
    comparison_ = std::move(comparison);
    state_ = JobState::kDone;
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    session_ = nullptr;
    state_ = JobState::kFailed;
    error_ = e.what();
  }
}

JobTable::~JobTable() {
  std::vector<std::shared_ptr<Job>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, job] : jobs_) all.push_back(job);
  }
  for (auto& job : all) job->cancel();
  for (auto& job : all) {
    if (job->thread_.joinable()) job->thread_.join();
  }
}

std::optional<std::string> JobTable::start(std::vector<Variant> variants) {
  std::lock_guard lock(mutex_);
  std::size_t running = 0;
  for (const auto& [id, job] : jobs_) running += job->status().state == JobState::kRunning;
  if (running >= max_active_) return std::nullopt;
  // An id nobody can guess, so one page cannot read another's results by counting.
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(random()));
  auto job = std::make_shared<Job>(id, std::move(variants));
  jobs_[id] = job;
  order_.push_back(id);
  job->thread_ = std::thread([job, threads = threads_] { job->run(threads); });
  drop_old();
  return std::string(id);
}

std::shared_ptr<Job> JobTable::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

void JobTable::drop_old() {
  for (auto it = order_.begin(); order_.size() > max_kept_ && it != order_.end();) {
    const std::shared_ptr<Job> job = jobs_[*it];
    if (job->status().state == JobState::kRunning) {
      ++it;
      continue;
    }
    if (job->thread_.joinable()) job->thread_.join();
    jobs_.erase(*it);
    it = order_.erase(it);
  }
}

}  // namespace extrasim::serve
