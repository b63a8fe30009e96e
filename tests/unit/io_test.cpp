// The I/O primitives: safe output files, bounded input, strict numbers, RFC 4180 CSV.
// Behaviour that involves a process (signals, standard output, resource limits) is tested in
// a forked child that reports back through a pipe.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include "extrasim/error.hpp"
#include "extrasim/io/csv.hpp"
#include "extrasim/io/input_file.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/io/output_file.hpp"
#include "test_support.hpp"

namespace extrasim::io {

namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "extrasim-io-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

  // Every entry's name, so a leftover temporary shows up.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  int temporaries() const {
    int n = 0;
    for (const std::string& name : names()) n += name.rfind(".extrasim-", 0) == 0;
    return n;
  }

 private:
  fs::path path_;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The message of the InputError that `action` throws; fails the test when it does not.
std::string input_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A forked child running `body(report_fd)`; the body's return value is its exit status. The
// child never returns into GoogleTest.
class Child {
 public:
  explicit Child(const std::function<int(int)>& body) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::cout.flush();
    std::fflush(nullptr);  // or the child would write the parent's buffered output again
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(fds[0]);
      int status = 99;
      try {
        status = body(fds[1]);
      } catch (const std::exception& e) {
        report(fds[1], std::string("exception: ") + e.what());
        status = 98;
      }
      ::_exit(status);
    }
    ::close(fds[1]);
    read_fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    ::close(read_fd_);
  }

  static void report(int fd, const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  // Blocks until the child reports a whole line: the child's "ready", with no sleeping.
  std::string read_line() {
    std::string line;
    char c;
    while (::read(read_fd_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
  std::string read_rest() {
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_fd_, buf, sizeof buf)) > 0;)
      text.append(buf, static_cast<std::size_t>(n));
    return text;
  }
  void kill(int sig) { ::kill(pid_, sig); }
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    waited_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
  bool waited_ = false;
};

// Runs `body` in a child process, which must end in an OutputError; returns its message
// (the test fails when the child ends otherwise).
std::string output_error_in_child(const std::function<void()>& body) {
  Child child([&](int report) {
    try {
      body();
    } catch (const OutputError& e) {
      Child::report(report, e.what());
      return 0;
    }
    return 1;
  });
  const std::string message = child.read_rest();
  const int status = child.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << message;
  return message;
}

}  // namespace

// ---- read_bounded ------------------------------------------------------------------------

TEST(BoundedRead, ReadsARegularFileWhole) {
  TempDir dir;
  const std::string text = std::string("a\0b\n", 4) + std::string(200000, 'y');
  write_text(dir / "s.yaml", text);
  EXPECT_EQ(read_bounded(dir / "s.yaml", 1 << 20, "a scenario file"), text);
}

TEST(BoundedRead, TheLimitItselfIsAllowed) {
  TempDir dir;
  write_text(dir / "s.yaml", std::string(1024, 'x'));
  EXPECT_EQ(read_bounded(dir / "s.yaml", 1024, "a scenario file").size(), 1024u);
  write_text(dir / "s.yaml", std::string(1025, 'x'));
  const std::string message =
      input_error([&] { read_bounded(dir / "s.yaml", 1024, "a scenario file"); });
  EXPECT_TRUE(contains(message, "s.yaml: larger than 1 KiB; a scenario file is at most 1 KiB"))
      << message;
}

TEST(BoundedRead, DevZeroStopsAtTheLimit) {
  const std::string message =
      input_error([] { read_bounded("/dev/zero", 16u << 20, "a scenario file"); });
  EXPECT_EQ(message, "/dev/zero: larger than 16 MiB; a scenario file is at most 16 MiB");
}

// Peak resident memory of this process (VmHWM), bytes.
std::size_t peak_resident() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

TEST(BoundedRead, DevZeroNeedsLittleMemory) {
  if (test::kSanitized) {
    // The sanitizers reserve terabytes of address space, so no address-space limit can be set;
    // the peak resident memory shows the same thing: 16 MiB read, not an endless /dev/zero.
    const std::size_t before = peak_resident();
    EXPECT_THROW(read_bounded("/dev/zero", 16u << 20, "a scenario file"), InputError);
    EXPECT_LT(peak_resident() - before, std::size_t{96} << 20);
    return;
  }
  Child child([](int) {
    // The address space in use now plus 48 MiB: enough for a 16 MiB limit, far too little
    // for a reader that keeps growing until it sees the end of /dev/zero.
    std::ifstream statm("/proc/self/statm");
    unsigned long pages = 0;
    statm >> pages;
    const rlim_t bytes = pages * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (48u << 20);
    const rlimit limit{bytes, bytes};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) return 2;
    try {
      read_bounded("/dev/zero", 16u << 20, "a scenario file");
    } catch (const InputError&) {
      return 0;
    } catch (const std::bad_alloc&) {
      return 3;
    }
    return 1;
  });
  const int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3: out of memory before the limit";
}

// Writes `bytes` bytes into the FIFO at `path` from a child; the parent reads.
std::string read_fifo(const std::string& path, std::size_t bytes, std::size_t limit) {
  Child writer([&](int) {
    const int fd = ::open(path.c_str(), O_WRONLY);
    Child::report(fd, std::string(bytes, 'f'));  // SIGPIPE ends it when the reader stops
    return 0;
  });
  std::string text = read_bounded(path, limit, "a scenario file");
  writer.wait();
  return text;
}

TEST(BoundedRead, FifoWithinTheLimitIsReadWhole) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(read_fifo(dir / "fifo", 3000, 4096), std::string(3000, 'f'));
}

TEST(BoundedRead, FifoOverTheLimitStops) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const std::string message = input_error([&] { read_fifo(dir / "fifo", 1 << 20, 4096); });
  EXPECT_TRUE(contains(message, "fifo: larger than 4 KiB")) << message;
}

TEST(BoundedRead, RefusesAFolder) {
  TempDir dir;
  const std::string message =
      input_error([&] { read_bounded(dir.path().string(), 1024, "a scenario file"); });
  EXPECT_TRUE(contains(message, "is a folder; expected a scenario file")) << message;
}

TEST(BoundedRead, MissingFileSaysWhy) {
  TempDir dir;
  const std::string message =
      input_error([&] { read_bounded(dir / "none.yaml", 1024, "a scenario file"); });
  EXPECT_TRUE(
      contains(message, "none.yaml: cannot open a scenario file: No such file or directory"))
      << message;
}

TEST(BoundedRead, SizesAreWrittenAsPeopleWriteThem) {
  EXPECT_EQ(describe_size(16u << 20), "16 MiB");
  EXPECT_EQ(describe_size(4096), "4 KiB");
  EXPECT_EQ(describe_size(1000), "1000 bytes");
  EXPECT_EQ(describe_size(1), "1 byte");
}

TEST(BoundedRead, IdentityIgnoresTheSpelling) {
  TempDir dir;
  fs::create_directory(dir / "sub");
  write_text(dir / "a", "a");
  write_text(dir / "b", "b");
  fs::create_hard_link(dir / "a", dir / "a-link");
  const auto a = identify(dir / "a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(identify(dir / "a-link"), a);
  EXPECT_EQ(identify(dir / "sub/../a"), a);
  EXPECT_NE(identify(dir / "b"), a);
  EXPECT_FALSE(identify(dir / "missing").has_value());
}

// ---- Strict numbers ------------------------------------------------------------------------

const SourceLocation kFlag{"--seed"};

TEST(StrictNumbers, Uint64RefusesSigns) {
  const std::string message = input_error([] { parse_uint64("-1", 0, UINT64_MAX, kFlag, "seed"); });
  EXPECT_EQ(
      message,
      "--seed: seed: found '-1', expected an integer in [0, 18446744073709551615], without a sign");
  EXPECT_FALSE(input_error([] { parse_uint64("+1", 0, UINT64_MAX, kFlag, "seed"); }).empty());
  EXPECT_EQ(parse_uint64("18446744073709551615", 0, UINT64_MAX, kFlag, "seed"), UINT64_MAX);
  EXPECT_FALSE(input_error([] {
                 parse_uint64("18446744073709551616", 0, UINT64_MAX, kFlag, "seed");
               }).empty());
  EXPECT_EQ(parse_uint64("42", 0, UINT64_MAX, kFlag, "seed"), 42u);
}

class StrictIntRefuses : public ::testing::TestWithParam<const char*> {};

TEST_P(StrictIntRefuses, Text) {
  const std::string text = GetParam();
  const std::string message = input_error([&] { parse_int(text, 0, 1000, {"--count"}, "Gävle"); });
  EXPECT_TRUE(contains(message, "--count: Gävle: found ")) << message;
  EXPECT_TRUE(contains(message, "expected an integer in [0, 1000]")) << message;
}

INSTANTIATE_TEST_SUITE_P(StrictNumbers, StrictIntRefuses,
                         ::testing::Values("40,5", "40abc", " 5", "5 ", "", "5.0", "0x10", "1e3",
                                           "-", "+", "+-5", "1001", "-1", "99999999999999999999"));

TEST(StrictNumbers, IntAcceptsSignsAndTheBounds) {
  EXPECT_EQ(parse_int("-3", -5, 5, kFlag, "n"), -3);
  EXPECT_EQ(parse_int("+3", -5, 5, kFlag, "n"), 3);
  EXPECT_EQ(parse_int("-5", -5, 5, kFlag, "n"), -5);
  EXPECT_EQ(parse_int("5", -5, 5, kFlag, "n"), 5);
  EXPECT_EQ(parse_int("007", 0, 10, kFlag, "n"), 7);
}

TEST(StrictNumbers, MessagesShowWhatWasFound) {
  EXPECT_TRUE(contains(input_error([] { parse_int("", 0, 9, kFlag, "n"); }), "found nothing"));
  EXPECT_TRUE(
      contains(input_error([] { parse_int("4\n2", 0, 9, kFlag, "n"); }), "found '4\\x0A2'"));
  const std::string long_text(500, '7');
  const std::string message = input_error([&] { parse_int(long_text, 0, 9, kFlag, "n"); });
  EXPECT_LT(message.size(), 200u) << "a long value is cut short";
}

class StrictDoubleRefuses : public ::testing::TestWithParam<const char*> {};

TEST_P(StrictDoubleRefuses, Text) {
  const std::string text = GetParam();
  const std::string message =
      input_error([&] { parse_double(text, 0, 100, {"--count"}, "Gävle"); });
  EXPECT_TRUE(contains(message, "expected a number in [0, 100]")) << message;
}

INSTANTIATE_TEST_SUITE_P(StrictNumbers, StrictDoubleRefuses,
                         ::testing::Values("nan", "NaN", "inf", "-inf", "infinity", "1e400", "",
                                           " 5", "5 ", "40abc", "0x10", "1..2", "++1", "-1",
                                           "100.5", "1,2,3"));

TEST(StrictNumbers, DecimalCommaSuggestsThePoint) {
  const std::string message =
      input_error([] { parse_double("40,5", 0, 100, {"--count"}, "Gävle"); });
  EXPECT_EQ(message,
            "--count: Gävle: found '40,5', expected a number in [0, 100] written with '.' as the "
            "decimal mark: 40.5");
}

TEST(StrictNumbers, DoubleAcceptsUsualSpellings) {
  EXPECT_EQ(parse_double("40.5", 0, 100, kFlag, "x"), 40.5);
  EXPECT_EQ(parse_double("+2", 0, 100, kFlag, "x"), 2.0);
  EXPECT_EQ(parse_double("-0.5", -1, 1, kFlag, "x"), -0.5);
  EXPECT_EQ(parse_double("1e-3", 0, 1, kFlag, "x"), 0.001);
  EXPECT_EQ(parse_double(".5", 0, 1, kFlag, "x"), 0.5);
  EXPECT_EQ(parse_double("1E2", 0, 100, kFlag, "x"), 100.0);
}

TEST(StrictNumbers, OpenRangesAreWrittenAsSuch) {
  constexpr double kLowest = std::numeric_limits<double>::lowest();
  constexpr double kMax = std::numeric_limits<double>::max();
  EXPECT_TRUE(contains(input_error([&] { parse_double("x", kLowest, kMax, kFlag, "x"); }),
                       "expected a finite number"));
  EXPECT_TRUE(contains(input_error([&] { parse_double("-1", 0, kMax, kFlag, "x"); }),
                       "expected a number >= 0"));
  EXPECT_TRUE(contains(input_error([&] { parse_double("2", kLowest, 1.5, kFlag, "x"); }),
                       "expected a number <= 1.5"));
}

TEST(StrictNumbers, IgnoresTheGlobalLocale) {
  // A locale with a decimal comma must not make "0,5" a number or "0.5" an error.
  struct CommaDecimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
  };
  const std::locale saved =
      std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
  const double v = parse_double("0.5", 0, 1, kFlag, "x");
  const std::string message = input_error([] { parse_double("0,5", 0, 1, kFlag, "x"); });
  std::locale::global(saved);
  EXPECT_EQ(v, 0.5);
  EXPECT_FALSE(message.empty());
}

// ---- CSV -----------------------------------------------------------------------------------

// A small RFC 4180 reader: rows of cells, for checking that what we write reads back.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, char separator) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      row.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == separator) {
      row.emplace_back();
    } else if (!quoted &&
               (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))) {
      if (c == '\r') ++i;
      rows.push_back(row);
      row.assign(1, "");
    } else {
      row.back() += c;
    }
  }
  return rows;
}

const std::vector<std::string> kNastyTexts = {"plain",       "a,b",        "a;b", "say \"hi\"",
                                              "line\nbreak", "cr\rreturn", "\"",  "",
                                              "Gävle",       "  spaced  ", "=1+1"};

TEST(CsvWriter, EnglishQuotesOnlyWhatNeedsIt) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::english());
  for (const std::string& t : kNastyTexts) csv.cell(t);
  csv.end_row();
  EXPECT_EQ(out.str(),
            "plain,\"a,b\",a;b,\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rreturn\",\"\"\"\",,Gävle,  "
            "spaced  ,=1+1\n");
}

TEST(CsvWriter, SwedishQuotesTheSemicolonAndWritesOneBom) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::swedish());
  csv.cell("name").cell("share").end_row();
  csv.cell("a;b").cell(0.25).end_row();
  csv.cell("a,b").cell(1.5, 3).end_row();
  EXPECT_EQ(out.str(), "\xEF\xBB\xBFname;share\n\"a;b\";0,25\na,b;1,5\n");
  EXPECT_EQ(out.str().find("\xEF\xBB\xBF", 1), std::string::npos);
}

TEST(CsvWriter, BomComesFirstEvenForAnEmptyRow) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::swedish());
  csv.end_row();
  csv.end_row();
  EXPECT_EQ(out.str(), "\xEF\xBB\xBF\n\n");
}

TEST(CsvWriter, EnglishHasNoBom) {
  std::ostringstream out;
  CsvWriter(out, CsvDialect::english()).cell("x").end_row();
  EXPECT_EQ(out.str(), "x\n");
}

TEST(CsvWriter, EveryTextReadsBack) {
  for (const CsvDialect dialect : {CsvDialect::english(), CsvDialect::swedish()}) {
    std::ostringstream out;
    CsvWriter csv(out, dialect);
    for (const std::string& t : kNastyTexts) csv.cell(t);
    csv.end_row();
    csv.cell(1.5).cell("last").end_row();
    std::string text = out.str();
    if (dialect.bom) text.erase(0, 3);
    const auto rows = parse_csv(text, dialect.separator);
    ASSERT_EQ(rows.size(), 2u) << text;
    EXPECT_EQ(rows[0], kNastyTexts);
    EXPECT_EQ(rows[1], (std::vector<std::string>{dialect.decimal == ',' ? "1,5" : "1.5", "last"}));
  }
}

TEST(CsvWriter, NumbersStayNumbers) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::english());
  csv.cell(-5.0).cell(-0.0).cell(0.1).cell(2.0 / 3.0, 3).cell(1e-7, 3).cell(1234567.0, 3);
  csv.end_row();
  EXPECT_EQ(out.str(), "-5,0,0.1,0.667,1e-07,1.23e+06\n");
}

TEST(CsvWriter, DoublesRoundTripByDefault) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::english());
  const double third = 1.0 / 3.0;
  csv.cell(third).end_row();
  EXPECT_EQ(std::stod(out.str()), third);
}

TEST(CsvWriter, MissingAndInfiniteValues) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::english());
  csv.cell(std::numeric_limits<double>::quiet_NaN()).cell(std::numeric_limits<double>::infinity());
  csv.cell(-std::numeric_limits<double>::infinity()).end_row();
  EXPECT_EQ(out.str(), ",inf,-inf\n");
}

TEST(CsvWriter, Integers) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::swedish());
  csv.cell(42)
      .cell(-7LL)
      .cell(std::numeric_limits<std::uint64_t>::max())
      .cell(std::size_t{3})
      .end_row();
  EXPECT_EQ(out.str(),
            "\xEF\xBB\xBF"
            "42;-7;18446744073709551615;3\n");
}

TEST(CsvWriter, ALoneEmptyCellIsKept) {
  std::ostringstream out;
  CsvWriter csv(out, CsvDialect::english());
  csv.cell("name").end_row();
  csv.cell("").end_row();
  csv.cell("").cell("").end_row();
  EXPECT_EQ(out.str(), "name\n\"\"\n,\n");
}

TEST(CsvWriter, CrLfWhenAsked) {
  std::ostringstream out;
  CsvDialect dialect = CsvDialect::english();
  dialect.line_ending = LineEnding::kCrLf;
  CsvWriter csv(out, dialect);
  csv.cell("a").cell("b\nc").end_row();
  csv.cell(1).end_row();
  EXPECT_EQ(out.str(), "a,\"b\nc\"\r\n1\r\n");
}

TEST(CsvWriter, IgnoresTheStreamLocale) {
  struct CommaGrouping : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
  };
  std::ostringstream out;
  out.imbue(std::locale(std::locale::classic(), new CommaGrouping));
  CsvWriter csv(out, CsvDialect::english());
  csv.cell(1234567.5).cell(1234567).end_row();
  EXPECT_EQ(out.str(), "1234567.5,1234567\n");
}

TEST(CsvWriter, RefusesAnAmbiguousDialect) {
  std::ostringstream out;
  EXPECT_THROW(CsvWriter(out, CsvDialect{',', ',', false, LineEnding::kLf}), std::invalid_argument);
  EXPECT_THROW(CsvWriter(out, CsvDialect{'\t', '.', false, LineEnding::kLf}),
               std::invalid_argument);
}

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// Standard output of the child redirected to `path` (opened for writing).
bool redirect_stdout(const char* path) {
  const int fd = ::open(path, O_WRONLY);
  return fd >= 0 && ::dup2(fd, STDOUT_FILENO) >= 0 && ::close(fd) == 0;
}

}  // namespace

// ---- OutputFile: the happy path --------------------------------------------------------

TEST(OutputFile, TargetAppearsOnlyAtCommit) {
  TempDir dir;
  const std::string target = dir / "out.csv";
  OutputFile out(target, {});
  out.stream() << "a,b\n";
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(dir.temporaries(), 1) << "the temporary is created at once";
  out.commit();
  EXPECT_EQ(test::read_file(target), "a,b\n");
  EXPECT_EQ(dir.names(), std::vector<std::string>{"out.csv"});
}

TEST(OutputFile, UncommittedOutputLeavesTheTargetUntouched) {
  TempDir dir;
  const std::string target = dir / "out.csv";
  write_text(target, "old");
  {
    OutputFile out(target, {});
    out.stream() << "new";
  }
  EXPECT_EQ(test::read_file(target), "old");
  EXPECT_EQ(dir.temporaries(), 0);
}

TEST(OutputFile, ReplacedFileKeepsItsMode) {
  TempDir dir;
  const std::string target = dir / "private.csv";
  write_text(target, "old");
  ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
  OutputFile out(target, {});
  out.stream() << "new";
  out.commit();
  EXPECT_EQ(test::read_file(target), "new");
  EXPECT_EQ(mode_of(target), 0600u);

  ASSERT_EQ(::chmod(target.c_str(), 0640), 0);
  OutputFile again(target, {});
  again.commit();
  EXPECT_EQ(mode_of(target), 0640u);
}

TEST(OutputFile, NewFileFollowsTheUmask) {
  TempDir dir;
  const mode_t saved = ::umask(027);
  OutputFile out(dir / "new.csv", {});
  out.commit();
  ::umask(saved);
  EXPECT_EQ(mode_of(dir / "new.csv"), 0640u);
}

TEST(OutputFile, LongTargetNameWorks) {
  TempDir dir;
  const std::string name = std::string(246, 'n') + ".csv";  // 250 characters; NAME_MAX is 255
  OutputFile out(dir / name, {});
  out.stream() << "x";
  out.commit();
  EXPECT_EQ(test::read_file(dir / name), "x");
}

TEST(OutputFile, RelativeTargetInTheCurrentFolder) {
  TempDir dir;
  const fs::path saved = fs::current_path();
  fs::current_path(dir.path());
  {
    OutputFile out("plain.csv", {});
    out.stream() << "x";
    out.commit();
  }
  fs::current_path(saved);
  EXPECT_EQ(test::read_file(dir / "plain.csv"), "x");
}

// ---- OutputFile: refusals, all before any output exists ---------------------------------

TEST(OutputFile, RefusesAFolder) {
  TempDir dir;
  const std::string message = input_error([&] { OutputFile out(dir.path().string(), {}); });
  EXPECT_TRUE(contains(message, dir.path().string() + ": is a folder")) << message;
}

TEST(OutputFile, RefusesAPathEndingInSlash) {
  TempDir dir;
  const std::string message = input_error([&] { OutputFile out(dir / "sub/", {}); });
  EXPECT_TRUE(contains(message, "ends with '/'")) << message;
}

TEST(OutputFile, RefusesASymbolicLinkAndLeavesItsTargetAlone) {
  TempDir dir;
  write_text(dir / "real.csv", "real");
  fs::create_symlink(dir / "real.csv", dir / "link.csv");
  const std::string message = input_error([&] { OutputFile out(dir / "link.csv", {}); });
  EXPECT_TRUE(contains(message, "symbolic link")) << message;
  EXPECT_TRUE(fs::is_symlink(dir / "link.csv"));
  EXPECT_EQ(test::read_file(dir / "real.csv"), "real");
  EXPECT_EQ(dir.temporaries(), 0);
}

TEST(OutputFile, RefusesADanglingSymbolicLink) {
  // A link planted where the output goes cannot make extrasim create a file elsewhere.
  TempDir dir;
  fs::create_symlink(dir / "elsewhere.csv", dir / "link.csv");
  const std::string message = input_error([&] { OutputFile out(dir / "link.csv", {}); });
  EXPECT_TRUE(contains(message, "symbolic link")) << message;
  EXPECT_FALSE(fs::exists(dir / "elsewhere.csv"));
}

TEST(OutputFile, RefusesACharacterDevice) {
  // The issue: as root, --out /dev/null turned the device into a regular file.
  const std::string message = input_error([] { OutputFile out("/dev/null", {}); });
  EXPECT_TRUE(contains(message, "/dev/null: is a character device")) << message;
  EXPECT_TRUE(contains(message, "standard output ('-')")) << message;
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFile, RefusesAFifo) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const std::string message = input_error([&] { OutputFile out(dir / "fifo", {}); });
  EXPECT_TRUE(contains(message, "is a FIFO")) << message;
  EXPECT_EQ(dir.temporaries(), 0);
}

TEST(OutputFile, RefusesAnInputThroughAHardLink) {
  TempDir dir;
  write_text(dir / "scenario.yaml", "name: s\n");
  fs::create_hard_link(dir / "scenario.yaml", dir / "result.yaml");
  const std::string message = input_error([&] {
    OutputFile out(dir / "result.yaml", {dir / "other.yaml", dir / "scenario.yaml"});
  });
  EXPECT_TRUE(contains(message, "is the input file '" + dir / "scenario.yaml" + "'")) << message;
  EXPECT_EQ(test::read_file(dir / "scenario.yaml"), "name: s\n");
}

TEST(OutputFile, RefusesAnInputSpeltDifferently) {
  TempDir dir;
  fs::create_directory(dir / "sub");
  write_text(dir / "scenario.yaml", "name: s\n");
  const std::string spelt = (dir.path() / "." / "sub" / ".." / "scenario.yaml").string();
  const std::string message = input_error([&] { OutputFile out(spelt, {dir / "scenario.yaml"}); });
  EXPECT_TRUE(contains(message, "is the input file")) << message;
}

TEST(OutputFile, RefusesAnInputReachedThroughALink) {
  TempDir dir;
  write_text(dir / "scenario.yaml", "name: s\n");
  fs::create_symlink(dir / "scenario.yaml", dir / "alias.yaml");
  const std::string message =
      input_error([&] { OutputFile out(dir / "scenario.yaml", {dir / "alias.yaml"}); });
  EXPECT_TRUE(contains(message, "is the input file")) << message;
}

TEST(OutputFile, MissingFolderSaysWhy) {
  TempDir dir;
  const std::string message = input_error([&] { OutputFile out(dir / "no/such/out.csv", {}); });
  EXPECT_TRUE(contains(message, "No such file or directory")) << message;
}

TEST(OutputFile, FolderThatIsAFileSaysWhy) {
  TempDir dir;
  write_text(dir / "file", "x");
  const std::string message = input_error([&] { OutputFile out(dir / "file/out.csv", {}); });
  EXPECT_TRUE(contains(message, "Not a directory")) << message;
}

TEST(OutputFile, RefusalsLeaveNoOpenDescriptors) {
  TempDir dir;
  const auto open_descriptors = [] {
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator());
  };
  const auto before = open_descriptors();
  for (int i = 0; i < 3; ++i) {
    input_error(
        [&] { OutputFile out(dir.path().string(), {}); });  // refused after opening its folder
    input_error([] { OutputFile out("/dev/null", {}); });
  }
  EXPECT_EQ(open_descriptors(), before);
}

// ---- OutputFile: failures carry errno ---------------------------------------------------

TEST(OutputFile, WriteFailureCarriesTheReasonAndKeepsTheTarget) {
  // A file size limit makes write() fail as a full disk would, with an errno to report.
  TempDir dir;
  const std::string target = dir / "out.csv";
  write_text(target, "old");
  const std::string message = output_error_in_child([&] {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    OutputFile out(target, {});
    out.stream() << std::string(std::size_t{200} << 10, 'x');
    out.commit();
  });
  EXPECT_TRUE(contains(message, target + ": writing failed: File too large")) << message;
  EXPECT_EQ(test::read_file(target), "old");
  EXPECT_EQ(dir.temporaries(), 0);
}

TEST(OutputFile, CommitTwiceIsAProgrammingError) {
  TempDir dir;
  OutputFile out(dir / "out.csv", {});
  out.commit();
  EXPECT_THROW(out.commit(), std::logic_error);
}

// ---- OutputFile: "-" is standard output ---------------------------------------------------

TEST(OutputFileStdout, DashWritesToStandardOutput) {
  OutputFile out("-", {});
  EXPECT_EQ(&out.stream(), &std::cout);
}

TEST(OutputFileStdout, DashCommitReportsAFullDevice) {
  const std::string message = output_error_in_child([] {
    if (!redirect_stdout("/dev/full")) throw std::runtime_error("cannot redirect standard output");
    OutputFile out("-", {});
    out.stream() << "result\n";
    out.commit();
  });
  EXPECT_EQ(message, "standard output: writing failed: No space left on device");
}

// ---- Cleanup on signals ----------------------------------------------------------------

class OutputSignals : public ::testing::TestWithParam<int> {};

TEST_P(OutputSignals, RemoveThePendingTemporaryAndKillTheProcess) {
  const int sig = GetParam();
  TempDir dir;
  const std::string target = dir / "out.csv";
  write_text(target, "original");
  Child child([&](int report) -> int {
    std::signal(sig, SIG_DFL);  // as the shell starts a foreground command, even under nohup
    install_output_cleanup();
    OutputFile out(target, {});
    out.stream() << "partial" << std::flush;
    Child::report(report, "ready\n");
    for (;;) ::pause();
  });
  ASSERT_EQ(child.read_line(), "ready");
  ASSERT_EQ(dir.temporaries(), 1) << "the child's temporary exists before the signal";
  child.kill(sig);
  const int status = child.wait();
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), sig) << "the default action follows the cleanup";
  EXPECT_EQ(dir.names(), std::vector<std::string>{"out.csv"});
  EXPECT_EQ(test::read_file(target), "original");
}

INSTANTIATE_TEST_SUITE_P(OutputCleanup, OutputSignals, ::testing::Values(SIGHUP, SIGINT, SIGTERM),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

TEST(OutputSignalsIgnored, AnIgnoredSignalStaysIgnored) {
  // Under nohup SIGHUP is ignored; installing the cleanup must not make it fatal.
  TempDir dir;
  Child child([&](int report) -> int {
    std::signal(SIGHUP, SIG_IGN);
    std::signal(SIGTERM, SIG_DFL);
    install_output_cleanup();
    OutputFile out(dir / "out.csv", {});
    Child::report(report, "ready\n");
    for (;;) ::pause();
  });
  ASSERT_EQ(child.read_line(), "ready");
  child.kill(SIGHUP);   // an ignored signal is discarded when sent...
  child.kill(SIGTERM);  // ...so this one is what ends the child
  const int status = child.wait();
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(dir.temporaries(), 0);
}

// ---- finish_stdout ---------------------------------------------------------------------

// What finish_stdout() says in a child whose standard output `prepare` set up and to which
// `text` was written.
std::string finish_in_child(const std::function<bool()>& prepare, const std::string& text) {
  Child child([&](int report) {
    if (!prepare()) return 2;
    std::cout << text;
    Child::report(report, "[" + finish_stdout() + "]");
    return 0;
  });
  std::string message = child.read_rest();
  const int status = child.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << message;
  return message;
}

TEST(OutputStdout, FullDeviceIsReported) {
  EXPECT_EQ(finish_in_child([] { return redirect_stdout("/dev/full"); }, "result\n"),
            "[standard output: No space left on device]");
}

TEST(OutputStdout, FullDeviceIsReportedAfterALongOutput) {
  // The buffer fills and fails while writing, long before finish_stdout() runs; C stdio has
  // forgotten the errno by then, but not that the write failed.
  EXPECT_EQ(finish_in_child([] { return redirect_stdout("/dev/full"); }, std::string(1 << 20, 'x')),
            "[standard output: a write failed]");
}

TEST(OutputStdout, CapturedStandardOutputKeepsTheReason) {
  const auto prepare = [] {
    capture_stdout_errors();
    return redirect_stdout("/dev/full");
  };
  EXPECT_EQ(finish_in_child(prepare, std::string(1 << 20, 'x')),
            "[standard output: No space left on device]");
  EXPECT_EQ(finish_in_child(prepare, "result\n"), "[standard output: No space left on device]");
}

TEST(OutputStdout, CapturedClosedStandardOutput) {
  const auto closed = [] {
    capture_stdout_errors();
    return ::close(STDOUT_FILENO) == 0;
  };
  EXPECT_EQ(finish_in_child(closed, "result\n"), "[standard output: Bad file descriptor]");
  EXPECT_EQ(finish_in_child(closed, ""), "[]");
}

TEST(OutputStdout, ClosedStandardOutputIsReported) {
  EXPECT_EQ(finish_in_child([] { return ::close(STDOUT_FILENO) == 0; }, "result\n"),
            "[standard output: Bad file descriptor]");
}

TEST(OutputStdout, ClosedStandardOutputWithNothingWrittenIsFine) {
  EXPECT_EQ(finish_in_child([] { return ::close(STDOUT_FILENO) == 0; }, ""), "[]");
}

TEST(OutputStdout, BrokenPipeIsReported) {
  const auto prepare = [] {
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    return ::pipe(fds) == 0 && ::close(fds[0]) == 0 && ::dup2(fds[1], STDOUT_FILENO) >= 0;
  };
  EXPECT_EQ(finish_in_child(prepare, "result\n"), "[standard output: Broken pipe]");
}

TEST(OutputStdout, SuccessfulOutputReportsNothing) {
  EXPECT_EQ(finish_in_child([] { return redirect_stdout("/dev/null"); }, "result\n"), "[]");
}

}  // namespace extrasim::io
