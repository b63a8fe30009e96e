#include "extrasim/io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace extrasim::io {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr int kMaxDigits = 17;  // a double holds no more: more digits only print noise

bool needs_quotes(std::string_view text, char separator) {
  return text.find_first_of(std::string{separator, '"', '\r', '\n'}) != std::string_view::npos;
}

void write_quoted(std::ostream& out, std::string_view text) {
  out << '"';
  for (const char c : text) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

void check_dialect(const CsvDialect& d) {
  const bool separator_ok = d.separator == ',' || d.separator == ';';
  const bool decimal_ok = d.decimal == '.' || d.decimal == ',';
  if (!separator_ok || !decimal_ok || d.separator == d.decimal) {
    throw std::invalid_argument(
        "CsvDialect: the separator must be ',' or ';' and the decimal mark "
        "'.' or ',', and they must differ");
  }
}

}  // namespace

CsvDialect CsvDialect::english() { return {',', '.', false, LineEnding::kLf}; }

CsvDialect CsvDialect::swedish() { return {';', ',', true, LineEnding::kLf}; }

CsvWriter::CsvWriter(std::ostream& out, CsvDialect dialect) : out_(out), dialect_(dialect) {
  check_dialect(dialect_);
}

void CsvWriter::write_bom_once() {
  if (!started_ && dialect_.bom) out_ << kBom;
  started_ = true;
}

void CsvWriter::start_cell(bool empty) {
  write_bom_once();
  if (cells_in_row_ > 0) out_ << dialect_.separator;
  if (cells_in_row_ == 0) first_cell_empty_ = empty;
  ++cells_in_row_;
}

CsvWriter& CsvWriter::cell(std::string_view text) {
  start_cell(text.empty());
  if (needs_quotes(text, dialect_.separator)) {
    write_quoted(out_, text);
  } else {
    out_ << text;
  }
  return *this;
}

CsvWriter& CsvWriter::cell(double value, int significant_digits) {
  if (std::isnan(value)) return cell(std::string_view());  // missing, as elsewhere
  if (value == 0) value = 0.0;                             // -0 reads as a bug in a table
  char buf[64];
  const auto [end, ec] =
      significant_digits == kRoundTrip
          ? std::to_chars(buf, buf + sizeof buf, value)
          : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general,
                          std::clamp(significant_digits, 1, kMaxDigits));
  if (ec != std::errc()) throw std::logic_error("CsvWriter: a double did not fit 64 characters");
  std::replace(buf, end, '.', dialect_.decimal);
  return number_cell(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

CsvWriter& CsvWriter::signed_cell(long long value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return number_cell(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

CsvWriter& CsvWriter::unsigned_cell(unsigned long long value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return number_cell(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

// Numbers hold neither separator (the decimal mark differs from it) nor quotes: never quoted.
CsvWriter& CsvWriter::number_cell(std::string_view digits) {
  start_cell(false);
  out_ << digits;
  return *this;
}

void CsvWriter::end_row() {
  write_bom_once();
  // A lone empty cell would be a blank line, which pandas and R skip: quote it to keep the row.
  if (cells_in_row_ == 1 && first_cell_empty_) out_ << "\"\"";
  out_ << (dialect_.line_ending == LineEnding::kCrLf ? "\r\n" : "\n");
  cells_in_row_ = 0;
}

std::optional<std::vector<std::string>> split_csv_row(std::string_view row, char separator) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (quoted) {
      if (c != '"') cells.back() += c;
      else if (i + 1 < row.size() && row[i + 1] == '"') cells.back() += row[++i];
      else quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  return cells;
}

}  // namespace extrasim::io
