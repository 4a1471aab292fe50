// Dates as day numbers (engine/common/dates.hpp): what a "cap in months"
// turns on — the day of the month, month ends, leap days, backwards periods.
#include "engine/common/dates.hpp"

#include <catch2/catch.hpp>

namespace {

int day(const char* ymd) {
  const auto d = perwal::days_from_date(ymd);
  REQUIRE(d);
  return *d;
}

int months(const char* from, const char* to) {
  return perwal::months_between(day(from), day(to));
}

}  // namespace

TEST_CASE("dates: day numbers of valid dates, none for the rest", "[dates]") {
  CHECK(day("1970-01-01") == 0);
  CHECK(day("2024-03-01") - day("2024-02-28") == 2);  // 2024 is a leap year
  CHECK(day("2025-03-01") - day("2025-02-28") == 1);
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "2025-01-01x", ""}) {
    INFO(bad);
    CHECK_FALSE(perwal::days_from_date(bad));
  }
  const auto [y, m, d] = perwal::civil_from_days(day("2026-12-05"));
  CHECK((y == 2026 && m == 12 && d == 5));
}

TEST_CASE("dates: whole months turn on the day of the month", "[dates]") {
  CHECK(months("2025-01-15", "2026-01-15") == 12);
  CHECK(months("2025-01-15", "2026-01-14") == 11);
  CHECK(months("2025-01-15", "2026-02-14") == 12);  // not 13: the 15th is not reached
  CHECK(months("2025-01-15", "2026-02-15") == 13);
  CHECK(months("2025-01-31", "2025-02-28") == 0);
  CHECK(months("2025-01-31", "2025-03-31") == 2);
  CHECK(months("2024-02-29", "2025-02-28") == 11);
  CHECK(months("2025-01-01", "2025-01-01") == 0);
  CHECK(months("2026-02-14", "2025-01-15") == -12);  // backwards: the same count, negative
  CHECK(months("2026-02-15", "2025-01-15") == -13);
}
