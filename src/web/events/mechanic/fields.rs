//! The mechanic's fields, filled with its values (or with what the form sent back).

use super::{BENEFIT, FRIEND, INVITER, MechanicField, REWARD, Values, code, site_code};
use crate::domain::mechanic::{Benefit, Mechanic, ReviewSite, Unlock, Validity, Weekday, Window};

fn field(
    key: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
) -> MechanicField {
    MechanicField {
        key,
        label,
        kind,
        value,
        options: Vec::new(),
    }
}

fn benefit_fields(keys: [&'static str; 3], label: &'static str, b: &Benefit) -> Vec<MechanicField> {
    let [kind, amount, name] = keys;
    let (chosen, number, item) = match b {
        Benefit::Percent { rate } => ("PERCENT", rate.to_string(), String::new()),
        Benefit::Amount { won } => ("AMOUNT", won.to_string(), String::new()),
        Benefit::Item { name, value } => ("ITEM", value.to_string(), name.clone()),
    };
    let mut select = field(kind, label, "select", chosen.to_owned());
    select.options = [
        ("PERCENT", "결제 금액 % 할인"),
        ("AMOUNT", "금액 할인 (원)"),
        ("ITEM", "물건 드리기"),
    ]
    .into_iter()
    .map(|(v, l)| (v, l, v == chosen))
    .collect();
    vec![
        select,
        field(
            amount,
            "할인율(%) · 할인 금액(원) · 물건의 원가(원)",
            "number",
            number,
        ),
        field(name, "드리는 물건 (물건일 때)", "text", item),
    ]
}

fn common(cap: Option<u32>, validity: Validity) -> Vec<MechanicField> {
    let (until, days) = match validity {
        Validity::Until { date } => (date.to_string(), String::new()),
        Validity::Days { days } => (String::new(), days.to_string()),
    };
    vec![
        field(
            "m.cap",
            "선착순 수량 (비우면 제한 없음)",
            "number",
            cap.map(|c| c.to_string()).unwrap_or_default(),
        ),
        field("m.until", "사용 기한 (이날까지)", "date", until),
        field(
            "m.days",
            "또는 받은 날부터 며칠 (적으면 이것이 우선)",
            "number",
            days,
        ),
    ]
}

/// The fields of the mechanic, filled with its values.
pub fn fields(m: &Mechanic) -> Vec<MechanicField> {
    let uses = |n: &u8| vec![field("m.uses", "쓸 수 있는 횟수", "number", n.to_string())];
    match m {
        Mechanic::Coupon {
            benefit,
            cap,
            validity,
            uses: n,
        } => [
            benefit_fields(BENEFIT, "손님이 받는 혜택", benefit),
            uses(n),
            common(*cap, *validity),
        ]
        .concat(),
        Mechanic::TimeSale {
            benefit,
            cap,
            window,
            validity,
            uses: n,
        } => [
            benefit_fields(BENEFIT, "손님이 받는 혜택", benefit),
            window_fields(window),
            uses(n),
            common(*cap, *validity),
        ]
        .concat(),
        Mechanic::StampCard { cap, validity, .. } => {
            [stamp_fields(m), common(*cap, *validity)].concat()
        }
        Mechanic::Referral { cap, validity, .. } => {
            [referral_fields(m), common(*cap, *validity)].concat()
        }
        Mechanic::PhotoReview { cap, validity, .. } => {
            [review_fields(m), common(*cap, *validity)].concat()
        }
        Mechanic::Giveaway { winners } => {
            vec![field(
                "m.winners",
                "당첨 인원",
                "number",
                winners.to_string(),
            )]
        }
    }
}

fn stamp_fields(m: &Mechanic) -> Vec<MechanicField> {
    let Mechanic::StampCard {
        goal,
        reward,
        min_gap_hours,
        ..
    } = m
    else {
        return Vec::new();
    };
    let gap = "스탬프 사이 최소 간격 (시간)";
    [
        vec![field(
            "m.goal",
            "모을 스탬프 수",
            "number",
            goal.to_string(),
        )],
        benefit_fields(REWARD, "다 모으면 드리는 보상", reward),
        vec![field(
            "m.minGapHours",
            gap,
            "number",
            min_gap_hours.to_string(),
        )],
    ]
    .concat()
}

fn referral_fields(m: &Mechanic) -> Vec<MechanicField> {
    let Mechanic::Referral {
        inviter,
        friend,
        unlock,
        ..
    } = m
    else {
        return Vec::new();
    };
    let mut select = field("m.unlock", "보상이 생기는 때", "select", String::new());
    select.options = vec![
        (
            "FRIEND_REDEEMED",
            "친구가 처음 방문해 혜택을 쓸 때 (권장)",
            *unlock == Unlock::FriendRedeemed,
        ),
        (
            "FRIEND_JOINED",
            "친구가 참여하자마자",
            *unlock == Unlock::FriendJoined,
        ),
    ];
    [
        benefit_fields(FRIEND, "친구가 받는 혜택", friend),
        benefit_fields(INVITER, "초대한 분이 친구 한 명마다 받는 혜택", inviter),
        vec![select],
    ]
    .concat()
}

fn review_fields(m: &Mechanic) -> Vec<MechanicField> {
    let Mechanic::PhotoReview {
        reward,
        sites,
        hashtag,
        ..
    } = m
    else {
        return Vec::new();
    };
    let mut checks = field("m.sites", "후기를 올릴 곳", "checks", String::new());
    checks.options = (ReviewSite::ALL.into_iter())
        .map(|s| (site_code(s), s.label(), sites.contains(&s)))
        .collect();
    [
        benefit_fields(REWARD, "후기를 승인하면 드리는 보상", reward),
        vec![
            checks,
            field("m.hashtag", "해시태그 (# 없이)", "text", hashtag.clone()),
        ],
    ]
    .concat()
}

fn window_fields(w: &Window) -> Vec<MechanicField> {
    let mut days = field("m.days.week", "쓸 수 있는 요일", "checks", String::new());
    days.options = (Weekday::ALL.into_iter())
        .map(|d| (code(d), d.label(), w.days.contains(&d)))
        .collect();
    vec![
        days,
        field(
            "m.fromHour",
            "시작 시각 (0~23시)",
            "number",
            w.from_hour.to_string(),
        ),
        field(
            "m.toHour",
            "끝 시각 (1~24시, 이 시각 전까지)",
            "number",
            w.to_hour.to_string(),
        ),
    ]
}

/// The fields as the form sent them back (after a refusal).
pub fn refill(fields: &mut [MechanicField], values: &[(String, String)]) {
    let v = Values(values);
    for f in fields {
        match f.kind {
            "checks" => {
                let sent = v.all(f.key);
                for o in &mut f.options {
                    o.2 = sent.iter().any(|s| s == o.0);
                }
            }
            "select" => {
                let sent = v.get(f.key);
                for o in &mut f.options {
                    o.2 = o.0 == sent;
                }
            }
            _ => f.value = v.get(f.key),
        }
    }
}
