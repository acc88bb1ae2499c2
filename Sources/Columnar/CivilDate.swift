/// Conversions between calendar dates and days since 1970-01-01 (proleptic Gregorian).
///
/// The algorithm is Howard Hinnant's `days_from_civil`, which is exact for every year
/// representable here and needs no calendar object or time zone.
public enum CivilDate {
    /// Days since 1970-01-01 for a valid calendar date.
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int32 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// The calendar date of a day number.
    public static func components(days: Int32) -> (year: Int, month: Int, day: Int) {
        let shifted = Int(days) + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Whether the triple names a real calendar day.
    @inlinable
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= daysInMonth(year: year, month: month)
    }

    /// The number of days in a month.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The day a timestamp (seconds since 1970-01-01 00:00:00) falls on.
    public static func day(ofSeconds seconds: Int64) -> Int32 {
        Int32(truncatingIfNeeded: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// ISO text `YYYY-MM-DD HH:MM:SS`.
    public static func isoString(seconds: Int64) -> String {
        let day = day(ofSeconds: seconds)
        let time = Int(seconds - Int64(day) * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return isoString(days: day) + " " + two(time / 3600) + ":" + two(time / 60 % 60) + ":" + two(time % 60)
    }

    /// ISO text `YYYY-MM-DD`.
    public static func isoString(days: Int32) -> String {
        let (year, month, day) = components(days: days)
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
}
