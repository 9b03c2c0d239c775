//! RFC 3339 timestamps read into a comparable instant.
//!
//! Sources write `2025-03-05T18:06:11.694633Z`, `2025-03-05T18:06:11+00:00` and shorter forms,
//! so the parser accepts a date alone, a time without seconds, any number of fraction digits,
//! a space or `t` in place of `T`, and a missing offset (read as UTC).

/// Parses an RFC 3339 timestamp into nanoseconds since 1970-01-01T00:00:00Z.
///
/// Returns `None` when the text is not a timestamp of the forms listed above.
pub(super) fn parse_rfc3339(text: &str) -> Option<i128> {
    let mut cursor = Cursor::new(text.trim());

    let year = cursor.number(4)?;
    cursor.expect(b'-')?;
    let month = cursor.number(2)?;
    cursor.expect(b'-')?;
    let day = cursor.number(2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);

    let mut nanos = 0;
    if cursor.take_if(|byte| matches!(byte, b'T' | b't' | b' ')) {
        nanos = cursor.time_of_day()?;
        nanos -= cursor.offset()?;
    }
    if !cursor.is_at_end() {
        return None;
    }

    Some(i128::from(days) * NANOS_PER_DAY + nanos)
}

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_MINUTE: i128 = 60 * NANOS_PER_SECOND;
const NANOS_PER_HOUR: i128 = 60 * NANOS_PER_MINUTE;
const NANOS_PER_DAY: i128 = 24 * NANOS_PER_HOUR;

/// Returns the number of days from 1970-01-01 to a date of the proleptic Gregorian calendar.
///
/// This is Howard Hinnant's `days_from_civil` algorithm.
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A read position in the bytes of a timestamp.
struct Cursor<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            position: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn is_at_end(&self) -> bool {
        self.position >= self.bytes.len()
    }

    /// Advances past the next byte when `accept` returns true for it.
    fn take_if(&mut self, accept: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(byte) if accept(byte) => {
                self.position += 1;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, expected: u8) -> Option<()> {
        self.take_if(|byte| byte == expected).then_some(())
    }

    /// Reads exactly `digits` decimal digits.
    fn number(&mut self, digits: usize) -> Option<u32> {
        let mut value = 0;
        for _ in 0..digits {
            let byte = self.peek().filter(u8::is_ascii_digit)?;
            value = value * 10 + u32::from(byte - b'0');
            self.position += 1;
        }
        Some(value)
    }

    /// Reads `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` as nanoseconds since midnight.
    fn time_of_day(&mut self) -> Option<i128> {
        let hour = self.number(2)?;
        self.expect(b':')?;
        let minute = self.number(2)?;
        let mut second = 0;
        let mut fraction = 0;
        if self.take_if(|byte| byte == b':') {
            second = self.number(2)?;
            if self.take_if(|byte| matches!(byte, b'.' | b',')) {
                fraction = self.fraction()?;
            }
        }
        // A leap second (60) is accepted and counted as the next second.
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        Some(
            i128::from(hour) * NANOS_PER_HOUR
                + i128::from(minute) * NANOS_PER_MINUTE
                + i128::from(second) * NANOS_PER_SECOND
                + fraction,
        )
    }

    /// Reads the digits of a fraction of a second as nanoseconds. Digits past the ninth are
    /// read and dropped.
    fn fraction(&mut self) -> Option<i128> {
        let mut nanos = 0;
        let mut count = 0;
        while let Some(byte) = self.peek().filter(u8::is_ascii_digit) {
            if count < 9 {
                nanos = nanos * 10 + i128::from(byte - b'0');
            }
            count += 1;
            self.position += 1;
        }
        if count == 0 {
            return None;
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Some(nanos)
    }

    /// Reads `Z`, `+HH:MM`, `+HHMM`, `+HH` or nothing, as nanoseconds east of UTC.
    fn offset(&mut self) -> Option<i128> {
        let sign = match self.peek() {
            None => return Some(0),
            Some(b'Z' | b'z') => {
                self.position += 1;
                return Some(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            Some(_) => return None,
        };
        self.position += 1;
        let hours = self.number(2)?;
        self.take_if(|byte| byte == b':');
        let minutes = if self.is_at_end() { 0 } else { self.number(2)? };
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (i128::from(hours) * NANOS_PER_HOUR + i128::from(minutes) * NANOS_PER_MINUTE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<i128> {
        parse_rfc3339(text)
    }

    #[test]
    fn epoch_is_zero() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn microseconds_with_z() {
        let expected = 1_741_198_000 * NANOS_PER_SECOND;
        assert_eq!(parse("2025-03-05T18:06:40Z"), Some(expected));
        assert_eq!(
            parse("2025-03-05T18:06:40.694633Z"),
            Some(expected + 694_633_000)
        );
    }

    #[test]
    fn offset_equals_utc() {
        assert_eq!(
            parse("2025-03-05T18:06:11+00:00"),
            parse("2025-03-05T18:06:11Z")
        );
        assert_eq!(
            parse("2025-03-05T20:06:11+02:00"),
            parse("2025-03-05T18:06:11Z")
        );
        assert_eq!(
            parse("2025-03-05T13:06:11-0500"),
            parse("2025-03-05T18:06:11Z")
        );
    }

    #[test]
    fn shorter_forms_parse() {
        assert_eq!(parse("2025-03-05"), parse("2025-03-05T00:00:00Z"));
        assert_eq!(parse("2025-03-05T18:06"), parse("2025-03-05T18:06:00Z"));
        assert_eq!(parse("2025-03-05 18:06:11"), parse("2025-03-05T18:06:11Z"));
    }

    #[test]
    fn nanosecond_digits_past_nine_dropped() {
        assert_eq!(
            parse("2025-03-05T18:06:11.1234567891Z"),
            parse("2025-03-05T18:06:11.123456789Z")
        );
    }

    #[test]
    fn invalid_text_rejected() {
        for text in [
            "",
            "yesterday",
            "2025-13-01",
            "2025-03-05T25:00:00Z",
            "2025-03-05T18:06:11.Z",
            "2025-03-05T18:06:11Zjunk",
            "2025-03-05T18:06:11+5",
            "２０２５-03-05",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn order_across_days() {
        let earlier = parse("2024-12-31T23:59:59.999Z");
        let later = parse("2025-01-01T00:00:00Z");
        assert!(earlier < later);
    }
}
