//! The service trades' words and numbers: hair, nails, skin care, academies, fitness.

use super::profiles::{SERVICES, r};
use super::{Profile, Trade};
use crate::domain::promotion::PromotionType as P;

const MEMBERSHIPS: &[P] = &[
    P::DiscountCoupon,
    P::StampCard,
    P::PhotoReview,
    P::Referral,
    P::Giveaway,
    P::FirstVisitGift,
    P::BundleDeal,
];

const CLASSES: &[P] = &[
    P::DiscountCoupon,
    P::PhotoReview,
    P::Referral,
    P::Giveaway,
    P::FirstVisitGift,
    P::BundleDeal,
];

pub(super) const HAIR: Profile = Profile {
    trade: Trade::Hair,
    item: "시술",
    customers: "고객",
    visit: "방문",
    ticket: 45_000,
    tiny: r("헤어 에센스 샘플", 3_000),
    small: r("두피 스케일링", 10_000),
    medium: r("헤어 클리닉", 30_000),
    big: r("10만원 시술 이용권", 100_000),
    coupon_rate: 20,
    quiet: (10, 12),
    time_sale_rate: 15,
    stamps: 5,
    referral_off: 10_000,
    bundle: (
        "커트+클리닉 패키지",
        "커트와 클리닉을 함께 받으면 20% 할인합니다",
        9_000,
    ),
    limited: None,
    allowed: SERVICES,
    foreign_words: "메뉴 음료 아메리카노 디저트 식사 수강 수업 PT 교재 네일",
};

pub(super) const NAIL: Profile = Profile {
    trade: Trade::Nail,
    ticket: 50_000,
    tiny: r("큐티클 케어", 3_000),
    small: r("젤 제거 서비스", 10_000),
    medium: r("손 보습 케어", 20_000),
    big: r("10만원 네일 이용권", 100_000),
    bundle: (
        "손발 패키지",
        "손과 발을 함께 받으면 15% 할인합니다",
        10_000,
    ),
    foreign_words: "메뉴 음료 아메리카노 디저트 식사 수강 수업 PT 교재 헤어 두피 커트 펌",
    ..HAIR
};

pub(super) const SKIN: Profile = Profile {
    trade: Trade::Skin,
    item: "관리",
    ticket: 70_000,
    tiny: r("마스크팩 2매", 4_000),
    small: r("진정 관리 1회", 20_000),
    medium: r("수분 관리 1회", 40_000),
    big: r("15만원 관리 이용권", 150_000),
    referral_off: 15_000,
    bundle: (
        "관리 5+1 패키지",
        "관리 5회를 한 번에 등록하면 1회를 더 드립니다",
        14_000,
    ),
    foreign_words: "메뉴 음료 아메리카노 디저트 식사 수강 수업 PT 교재 헤어 커트 네일",
    ..HAIR
};

pub(super) const ACADEMY: Profile = Profile {
    trade: Trade::Academy,
    item: "수업",
    customers: "학생과 학부모",
    visit: "수강",
    ticket: 250_000,
    tiny: r("학습 플래너", 3_000),
    small: r("교재 1권", 15_000),
    medium: r("무료 체험 수업 1회", 25_000),
    big: r("문화상품권 5만원", 50_000),
    coupon_rate: 10,
    quiet: (14, 17),
    time_sale_rate: 10,
    stamps: 8,
    referral_off: 20_000,
    bundle: (
        "두 과목 패키지",
        "두 과목을 함께 등록하면 수강료를 15% 할인합니다",
        37_500,
    ),
    limited: None,
    allowed: CLASSES,
    foreign_words: "메뉴 음료 아메리카노 디저트 식사 시술 트리트먼트 헤어 네일 PT 1+1",
};

pub(super) const FITNESS: Profile = Profile {
    trade: Trade::Fitness,
    item: "운동",
    customers: "회원",
    visit: "운동",
    ticket: 80_000,
    tiny: r("단백질 음료 1병", 3_000),
    small: r("1일 무료 이용권", 10_000),
    medium: r("PT 1회", 50_000),
    big: r("3개월 이용권", 240_000),
    coupon_rate: 15,
    quiet: (13, 16),
    time_sale_rate: 20,
    stamps: 12,
    referral_off: 20_000,
    bundle: (
        "PT 10+1 패키지",
        "PT 10회를 등록하면 1회를 더 드립니다",
        50_000,
    ),
    limited: None,
    allowed: MEMBERSHIPS,
    foreign_words: "메뉴 아메리카노 디저트 식사 시술 트리트먼트 헤어 네일 교재",
};
