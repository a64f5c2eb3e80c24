//! The trades' words and numbers: food and shops here, services in `services`. Prices are
//! typical for a small shop in a Korean city in 2026; rewards are at four price points, smallest
//! first.

use super::services::{ACADEMY, FITNESS, HAIR, NAIL, SKIN};
use super::{Profile, Reward, Trade};
use crate::domain::promotion::PromotionType as P;

pub(super) const fn r(name: &'static str, value: i64) -> Reward {
    Reward { name, value }
}

const EVERY: &[P] = &P::ALL;
pub(super) const SERVICES: &[P] = &[
    P::DiscountCoupon,
    P::StampCard,
    P::PhotoReview,
    P::Referral,
    P::Giveaway,
    P::FirstVisitGift,
    P::BundleDeal,
    P::TimeSale,
];

const FOOD_FOREIGN: &str = "시술 트리트먼트 헤어 두피 네일 수강 수업 PT 회원권 교재";
const SHOP_FOREIGN: &str = "메뉴 아메리카노 식사 시술 트리트먼트 헤어 네일 수강 수업 PT";

const CAFE: Profile = Profile {
    trade: Trade::Cafe,
    item: "메뉴",
    customers: "손님",
    visit: "방문",
    ticket: 6_000,
    tiny: r("음료 사이즈 업", 500),
    small: r("아메리카노 1잔", 4_500),
    medium: r("조각 케이크", 6_500),
    big: r("3만원 카페 이용권", 30_000),
    coupon_rate: 15,
    quiet: (14, 17),
    time_sale_rate: 20,
    stamps: 10,
    referral_off: 2_000,
    bundle: (
        "1+1 음료",
        "음료 두 잔을 주문하면 한 잔 값을 받지 않습니다",
        4_500,
    ),
    limited: Some(("음료", "계절 재료로 만든 음료")),
    allowed: EVERY,
    foreign_words: FOOD_FOREIGN,
};

const BAKERY: Profile = Profile {
    trade: Trade::Bakery,
    item: "빵",
    ticket: 12_000,
    tiny: r("쿠키 1개", 1_500),
    small: r("식빵 1개", 4_000),
    medium: r("조각 케이크와 음료", 8_000),
    big: r("5만원 케이크 교환권", 50_000),
    coupon_rate: 10,
    quiet: (20, 21),
    time_sale_rate: 30,
    bundle: ("빵 3+1", "빵 세 개를 고르면 하나를 더 드립니다", 3_500),
    limited: Some(("빵", "제철 재료로 구운 빵")),
    ..CAFE
};

const RESTAURANT: Profile = Profile {
    trade: Trade::Restaurant,
    item: "메뉴",
    customers: "손님",
    visit: "방문",
    ticket: 15_000,
    tiny: r("음료수 1병", 2_000),
    small: r("사이드 메뉴 1개", 6_000),
    medium: r("대표 메뉴 1인분", 12_000),
    big: r("5만원 식사권", 50_000),
    coupon_rate: 10,
    quiet: (15, 17),
    time_sale_rate: 15,
    stamps: 8,
    referral_off: 3_000,
    bundle: ("2인 세트 할인", "2인 세트를 주문하면 15% 할인합니다", 4_500),
    limited: Some(("메뉴", "제철 재료로 만든 메뉴")),
    allowed: EVERY,
    foreign_words: FOOD_FOREIGN,
};

const FLOWER: Profile = Profile {
    trade: Trade::Flower,
    item: "꽃",
    customers: "손님",
    visit: "방문",
    ticket: 30_000,
    tiny: r("꽃 한 송이", 3_000),
    small: r("미니 꽃다발", 15_000),
    medium: r("꽃바구니", 35_000),
    big: r("10만원 꽃 상품권", 100_000),
    coupon_rate: 10,
    quiet: (14, 17),
    time_sale_rate: 15,
    stamps: 8,
    referral_off: 5_000,
    bundle: (
        "꽃다발+화병 세트",
        "꽃다발과 화병을 함께 사면 20% 할인합니다",
        6_000,
    ),
    limited: Some(("꽃다발", "제철 꽃으로 만든 꽃다발")),
    allowed: EVERY,
    foreign_words: SHOP_FOREIGN,
};

const RETAIL: Profile = Profile {
    trade: Trade::Retail,
    item: "상품",
    tiny: r("선물 포장", 1_000),
    small: r("5천원 상품권", 5_000),
    medium: r("1만원 상품권", 10_000),
    big: r("5만원 상품권", 50_000),
    stamps: 10,
    bundle: ("두 개 구매 할인", "두 개 이상 사면 10% 할인합니다", 6_000),
    limited: Some(("상품", "이번 시즌에만 내놓는 상품")),
    ..FLOWER
};

const OTHER: Profile = Profile {
    trade: Trade::Other,
    item: "서비스",
    customers: "고객",
    visit: "이용",
    ticket: 20_000,
    tiny: r("작은 사은품", 2_000),
    small: r("5천원 할인권", 5_000),
    medium: r("1만원 할인권", 10_000),
    big: r("5만원 상품권", 50_000),
    bundle: (
        "함께 이용 할인",
        "두 가지 이상 함께 이용하면 10% 할인합니다",
        4_000,
    ),
    limited: None,
    allowed: SERVICES,
    ..RETAIL
};

pub fn profile(trade: Trade) -> &'static Profile {
    match trade {
        Trade::Cafe => &CAFE,
        Trade::Bakery => &BAKERY,
        Trade::Restaurant => &RESTAURANT,
        Trade::Hair => &HAIR,
        Trade::Nail => &NAIL,
        Trade::Skin => &SKIN,
        Trade::Academy => &ACADEMY,
        Trade::Fitness => &FITNESS,
        Trade::Flower => &FLOWER,
        Trade::Retail => &RETAIL,
        Trade::Other => &OTHER,
    }
}
