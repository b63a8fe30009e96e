#include "process_group.hpp"

#include "extrasim/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

#ifdef EXTRASIM_WITH_MPI
#include <mpi.h>
#endif

namespace extrasim::cli {

#ifdef EXTRASIM_WITH_MPI

namespace {

// Launchers announce themselves in the environment: Open MPI's mpirun, PMIx (srun --mpi=pmix,
// Open MPI 5), PMI-1/2 (srun --mpi=pmi2, MPICH's Hydra). A plain start needs no MPI at all,
// and Open MPI's singleton start would spawn a helper daemon for nothing.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

constexpr int kRowsTag = 1;

}  // namespace

ProcessGroup::ProcessGroup() {
  if (!launched_by_mpi()) return;
  MPI_Init(nullptr, nullptr);
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &local_size_);
  MPI_Comm_free(&node);
}

ProcessGroup::~ProcessGroup() {
  if (mpi_) MPI_Finalize();
}

void ProcessGroup::broadcast(std::string& text) const {
  if (!mpi_) return;
  auto length = static_cast<std::uint64_t>(text.size());
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(length);
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
}

void ProcessGroup::combine(std::vector<double>& slots) {
  if (!mpi_ || slots.empty()) return;
  MPI_Allreduce(MPI_IN_PLACE, slots.data(), static_cast<int>(slots.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

// A message is the point number (8 bytes) followed by its rows.
void ProcessGroup::send_to_root(std::size_t point, const std::string& rows) {
  std::vector<char> message(sizeof(std::uint64_t) + rows.size());
  const auto number = static_cast<std::uint64_t>(point);
  std::memcpy(message.data(), &number, sizeof number);
  std::memcpy(message.data() + sizeof number, rows.data(), rows.size());
  MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kRowsTag, MPI_COMM_WORLD);
}

std::optional<std::pair<std::size_t, std::string>> ProcessGroup::receive(bool wait) {
  if (!mpi_) return std::nullopt;
  MPI_Status status;
  int arrived = 1;
  if (wait) {
    MPI_Probe(MPI_ANY_SOURCE, kRowsTag, MPI_COMM_WORLD, &status);
  } else {
    MPI_Iprobe(MPI_ANY_SOURCE, kRowsTag, MPI_COMM_WORLD, &arrived, &status);
  }
  if (!arrived) return std::nullopt;
  int length = 0;
  MPI_Get_count(&status, MPI_CHAR, &length);
  std::vector<char> message(static_cast<std::size_t>(length));
  MPI_Recv(message.data(), length, MPI_CHAR, status.MPI_SOURCE, kRowsTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::uint64_t number = 0;
  std::memcpy(&number, message.data(), sizeof number);
  return std::pair{static_cast<std::size_t>(number), std::string(message.begin() + sizeof number, message.end())};
}

void ProcessGroup::abort(int status) const {
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

#else  // a group of one

ProcessGroup::ProcessGroup() = default;
ProcessGroup::~ProcessGroup() = default;
void ProcessGroup::broadcast(std::string&) const {}
void ProcessGroup::send_to_root(std::size_t, const std::string&) {}
void ProcessGroup::combine(std::vector<double>&) {}
std::optional<std::pair<std::size_t, std::string>> ProcessGroup::receive(bool) { return std::nullopt; }
void ProcessGroup::abort(int status) const { std::_Exit(status); }

#endif

std::string ProcessGroup::root_decides(const std::function<std::string()>& check) const {
  std::string word;
  if (is_root()) {
    try {
      word = check();
    } catch (...) {
      word = "exit 2";
      broadcast(word);
      throw;
    }
  }
  broadcast(word);
  return word;
}

std::optional<int> ProcessGroup::exit_status(const std::string& word) const {
  if (word.rfind("exit ", 0) != 0) return std::nullopt;
  return is_root() ? std::stoi(word.substr(5)) : 0;
}

void ProcessGroup::fail(const std::exception& e) const {
  if (size() == 1) throw;
  std::cerr << "error on process " << rank() << ": " << e.what() << "\n";
  abort(dynamic_cast<const InputError*>(&e) ? 2 : 1);
}

}  // namespace extrasim::cli
