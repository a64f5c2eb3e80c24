//! The Korean calendar as it matters to a shop: public holidays (solar and lunar) and commercial
//! days, and the season. 설날 and 추석 follow the lunar calendar; their solar dates for 2025–2035
//! are tabled (checked against the `korean_lunar_calendar` package: lunar 1/1 and 8/15).

use chrono::{Datelike, Duration, NaiveDate};

use super::promotion::PromotionType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    pub fn of(date: NaiveDate) -> Self {
        match date.month() {
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            9..=11 => Season::Autumn,
            _ => Season::Winter,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Season::Spring => "봄",
            Season::Summer => "여름",
            Season::Autumn => "가을",
            Season::Winter => "겨울",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccasionKind {
    PublicHoliday,
    CommercialDay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    pub date: NaiveDate,
    pub name: &'static str,
    pub kind: OccasionKind,
    /// Promotion types that fit the occasion.
    pub fits: &'static [PromotionType],
}

/// (month, day) in the solar calendar.
type MonthDay = (u32, u32);

/// (year, 설날 = lunar 1/1, 추석 = lunar 8/15) in the solar calendar.
pub const LUNAR_HOLIDAYS: [(i32, MonthDay, MonthDay); 11] = [
    (2025, (1, 29), (10, 6)),
    (2026, (2, 17), (9, 25)),
    (2027, (2, 7), (9, 15)),
    (2028, (1, 27), (10, 3)),
    (2029, (2, 13), (9, 22)),
    (2030, (2, 3), (9, 12)),
    (2031, (1, 23), (10, 1)),
    (2032, (2, 11), (9, 19)),
    (2033, (1, 31), (9, 8)),
    (2034, (2, 19), (9, 27)),
    (2035, (2, 8), (9, 16)),
];

use OccasionKind::{CommercialDay as C, PublicHoliday as H};
use PromotionType as P;

type SolarOccasion = (
    u32,
    u32,
    &'static str,
    OccasionKind,
    &'static [PromotionType],
);

const SOLAR: &[SolarOccasion] = &[
    (1, 1, "신정", H, &[P::Giveaway, P::DiscountCoupon]),
    (
        2,
        14,
        "밸런타인데이",
        C,
        &[P::LimitedMenu, P::BundleDeal, P::PhotoReview],
    ),
    (3, 1, "삼일절", H, &[]),
    (
        3,
        2,
        "신학기",
        C,
        &[P::Referral, P::StampCard, P::FirstVisitGift],
    ),
    (
        3,
        14,
        "화이트데이",
        C,
        &[P::LimitedMenu, P::BundleDeal, P::PhotoReview],
    ),
    (4, 14, "블랙데이", C, &[P::LimitedMenu, P::TimeSale]),
    (
        5,
        5,
        "어린이날",
        H,
        &[P::FirstVisitGift, P::Giveaway, P::BundleDeal],
    ),
    (5, 8, "어버이날", C, &[P::BundleDeal, P::Giveaway]),
    (5, 15, "스승의 날", C, &[P::BundleDeal]),
    (6, 6, "현충일", H, &[]),
    (8, 1, "여름 휴가철", C, &[P::TimeSale, P::LimitedMenu]),
    (8, 15, "광복절", H, &[P::TimeSale]),
    (10, 3, "개천절", H, &[]),
    (10, 9, "한글날", H, &[P::PhotoReview]),
    (10, 31, "핼러윈", C, &[P::PhotoReview, P::LimitedMenu]),
    (
        11,
        11,
        "빼빼로데이",
        C,
        &[P::LimitedMenu, P::BundleDeal, P::Giveaway],
    ),
    (
        12,
        25,
        "크리스마스",
        H,
        &[P::Giveaway, P::LimitedMenu, P::PhotoReview],
    ),
    (
        12,
        31,
        "연말",
        C,
        &[P::Giveaway, P::StampCard, P::DiscountCoupon],
    ),
];

const SEOLLAL_FITS: &[PromotionType] = &[P::Giveaway, P::BundleDeal, P::DiscountCoupon];
const CHUSEOK_FITS: &[PromotionType] = &[P::Giveaway, P::BundleDeal, P::DiscountCoupon];

fn occasions_of_year(year: i32) -> Vec<Occasion> {
    let mut out: Vec<Occasion> = SOLAR
        .iter()
        .filter_map(|(m, d, name, kind, fits)| {
            NaiveDate::from_ymd_opt(year, *m, *d).map(|date| Occasion {
                date,
                name,
                kind: *kind,
                fits,
            })
        })
        .collect();
    if let Some((_, (sm, sd), (cm, cd))) = LUNAR_HOLIDAYS.iter().find(|(y, ..)| *y == year) {
        if let Some(date) = NaiveDate::from_ymd_opt(year, *sm, *sd) {
            out.push(Occasion {
                date,
                name: "설날",
                kind: H,
                fits: SEOLLAL_FITS,
            });
        }
        if let Some(date) = NaiveDate::from_ymd_opt(year, *cm, *cd) {
            out.push(Occasion {
                date,
                name: "추석",
                kind: H,
                fits: CHUSEOK_FITS,
            });
        }
    }
    out
}

/// Occasions from `from` to `to` (inclusive), in date order.
pub fn occasions_between(from: NaiveDate, to: NaiveDate) -> Vec<Occasion> {
    let mut out: Vec<Occasion> = (from.year()..=to.year())
        .flat_map(occasions_of_year)
        .filter(|o| o.date >= from && o.date <= to)
        .collect();
    out.sort_by_key(|o| o.date);
    out
}

/// The first occasion a promotion could lead up to: between `from + 3 days` and `from + 40 days`.
pub fn next_occasion(from: NaiveDate) -> Option<Occasion> {
    occasions_between(from + Duration::days(3), from + Duration::days(40))
        .into_iter()
        .find(|o| !o.fits.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn lunar_holidays_move_every_year() {
        let seollal: Vec<String> = (2025..=2035)
            .map(|y| {
                occasions_between(d(&format!("{y}-01-01")), d(&format!("{y}-12-31")))
                    .into_iter()
                    .find(|o| o.name == "설날")
                    .unwrap()
                    .date
                    .to_string()
            })
            .collect();
        assert_eq!(seollal[0], "2025-01-29");
        assert_eq!(seollal[1], "2026-02-17");
        assert_eq!(seollal[10], "2035-02-08");
        let chuseok_2026 = occasions_between(d("2026-09-01"), d("2026-09-30"));
        assert!(
            chuseok_2026
                .iter()
                .any(|o| o.name == "추석" && o.date == d("2026-09-25"))
        );
    }

    #[test]
    fn occasions_cross_the_new_year_in_order() {
        let names: Vec<&str> = occasions_between(d("2026-12-20"), d("2027-02-10"))
            .iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(names, vec!["크리스마스", "연말", "신정", "설날"]);
    }

    #[test]
    fn the_next_occasion_skips_those_with_no_fitting_promotion() {
        // From 2026-11-21: 크리스마스 (12/25) is 34 days away.
        assert_eq!(next_occasion(d("2026-11-21")).unwrap().name, "크리스마스");
        // From 2026-05-30: 현충일 (6/6) fits nothing; nothing else within 40 days but 여름 휴가철? no (8/1 is 63 days).
        assert!(next_occasion(d("2026-05-30")).is_none());
        assert_eq!(Season::of(d("2026-11-21")), Season::Autumn);
        assert_eq!(Season::of(d("2026-01-05")).label(), "겨울");
    }
}
