// The processes sharing a sweep or a calibration's particles: just this one, or the ranks of an MPI job (mpirun, srun).
// Everything MPI is behind this class, so the rest of the CLI builds and runs without MPI;
// a build without EXTRASIM_WITH_MPI is always a group of one.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/studies/sweep_run.hpp"

namespace extrasim::cli {

class ProcessGroup : public SweepTransport, public ParticleTransport {
 public:
  // Joins the MPI job if an MPI launcher started this process (its environment says so);
  // otherwise, or without MPI support, a group of one. MPI is finalised on destruction.
  ProcessGroup();
  ~ProcessGroup() override;
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  // Processes of this group on this machine (they share its cores).
  int local_size() const { return local_size_; }

  // The root's `text` to every process (collective: every process calls it).
  void broadcast(std::string& text) const;
  // A finished point's rows, to the root.
  void send_to_root(std::size_t point, const std::string& rows) override;
  // On the root: a point's rows from another process; waits for one if `wait`, else returns
  // nullopt when none has arrived.
  std::optional<std::pair<std::size_t, std::string>> receive(bool wait) override;
  // Each slot summed over the processes, on every process (collective): ABC-SMC's particles.
  void combine(std::vector<double>& slots) override;
  // The root runs `check` (parse, load, prepare the outputs) while the others wait for the word
  // it returns, so that a bad input is reported once, by the root. If `check` throws, the
  // others are told to end ("exit 2") and the exception goes on, on the root. Collective:
  // returns the word on every process.
  std::string root_decides(const std::function<std::string()>& check) const;
  // For a word "exit N": the status this process ends with. Only the root carries N (a launcher
  // ends the whole job when the first process exits non-zero, which could cut the root off
  // before it has printed the error); the others end with 0. nullopt for any other word.
  std::optional<int> exit_status(const std::string& word) const;
  // Ends every process of the job (after an error on one of them, the others would wait).
  [[noreturn]] void abort(int status) const;
  // After an error on this process, while the others may wait for it in a collective: says
  // which process failed and ends the job (status 2 for bad input, 1 otherwise). In a group of
  // one, rethrows instead, so that the command reports it like any other error.
  [[noreturn]] void fail(const std::exception& e) const;

 private:
  [[maybe_unused]] bool mpi_ = false;  // unused in a build without MPI
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace extrasim::cli
