//! Normalisation: turns what the recogniser read ([`Expr`]) into a TimeML value and the
//! calendar days it covers, anchored on the publication date (DCT).
//!
//! Relative expressions need three things besides the DCT: the tense of their clause
//! (a bare "Friday" in past-tense news is the most recent Friday, after "will" the next
//! one), and the discourse (in earnings reports "a year earlier" means the same quarter a
//! year before, not the whole year). Without a DCT they stay underspecified
//! (`XXXX-WXX-5`), never resolved against the machine's clock.

use super::TimexType;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Years outside this range are not dates we can normalise (and TimeML wants four digits).
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    fn code(self) -> &'static str {
        ["SP", "SU", "FA", "WI"][self as usize]
    }
    /// First month; each season runs three months (winter into the next year).
    fn first_month(self) -> u32 {
        [3, 6, 9, 12][self as usize]
    }
}

/// Parts of the day, with their TimeML codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl DayPart {
    fn code(self) -> &'static str {
        ["MO", "AF", "EV", "NI"][self as usize]
    }
}

/// A stretch of the calendar with a definite position: what a resolved DATE/TIME denotes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Point {
    /// `19` = 1900..1999.
    Century(i32),
    /// `199` = 1990..1999.
    Decade(i32),
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Season(i32, Season),
    Month(i32, u32),
    /// ISO week-numbering year and week.
    Week(i32, u32),
    Weekend(i32, u32),
    Day(NaiveDate),
}

pub fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if YEARS.contains(&y) {
        NaiveDate::from_ymd_opt(y, m, d)
    } else {
        None
    }
}

fn month_last(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// Month arithmetic on (year, month).
fn add_months(y: i32, m: u32, k: i64) -> Option<(i32, u32)> {
    let idx = (y as i64).checked_mul(12)?.checked_add(m as i64 - 1)?.checked_add(k)?;
    let y = i32::try_from(idx.div_euclid(12)).ok()?;
    Some((y, (idx.rem_euclid(12) + 1) as u32))
}

fn add_days(d: NaiveDate, k: i64) -> Option<NaiveDate> {
    if k >= 0 {
        d.checked_add_days(Days::new(k as u64))
    } else {
        d.checked_sub_days(Days::new(k.unsigned_abs()))
    }
}

impl Point {
    /// The point if its year is one we can write; `None` otherwise.
    fn checked(self) -> Option<Point> {
        let year = match self {
            Point::Century(c) => c.checked_mul(100)?,
            Point::Decade(d) => d.checked_mul(10)?,
            Point::Year(y) | Point::Half(y, _) | Point::Quarter(y, _) | Point::Season(y, _) => y,
            Point::Month(y, _) | Point::Week(y, _) | Point::Weekend(y, _) => y,
            Point::Day(d) => d.year(),
        };
        (0..=9999).contains(&year).then_some(self)
    }

    pub fn value(&self) -> String {
        match *self {
            Point::Century(c) => format!("{c:02}"),
            Point::Decade(d) => format!("{d:03}"),
            Point::Year(y) => format!("{y:04}"),
            Point::Half(y, h) => format!("{y:04}-H{h}"),
            Point::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Point::Season(y, s) => format!("{y:04}-{}", s.code()),
            Point::Month(y, m) => format!("{y:04}-{m:02}"),
            Point::Week(y, w) => format!("{y:04}-W{w:02}"),
            Point::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Point::Day(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// First and last day covered, inclusive.
    pub fn interval(&self) -> Option<(NaiveDate, NaiveDate)> {
        let months = |y: i32, first: u32, n: i64| -> Option<(NaiveDate, NaiveDate)> {
            let (ly, lm) = add_months(y, first, n - 1)?;
            Some((NaiveDate::from_ymd_opt(y, first, 1)?, month_last(ly, lm)?))
        };
        match *self {
            Point::Century(c) => Some((ymd(c * 100, 1, 1).or(ymd(1, 1, 1))?, ymd(c * 100 + 99, 12, 31)?)),
            Point::Decade(d) => Some((ymd(d * 10, 1, 1).or(ymd(1, 1, 1))?, ymd(d * 10 + 9, 12, 31)?)),
            Point::Year(y) => months(y, 1, 12),
            Point::Half(y, h) => months(y, 6 * h - 5, 6),
            Point::Quarter(y, q) => months(y, 3 * q - 2, 3),
            Point::Season(y, s) => months(y, s.first_month(), 3),
            Point::Month(y, m) => months(y, m, 1),
            Point::Week(y, w) => {
                let mon = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
                Some((mon, add_days(mon, 6)?))
            }
            Point::Weekend(y, w) => {
                let sat = NaiveDate::from_isoywd_opt(y, w, Weekday::Sat)?;
                Some((sat, add_days(sat, 1)?))
            }
            Point::Day(d) => Some((d, d)),
        }
    }
}

/// Calendar units of relative expressions and durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Century,
    Decade,
    Year,
    Quarter,
    Month,
    Week,
    Weekend,
    Day,
    Hour,
    Minute,
    Second,
}

impl Unit {
    /// The placeholder a value of this granularity gets when it cannot be resolved.
    fn unknown(self) -> &'static str {
        match self {
            Unit::Century => "XX",
            Unit::Decade => "XXX",
            Unit::Year => "XXXX",
            Unit::Quarter => "XXXX-QX",
            Unit::Month => "XXXX-XX",
            Unit::Week => "XXXX-WXX",
            Unit::Weekend => "XXXX-WXX-WE",
            Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => "XXXX-XX-XX",
        }
    }
}

/// A TimeML duration value: `P3Y`, `PT24H`, `P2Y6M`, `PXD` (vague count).
pub fn duration_value(n: Option<u64>, half: bool, unit: Unit) -> String {
    // Decades and centuries count in years when the number is known.
    let (n, unit) = match (n, unit) {
        (Some(n), Unit::Decade) => (n.checked_mul(10), Unit::Year),
        (Some(n), Unit::Century) => (n.checked_mul(100), Unit::Year),
        _ => (n, unit),
    };
    let (code, time, half_as) = match unit {
        Unit::Century => ("C", false, None),
        Unit::Decade => ("E", false, None),
        Unit::Year => ("Y", false, Some("6M")),
        Unit::Quarter => ("Q", false, None),
        Unit::Month => ("M", false, None),
        Unit::Week | Unit::Weekend => ("W", false, None),
        Unit::Day => ("D", false, Some("T12H")),
        Unit::Hour => ("H", true, Some("30M")),
        Unit::Minute => ("M", true, Some("30S")),
        Unit::Second => ("S", true, None),
    };
    let t = if time { "T" } else { "" };
    match n {
        None => format!("P{t}X{code}"),
        Some(0) if half => half_of(unit),
        Some(n) => {
            let extra = if half { half_as.unwrap_or("") } else { "" };
            format!("P{t}{n}{code}{extra}")
        }
    }
}

/// "half an hour", "half a year".
fn half_of(unit: Unit) -> String {
    match unit {
        Unit::Century => "P50Y",
        Unit::Decade => "P5Y",
        Unit::Year => "P6M",
        Unit::Quarter => "P3M",
        Unit::Month => "P2W",
        Unit::Week | Unit::Weekend => "P3DT12H",
        Unit::Day => "PT12H",
        Unit::Hour => "PT30M",
        Unit::Minute => "PT30S",
        Unit::Second => "PT0S",
    }
    .to_string()
}

/// Things that recur each year and need one to be placed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Annual {
    Month(u32),
    MonthDay(u32, u32),
    Season(Season),
    Holiday(Holiday),
    Quarter(u32),
    Half(u32),
}

/// How a holiday's date is found in a given year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Holiday {
    Fixed(u32, u32),
    /// n-th (1-based) weekday of a month.
    Nth(u32, Weekday, u32),
    /// Last weekday of a month.
    Last(u32, Weekday),
    /// Days after Easter Sunday (negative: before).
    Easter(i64),
    /// US Election Day: the Tuesday after the first Monday of November.
    Election,
}

impl Holiday {
    pub fn date(self, y: i32) -> Option<NaiveDate> {
        match self {
            Holiday::Fixed(m, d) => ymd(y, m, d),
            Holiday::Nth(m, wd, n) => NaiveDate::from_weekday_of_month_opt(y, m, wd, n as u8),
            Holiday::Last(m, wd) => {
                let last = month_last(y, m)?;
                let back = (last.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                add_days(last, -(back as i64))
            }
            Holiday::Easter(k) => add_days(easter(y)?, k),
            Holiday::Election => add_days(NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Mon, 1)?, 1),
        }
    }
}

/// Gregorian Easter Sunday (anonymous Gregorian algorithm).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

/// Which occurrence of something recurring is meant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rel {
    /// Decided by tense and distance to the DCT.
    Auto,
    This,
    /// "last April": the latest one wholly before the DCT.
    Last,
    /// "the previous Friday": the latest one before the day the text last named.
    Previous,
    /// "next April": the first one wholly after the DCT.
    Next,
    /// An explicit year ("April 1990").
    Year(i32),
    /// Years from the DCT's ("June last year" = -1).
    YearShift(i32),
}

/// Tense of the clause an expression sits in, as far as cue words tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

/// The meaning of a recognised expression, before anchoring.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Fully specified: "July 14, 2025", "2022", "the 1990s".
    Point(Point),
    Annual(Annual, Rel),
    Weekday(Weekday, Rel),
    /// `n` units from the DCT's: yesterday = (Day, -1), "last week" = (Week, -1).
    Shift(Unit, i64),
    PartOfDay(Box<Expr>, DayPart),
    /// Hour and minute, on the day of the inner expression (the DCT's when absent).
    Clock(Option<Box<Expr>>, u32, u32),
    /// PRESENT_REF, PAST_REF, FUTURE_REF.
    Ref(&'static str),
    Duration(String),
    Set(String),
    /// "a year earlier", "the year-ago quarter": the discourse's quarter a year before when
    /// there is one (earnings reports), else the year before the DCT's (or, for an
    /// expression that names a quarter, the last completed quarter a year before).
    YearBefore {
        quarter: bool,
    },
    /// "the quarter", "the latest quarter": the discourse's quarter, else the last completed
    /// one. "the 1988 period" gives the year: the discourse's quarter of that year, else
    /// the year.
    ThatQuarter(Option<i32>),
    /// "the weekend": the latest one in past-tense clauses, the coming one in future ones.
    NearWeekend,
    /// "FY2025": fiscal years start on different days for each company, so no interval.
    Fiscal(i32),
    /// "that year", "the following month", "that day": `n` units from the one the text
    /// last named; nothing when it named none.
    Anaphoric(Unit, i64),
    /// "the week of March 6": the ISO week of the inner day.
    WeekOf(Box<Expr>),
}

/// What the text so far established, for expressions that refer back to it.
#[derive(Debug, Clone, Default)]
pub struct Discourse {
    pub quarter: Option<(i32, u32)>,
    /// The day last named: a clock time without a day of its own falls on it ("Slepian
    /// was shot on Oct. 23 ... at 10 p.m.").
    pub day: Option<NaiveDate>,
    /// The year and month last named, for "that year", "the following month".
    pub year: Option<i32>,
    pub month: Option<(i32, u32)>,
}

/// A normalised expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Norm {
    pub kind: TimexType,
    pub value: String,
    pub interval: Option<(NaiveDate, NaiveDate)>,
}

impl Norm {
    fn point(p: Point) -> Option<Norm> {
        let p = p.checked()?;
        Some(Norm {
            kind: TimexType::Date,
            value: p.value(),
            interval: p.interval(),
        })
    }
    fn vague(kind: TimexType, value: impl Into<String>) -> Option<Norm> {
        Some(Norm {
            kind,
            value: value.into(),
            interval: None,
        })
    }
}

fn quarter_of(d: NaiveDate) -> (i32, u32) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

fn shift_quarter((y, q): (i32, u32), k: i64) -> Option<(i32, u32)> {
    let (y, m) = add_months(y, 3 * q - 2, 3 * k)?;
    Some((y, (m - 1) / 3 + 1))
}

/// The point `n` units away from the DCT's.
fn shift(dct: NaiveDate, unit: Unit, n: i64) -> Option<Point> {
    let y = dct.year();
    let years = |k: i64| i32::try_from(y as i64 + k).ok();
    Some(match unit {
        Unit::Century => Point::Century(i32::try_from((y / 100) as i64 + n).ok()?),
        Unit::Decade => Point::Decade(i32::try_from((y / 10) as i64 + n).ok()?),
        Unit::Year => Point::Year(years(n)?),
        Unit::Quarter => {
            let (y, q) = shift_quarter(quarter_of(dct), n)?;
            Point::Quarter(y, q)
        }
        Unit::Month => {
            let (y, m) = add_months(y, dct.month(), n)?;
            Point::Month(y, m)
        }
        Unit::Week | Unit::Weekend => {
            let w = add_days(dct, n.checked_mul(7)?)?.iso_week();
            if unit == Unit::Week {
                Point::Week(w.year(), w.week())
            } else {
                Point::Weekend(w.year(), w.week())
            }
        }
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => Point::Day(add_days(dct, n)?),
    })
}

impl Annual {
    fn in_year(self, y: i32) -> Option<Point> {
        Some(match self {
            Annual::Month(m) => Point::Month(y, m),
            Annual::MonthDay(m, d) => Point::Day(ymd(y, m, d)?),
            Annual::Season(s) => Point::Season(y, s),
            Annual::Holiday(h) => Point::Day(h.date(y)?),
            Annual::Quarter(q) => Point::Quarter(y, q),
            Annual::Half(h) => Point::Half(y, h),
        })
    }

    /// The value without a year: `XXXX-07-14`, `XXXX-SU`.
    fn unknown_year(self) -> Option<String> {
        Some(match self {
            Annual::Month(m) => format!("XXXX-{m:02}"),
            // 2000 is a leap year, so this accepts exactly the days some year has.
            Annual::MonthDay(m, d) => {
                ymd(2000, m, d)?;
                format!("XXXX-{m:02}-{d:02}")
            }
            Annual::Season(s) => format!("XXXX-{}", s.code()),
            Annual::Holiday(Holiday::Fixed(m, d)) => format!("XXXX-{m:02}-{d:02}"),
            Annual::Holiday(_) => "XXXX-XX-XX".to_string(),
            Annual::Quarter(q) => format!("XXXX-Q{q}"),
            Annual::Half(h) => format!("XXXX-H{h}"),
        })
    }

    /// The occurrence meant, among those of the years around the DCT.
    fn place(self, dct: NaiveDate, rel: Rel, tense: Tense) -> Option<Point> {
        let y = dct.year();
        let cands: Vec<(Point, NaiveDate, NaiveDate)> = (y - 1..=y + 1)
            .filter_map(|y| self.in_year(y).and_then(|p| p.interval().map(|(a, b)| (p, a, b))))
            .collect();
        let latest_before = |pred: &dyn Fn(NaiveDate, NaiveDate) -> bool| {
            cands.iter().rev().find(|(_, a, b)| pred(*a, *b)).map(|c| c.0)
        };
        let earliest_after =
            |pred: &dyn Fn(NaiveDate, NaiveDate) -> bool| cands.iter().find(|(_, a, b)| pred(*a, *b)).map(|c| c.0);
        match (rel, self) {
            (Rel::This, _) => self.in_year(y),
            (Rel::Last | Rel::Previous, _) => latest_before(&|_, b| b < dct),
            (Rel::Next, _) => earliest_after(&|a, _| a > dct),
            (Rel::Year(y), _) => self.in_year(y),
            (Rel::YearShift(k), _) => self.in_year(y.checked_add(k)?),
            // Quarters and halves are reporting periods: the current year's unless it
            // has not begun yet (a "fourth quarter" read in January is last year's).
            (Rel::Auto, Annual::Quarter(_) | Annual::Half(_)) => {
                latest_before(&|a, _| a <= add_days(dct, 31).unwrap_or(dct))
            }
            // The nearest occurrence, distances on the side the tense points away from
            // counting several times over: "Jan. 14" read on Jan. 6 is still this
            // January's even after "said", but a bare "April" in October is last April.
            (Rel::Auto, _) => {
                let (past_w, future_w) = match tense {
                    Tense::Past => (1, 4),
                    Tense::Future => (4, 1),
                    Tense::Unknown => (1, 2),
                };
                let cost = |a: NaiveDate, b: NaiveDate| {
                    if dct < a {
                        (a - dct).num_days() * future_w
                    } else if dct > b {
                        (dct - b).num_days() * past_w
                    } else {
                        0
                    }
                };
                cands.iter().min_by_key(|(_, a, b)| cost(*a, *b)).map(|c| c.0)
            }
        }
    }
}

/// The occurrence of a weekday meant, relative to the DCT.
fn place_weekday(dct: NaiveDate, wd: Weekday, rel: Rel, tense: Tense) -> Option<NaiveDate> {
    let back = |strict: bool| {
        let k = (dct.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
        add_days(dct, -((if strict && k == 0 { 7 } else { k }) as i64))
    };
    let fwd = |strict: bool| {
        let k = (wd.num_days_from_monday() + 7 - dct.weekday().num_days_from_monday()) % 7;
        add_days(dct, (if strict && k == 0 { 7 } else { k }) as i64)
    };
    match rel {
        Rel::Last | Rel::Previous => back(true),
        Rel::Next => fwd(true),
        Rel::This => {
            let mon = add_days(dct, -(dct.weekday().num_days_from_monday() as i64))?;
            add_days(mon, wd.num_days_from_monday() as i64)
        }
        _ if tense == Tense::Future => fwd(false),
        _ => back(false),
    }
}

/// Normalises `expr`; `None` when it names no real date (February 30, year 99999).
pub fn resolve(expr: &Expr, dct: Option<NaiveDate>, tense: Tense, ctx: &Discourse) -> Option<Norm> {
    use TimexType::*;
    match expr {
        Expr::Point(p) => Norm::point(*p),
        Expr::Annual(a, rel) => match (dct, rel) {
            (_, Rel::Year(y)) => Norm::point(a.in_year(*y)?),
            (Some(d), _) => Norm::point(a.place(d, *rel, tense)?),
            (None, _) => Norm::vague(Date, a.unknown_year()?),
        },
        Expr::Weekday(wd, rel) => match dct {
            Some(d) => {
                let from = if *rel == Rel::Previous { ctx.day.unwrap_or(d) } else { d };
                Norm::point(Point::Day(place_weekday(from, *wd, *rel, tense)?))
            }
            None => Norm::vague(Date, format!("XXXX-WXX-{}", wd.number_from_monday())),
        },
        Expr::Shift(unit, n) => match dct {
            Some(d) => Norm::point(shift(d, *unit, *n)?),
            None => Norm::vague(Date, unit.unknown()),
        },
        Expr::PartOfDay(day, part) => {
            let inner = resolve(day, dct, tense, ctx)?;
            let value = format!("{}T{}", inner.value, part.code());
            Some(Norm {
                kind: Time,
                value,
                interval: inner.interval,
            })
        }
        Expr::Clock(day, h, m) => {
            let inner = match (day, dct) {
                (Some(day), _) => Some(resolve(day, dct, tense, ctx)?),
                (None, Some(d)) => Norm::point(Point::Day(ctx.day.unwrap_or(d))),
                (None, None) => None,
            };
            let value = match &inner {
                Some(n) => format!("{}T{h:02}:{m:02}", n.value),
                None => format!("T{h:02}:{m:02}"),
            };
            Some(Norm {
                kind: Time,
                value,
                interval: inner.and_then(|n| n.interval),
            })
        }
        Expr::Ref(r) => Norm::vague(Date, *r),
        Expr::Duration(v) => Norm::vague(Duration, v.clone()),
        Expr::Set(v) => Norm::vague(Set, v.clone()),
        Expr::YearBefore { quarter } => {
            let Some(d) = dct else {
                return Norm::vague(Date, if *quarter { "XXXX-QX" } else { "XXXX" });
            };
            match (ctx.quarter, quarter) {
                (Some((y, q)), _) => Norm::point(Point::Quarter(y - 1, q)),
                (None, true) => {
                    let (y, q) = shift_quarter(quarter_of(d), -5)?;
                    Norm::point(Point::Quarter(y, q))
                }
                (None, false) => Norm::point(Point::Year(d.year() - 1)),
            }
        }
        Expr::ThatQuarter(year) => match (ctx.quarter, dct) {
            (Some((y, q)), _) => Norm::point(Point::Quarter(year.unwrap_or(y), q)),
            (None, _) if year.is_some() => Norm::point(Point::Year(*year.as_ref()?)),
            (None, Some(d)) => {
                let (y, q) = shift_quarter(quarter_of(d), -1)?;
                Norm::point(Point::Quarter(y, q))
            }
            (None, None) => Norm::vague(Date, "XXXX-QX"),
        },
        Expr::NearWeekend => match dct {
            Some(d) => {
                let weekend_now = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
                let k = if weekend_now || tense == Tense::Future { 0 } else { -1 };
                Norm::point(shift(d, Unit::Weekend, k)?)
            }
            None => Norm::vague(Date, Unit::Weekend.unknown()),
        },
        Expr::Fiscal(y) => YEARS.contains(y).then(|| Norm::vague(Date, format!("FY{y:04}")))?,
        Expr::WeekOf(day) => match resolve(day, dct, tense, ctx)?.interval {
            Some((d, _)) => Norm::point(Point::Week(d.iso_week().year(), d.iso_week().week())),
            None => Norm::vague(Date, Unit::Week.unknown()),
        },
        Expr::Anaphoric(unit, n) => Norm::point(match unit {
            Unit::Year => Point::Year(ctx.year?.checked_add(i32::try_from(*n).ok()?)?),
            Unit::Quarter => {
                let (y, q) = shift_quarter(ctx.quarter?, *n)?;
                Point::Quarter(y, q)
            }
            Unit::Month => {
                let (y, m) = ctx.month?;
                let (y, m) = add_months(y, m, *n)?;
                Point::Month(y, m)
            }
            _ => Point::Day(add_days(ctx.day?, *n)?),
        }),
    }
}

/// Remembers what later expressions may refer back to: days, months, years and quarters
/// the text names.
/// A quarter not over by the DCT is a forecast ("will result in a fourth-quarter charge"),
/// not one whose results the report compares, unless a past-tense clause says it is over
/// (a fiscal quarter: "reported a decline in fourth-quarter earnings").
pub fn remember(ctx: &mut Discourse, expr: &Expr, norm: &Norm, dct: Option<NaiveDate>, tense: Tense) {
    if let (TimexType::Date | TimexType::Time, Some((a, b))) = (norm.kind, norm.interval) {
        if a == b && !matches!(expr, Expr::Clock(None, ..)) {
            ctx.day = Some(a);
        }
        if (a.year(), a.month()) == (b.year(), b.month()) {
            ctx.month = Some((a.year(), a.month()));
        }
        if a.year() == b.year() {
            ctx.year = Some(a.year());
        }
    }
    // "the first nine months", "the first half": later comparisons ("a year earlier") are
    // with that stretch, no longer with a quarter
    let longer = match expr {
        Expr::Duration(v) => ["P6M", "P9M", "P12M"].contains(&v.as_str()),
        Expr::Annual(Annual::Half(_), _) | Expr::Point(Point::Half(..)) => true,
        _ => false,
    };
    if longer {
        ctx.quarter = None;
        return;
    }
    let named = matches!(
        expr,
        Expr::Annual(Annual::Quarter(_), _) | Expr::Point(Point::Quarter(..)) | Expr::Shift(Unit::Quarter, _)
    );
    let over = tense == Tense::Past || matches!((norm.interval, dct), (Some((_, last)), Some(d)) if last < d);
    if !named || !over {
        return;
    }
    let v = norm.value.as_bytes();
    if v.len() == 7 && v[4] == b'-' && v[5] == b'Q' {
        let y = norm.value[..4].parse().ok();
        let q = (v[6] as char).to_digit(10);
        if let (Some(y), Some(q)) = (y, q) {
            ctx.quarter = Some((y, q));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn intervals_cover_whole_units() {
        assert_eq!(
            Point::Week(2025, 29).interval(),
            Some((d("2025-07-14"), d("2025-07-20")))
        );
        assert_eq!(
            Point::Quarter(2025, 3).interval(),
            Some((d("2025-07-01"), d("2025-09-30")))
        );
        assert_eq!(
            Point::Season(2024, Season::Winter).interval(),
            Some((d("2024-12-01"), d("2025-02-28")))
        );
        assert_eq!(Point::Decade(199).interval(), Some((d("1990-01-01"), d("1999-12-31"))));
    }

    #[test]
    fn holidays_fall_on_their_days() {
        assert_eq!(Holiday::Nth(11, Weekday::Thu, 4).date(1999), Some(d("1999-11-25")));
        assert_eq!(Holiday::Easter(0).date(2025), Some(d("2025-04-20")));
        assert_eq!(Holiday::Last(5, Weekday::Mon).date(2025), Some(d("2025-05-26")));
        assert_eq!(Holiday::Election.date(1998), Some(d("1998-11-03")));
    }

    #[test]
    fn weekdays_follow_tense() {
        let dct = d("2025-07-15");
        assert_eq!(
            place_weekday(dct, Weekday::Mon, Rel::Auto, Tense::Past),
            Some(d("2025-07-14"))
        );
        assert_eq!(place_weekday(dct, Weekday::Tue, Rel::Auto, Tense::Unknown), Some(dct));
        assert_eq!(
            place_weekday(dct, Weekday::Fri, Rel::Auto, Tense::Future),
            Some(d("2025-07-18"))
        );
        assert_eq!(
            place_weekday(dct, Weekday::Tue, Rel::Last, Tense::Unknown),
            Some(d("2025-07-08"))
        );
    }

    #[test]
    fn durations_format_per_unit() {
        assert_eq!(duration_value(Some(24), false, Unit::Hour), "PT24H");
        assert_eq!(duration_value(Some(2), true, Unit::Year), "P2Y6M");
        assert_eq!(duration_value(None, false, Unit::Day), "PXD");
        assert_eq!(duration_value(Some(2), false, Unit::Decade), "P20Y");
        assert_eq!(duration_value(Some(0), true, Unit::Hour), "PT30M");
    }
}
