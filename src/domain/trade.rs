//! What a shop sells, in its own words: the trade read from the owner's free-text industry, and
//! for each trade the vocabulary, typical spend, rewards at four price points, the mechanics'
//! numbers, the promotions that make sense for it, and the words that do not belong to it (the
//! lexicon every plan is checked against, whoever wrote it).

mod profiles;
mod services;

use super::promotion::{IndustryKind, PromotionType};

pub use profiles::profile;

/// A shop's trade. Several trades share an `IndustryKind` (the platform history's grouping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trade {
    Cafe,
    Bakery,
    Restaurant,
    Hair,
    Nail,
    Skin,
    Academy,
    Fitness,
    Flower,
    Retail,
    Other,
}

/// A reward and what it costs the shop (KRW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reward {
    pub name: &'static str,
    pub value: i64,
}

/// A trade's words and numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub trade: Trade,
    /// What is sold, as customers say it: "메뉴", "시술", "수업", "운동", "상품", "서비스".
    pub item: &'static str,
    /// Who comes: "손님", "고객", "학생과 학부모", "회원".
    pub customers: &'static str,
    /// Coming in: "방문", "수강", "운동".
    pub visit: &'static str,
    /// Average spend per visit (KRW).
    pub ticket: i64,
    /// Four price points, smallest first: for everyone, a stamp reward, a first-visit gift, a
    /// drawn prize.
    pub tiny: Reward,
    pub small: Reward,
    pub medium: Reward,
    pub big: Reward,
    /// A coupon's discount (%).
    pub coupon_rate: u32,
    /// A time sale: its weekday hours (from, to) and how much (%).
    pub quiet: (u8, u8),
    pub time_sale_rate: u32,
    /// Stamps (or check-ins) to a reward.
    pub stamps: u32,
    /// What a referral takes off for each side (KRW).
    pub referral_off: i64,
    /// The trade's bundle: (its name, how it works, what one use costs the shop).
    pub bundle: (&'static str, &'static str, i64),
    /// A limited-time item, if the trade has such a thing: (what it is called after "겨울
    /// 한정", what it is).
    pub limited: Option<(&'static str, &'static str)>,
    /// The promotions that make sense for the trade.
    pub allowed: &'static [PromotionType],
    /// Words that do not belong in a plan for this trade, separated by spaces.
    pub foreign_words: &'static str,
}

impl Profile {
    /// The quiet weekday hours a time sale fills.
    pub fn quiet_window(&self) -> crate::domain::mechanic::Window {
        crate::domain::mechanic::Window {
            days: crate::domain::mechanic::Weekday::ALL[..5].to_vec(),
            from_hour: self.quiet.0,
            to_hour: self.quiet.1,
        }
    }

    /// "평일 오후 2~5시".
    pub fn quiet_said(&self) -> String {
        self.quiet_window().short()
    }
}

/// Words of the owner's industry that name a trade, the most specific first.
const KEYWORDS: [(&[&str], Trade); 10] = [
    (&["네일", "nail"], Trade::Nail),
    (&["피부", "에스테틱", "왁싱", "스킨", "skin"], Trade::Skin),
    (
        &["미용", "헤어", "살롱", "바버", "hair", "salon"],
        Trade::Hair,
    ),
    (&["베이커리", "빵", "제과", "bakery"], Trade::Bakery),
    (&["카페", "커피", "디저트", "cafe", "coffee"], Trade::Cafe),
    (
        &[
            "학원",
            "교습",
            "공부방",
            "과외",
            "어학",
            "academy",
            "school",
        ],
        Trade::Academy,
    ),
    (
        &[
            "헬스",
            "피트니스",
            "필라테스",
            "요가",
            "pt",
            "짐",
            "fitness",
            "gym",
        ],
        Trade::Fitness,
    ),
    (&["꽃", "플라워", "flower"], Trade::Flower),
    (
        &[
            "음식",
            "식당",
            "레스토랑",
            "한식",
            "중식",
            "일식",
            "양식",
            "분식",
            "치킨",
            "피자",
            "고기",
            "주점",
            "술집",
            "국밥",
            "restaurant",
            "food",
            "pub",
        ],
        Trade::Restaurant,
    ),
    (
        &[
            "옷",
            "의류",
            "잡화",
            "소품",
            "문구",
            "편의점",
            "마트",
            "가게",
            "상점",
            "shop",
            "store",
        ],
        Trade::Retail,
    ),
];

impl Profile {
    /// The trade's lexicon of foreign words.
    pub fn foreign_words(&self) -> impl Iterator<Item = &'static str> {
        self.foreign_words.split_whitespace()
    }
}

impl Trade {
    pub const ALL: [Trade; 11] = [
        Trade::Cafe,
        Trade::Bakery,
        Trade::Restaurant,
        Trade::Hair,
        Trade::Nail,
        Trade::Skin,
        Trade::Academy,
        Trade::Fitness,
        Trade::Flower,
        Trade::Retail,
        Trade::Other,
    ];

    /// Reads the owner's free-text industry; the most specific word wins.
    pub fn of(industry: &str) -> Self {
        let s = industry.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
        (KEYWORDS.iter())
            .find(|(words, _)| has(words))
            .map_or(Trade::Other, |(_, t)| *t)
    }

    /// The youngest customer an event of this trade may take: 19 where alcohol is sold (청소년
    /// 보호법), else 14 (the age from which one consents to one's own personal data).
    pub fn min_age(industry: &str) -> u8 {
        let s = industry.to_lowercase();
        let korean = [
            "주점",
            "술집",
            "호프",
            "포차",
            "포장마차",
            "이자카야",
            "와인",
            "칵테일",
            "맥주",
            "막걸리",
            "양조",
        ];
        let english = ["pub", "bar", "wine", "beer", "brewery"];
        let words: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).collect();
        let alcohol =
            korean.iter().any(|w| s.contains(w)) || english.iter().any(|w| words.contains(w));
        if alcohol { 19 } else { 14 }
    }

    pub fn kind(self) -> IndustryKind {
        match self {
            Trade::Cafe | Trade::Bakery => IndustryKind::Cafe,
            Trade::Restaurant => IndustryKind::Restaurant,
            Trade::Hair | Trade::Nail | Trade::Skin => IndustryKind::Beauty,
            Trade::Academy => IndustryKind::Academy,
            Trade::Fitness => IndustryKind::Fitness,
            Trade::Flower | Trade::Retail => IndustryKind::Retail,
            Trade::Other => IndustryKind::Other,
        }
    }

    pub fn profile(self) -> &'static Profile {
        profile(self)
    }

    pub fn allows(self, t: PromotionType) -> bool {
        self.profile().allowed.contains(&t)
    }
}

/// What a promotion is called in a trade (never a word foreign to it); `season` is "겨울" etc.
pub fn promotion_name(p: &Profile, t: PromotionType, season: &str) -> String {
    use PromotionType as P;
    match t {
        P::DiscountCoupon => format!("{}% 할인 쿠폰", p.coupon_rate),
        P::StampCard => match p.trade {
            Trade::Fitness | Trade::Academy => "출석 스탬프".to_owned(),
            _ => "스탬프 적립".to_owned(),
        },
        P::PhotoReview => match p.trade {
            Trade::Academy => "수강 후기 이벤트".to_owned(),
            _ => "인증샷 이벤트".to_owned(),
        },
        P::Referral => "친구 추천 이벤트".to_owned(),
        P::LimitedMenu => format!(
            "{season} 한정 {}",
            p.limited.map_or("상품", |(word, _)| word)
        ),
        P::Giveaway => "경품 추첨".to_owned(),
        P::FirstVisitGift => match p.trade {
            Trade::Academy => "첫 상담 선물".to_owned(),
            _ => "첫 방문 선물".to_owned(),
        },
        P::BundleDeal => p.bundle.0.to_owned(),
        P::TimeSale => format!("{} {}% 할인", p.quiet_said(), p.time_sale_rate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trades_are_read_from_free_text() {
        let cases = [
            ("카페", Trade::Cafe),
            ("동네 베이커리 카페", Trade::Bakery),
            ("한식 음식점", Trade::Restaurant),
            ("치킨집", Trade::Restaurant),
            ("미용실", Trade::Hair),
            ("헤어살롱", Trade::Hair),
            ("네일샵", Trade::Nail),
            ("피부관리실", Trade::Skin),
            ("영어 학원", Trade::Academy),
            ("피아노 교습소", Trade::Academy),
            ("헬스장", Trade::Fitness),
            ("필라테스 스튜디오", Trade::Fitness),
            ("꽃집", Trade::Flower),
            ("옷가게", Trade::Retail),
            ("세탁소", Trade::Other),
        ];
        for (industry, trade) in cases {
            assert_eq!(Trade::of(industry), trade, "{industry}");
        }
    }

    #[test]
    fn every_trade_names_its_promotions_in_its_own_words() {
        for trade in Trade::ALL {
            let p = trade.profile();
            assert_eq!(p.trade, trade);
            assert!(
                p.allowed.len() >= 5,
                "{trade:?} needs room for three different plans"
            );
            assert!(p.tiny.value < p.small.value && p.small.value < p.medium.value);
            assert!(p.medium.value < p.big.value);
            for t in p.allowed {
                let name = promotion_name(p, *t, "겨울");
                for word in p.foreign_words() {
                    assert!(!name.contains(word), "{trade:?} {t:?}: {name}");
                }
            }
            assert_eq!(
                p.limited.is_some(),
                trade.allows(PromotionType::LimitedMenu)
            );
        }
    }
}
