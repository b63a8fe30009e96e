// Running a sweep: the point loop, the durable results file, resume and the manifest.
//
// Every process of a sweep (one, or the ranks of an MPI job) runs every size-th pending point
// from its rank; the root appends every point's rows to the results file in design order (a
// write per point as soon as the points before it are in, an fsync per group of points at most
// every half second and at the end), so the file is the same for any split and a killed sweep
// loses at most the points in flight. A process runs one point at a time on all its threads,
// or, when a point has too few replications to keep them busy (sweep_across_points), groups
// of points at once, each on one thread: a point's rows do not depend on its threads. --resume keeps the complete points, after checking that the
// manifest beside the file matches the current inputs and settings. How rows travel between
// processes is a SweepTransport: the library has the one-process transport; the CLI adds MPI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "extrasim/studies/sweep.hpp"

namespace extrasim {

class SweepTransport {
 public:
  virtual ~SweepTransport() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  bool is_root() const { return rank() == 0; }
  // A finished point's rows, to the root (never called on a group of one).
  virtual void send_to_root(std::size_t /*point*/, const std::string& /*rows*/) {}
  // On the root: a point's rows from another process; waits for one if `wait`.
  virtual std::optional<std::pair<std::size_t, std::string>> receive(bool /*wait*/) { return std::nullopt; }
};

struct SweepRunOptions {
  std::string sweep_file;  // the sweep file as given (hashed into the manifest)
  std::string out;         // the results CSV; the manifest is OUT.manifest.json
  bool resume = false;
  int threads = 0;         // per process; 0: all cores
  // Called on the root with (points written, points pending).
  std::function<void(std::int64_t, std::int64_t)> progress;
  // Asked before each group of points (on every process; a group takes about a quarter of a
  // second, or one point): true stops the sweep after the points in flight; the file keeps every complete point, the manifest stays unfinished (finished:
  // null) and `resume` continues. For front ends that cancel (the Python module's Ctrl-C).
  std::function<bool()> stop;
};

// Whether a process of `threads` threads runs several points at once, each on one thread: when
// a point has fewer than 4 blocks of replications (RunSession::kBlock) a thread.
bool sweep_across_points(const SweepSpec& spec, int threads);

// The time a sweep of the points of `spec` over `base` takes on one process of `threads`
// threads (--dry-run): a cost model of the sweep's own (sweep_run.cpp), per person-month and
// group-month of each replication, per point (setting and validating its values, compiling,
// summarising the kept metrics, writing its rows) and per process, measured and checked by
// bench/sweep_small.sh --estimate.
double estimate_sweep_seconds(const SweepSpec& spec, const Scenario& base, int threads);

// On the root, before anything runs: refuses an existing file without `resume`; with it,
// checks the manifest against the current inputs and settings (a mismatch names what
// changed), drops a torn last row, refuses a garbled row anywhere else, and returns the
// complete points. Creates the file with its header when it is new.
std::set<std::size_t> prepare_sweep_output(const SweepSpec& spec, const SweepRunOptions& options);

// Runs this process's share of the points not in `done`; the root writes the rows and the
// manifest (finished: null at the start, the time at the end).
void run_sweep(const SweepSpec& spec, const SweepRunOptions& options, const std::set<std::size_t>& done,
               SweepTransport& transport);

// For `extrasim sensitivity`: the manifest beside a results file says a Sobol sweep of
// `points` points that finished (a sweep cut between two blocks would pass for a smaller one).
// No manifest: returns a note to print instead.
std::optional<std::string> check_sobol_manifest(const std::string& results, std::size_t points);

}  // namespace extrasim
