// RFC 4180 CSV writing, in the English or the Swedish spreadsheet dialect.
//
// Contract: every text round-trips through an RFC 4180 reader (Python's csv, pandas, R,
// Excel): a cell is quoted when it holds the separator, a double quote, CR or LF, and quotes
// inside are doubled. Numbers are written locale-independently (std::to_chars) with the
// dialect's decimal mark and are never quoted, so they stay numbers; -0 is written as 0 and
// nan as an empty cell (missing, as the other writers do). A row of one empty cell is written
// `""` so readers that skip blank lines keep it.
//
// Choices:
// - Line ending: "\n" in both presets. Excel, LibreOffice, pandas, R and Python's csv module
//   all read it; RFC 4180's CRLF is available (LineEnding::kCrLf) for strict consumers, but
//   as the default it would leave a '\r' in the last field for cut/awk/grep users and change
//   every existing output file for no reader's benefit.
// - CSV injection: text cells starting with '=', '+', '-' or '@' are written as they are.
//   Quoting would not help (spreadsheets unquote before evaluating), and the usual guard, a
//   leading apostrophe, changes the data pandas and R read. The names come from the user's
//   own scenario and units files, which a spreadsheet would evaluate just the same.
// - The byte order mark (Swedish preset) makes Excel read UTF-8 ("Gävle") instead of the
//   Windows code page; it is written once, before the first cell. Use one CsvWriter per
//   stream.
#pragma once

#include <concepts>
#include <cstdint>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <type_traits>

namespace extrasim::io {

enum class LineEnding { kLf, kCrLf };

struct CsvDialect {
  char separator = ',';  // ',' or ';'
  char decimal = '.';    // '.' or ','; never equal to the separator
  bool bom = false;      // a UTF-8 byte order mark at the start
  LineEnding line_ending = LineEnding::kLf;

  static CsvDialect english();  // ',' and '.', no BOM
  static CsvDialect swedish();  // ';' and ',', BOM: what Excel in a Swedish locale opens
};

class CsvWriter {
 public:
  // Shortest text that reads back as the same double.
  static constexpr int kRoundTrip = 0;

  // Throws std::invalid_argument for a dialect outside the combinations above.
  CsvWriter(std::ostream& out, CsvDialect dialect);

  CsvWriter& cell(std::string_view text);
  CsvWriter& cell(const char* text) { return cell(std::string_view(text)); }
  // `significant_digits` as printf's %g (trailing zeros dropped), or kRoundTrip.
  CsvWriter& cell(double value, int significant_digits = kRoundTrip);
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool> &&
           !std::same_as<Integer, char>) CsvWriter& cell(Integer value) {
    if constexpr (std::is_signed_v<Integer>) {
      return signed_cell(value);
    } else {
      return unsigned_cell(value);
    }
  }
  // Neither is a number nor a text here: say which one is meant.
  CsvWriter& cell(bool) = delete;
  CsvWriter& cell(char) = delete;
  void end_row();

 private:
  CsvWriter& signed_cell(long long value);
  CsvWriter& unsigned_cell(unsigned long long value);
  CsvWriter& number_cell(std::string_view digits);
  void write_bom_once();
  void start_cell(bool empty);

  std::ostream& out_;
  CsvDialect dialect_;
  bool started_ = false;  // the BOM, if any, is out
  int cells_in_row_ = 0;
  bool first_cell_empty_ = false;
};

// The cells of one CSV row as CsvWriter writes them (quoted cells unquoted, doubled quotes
// undone). The row holds no line break; nullopt when a quote is not closed.
std::optional<std::vector<std::string>> split_csv_row(std::string_view row, char separator = ',');

}  // namespace extrasim::io
