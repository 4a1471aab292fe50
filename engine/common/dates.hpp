// Calendar dates as day numbers (days since 1970-01-01, proleptic
// Gregorian), for date fields and literals in rules: compare them, count the
// days or whole months between two.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace perwal {

// The day number of a YYYY-MM-DD date; nullopt when it is not a valid date.
[[nodiscard]] std::optional<int> days_from_date(std::string_view ymd);
// {year, month, day} of a day number.
[[nodiscard]] std::array<int, 3> civil_from_days(int day);
// Whole months from one day to another (negative when `to_day` is earlier):
// 2025-01-31 to 2025-02-28 is 0 months, to 2025-03-31 is 2.
[[nodiscard]] int months_between(int from_day, int to_day);

}  // namespace perwal
