//! The notice shown before joining: purpose, items, retention, and the right to refuse with its
//! consequence; marketing is a separate, optional consent. It says what the service does with
//! the data of this kind of event: a draw's entries, or a promotion's passes.

use chrono::Duration;

use super::Retention;

/// What joining an event is: an entry to a draw, or a pass used at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gives {
    DrawEntry,
    Pass,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub privacy: String,
    pub age: String,
    pub marketing: String,
    /// What a customer should know before joining, above the form: when and how winners are
    /// announced, the prize's tax, the age rule of a shop that serves alcohol, a rewarded
    /// review's disclosure.
    pub before: Vec<String>,
}

/// What the event says that changes the notice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeFacts {
    /// 14, or 19 where the trade sells alcohol (`trade::min_age`).
    pub min_age: u8,
    /// KRW per prize (a draw's prize tax).
    pub prize_value: Option<i64>,
    /// A promotion that rewards a review (its disclosure).
    pub review: bool,
}

/// Who handles the data on the shop's behalf (개인정보 처리 위탁), and for what.
fn entrusted(gives: Gives) -> String {
    let work = match gives {
        Gives::DrawEntry => "응모 접수·보관과 추첨",
        Gives::Pass => "쿠폰 발급·보관과 사용 처리",
    };
    format!("이벤트 마케팅 서비스({work}), Microsoft Azure(서버와 데이터 보관)")
}

/// "24시간 안에", "30일 안에", "바로".
fn within(d: Duration) -> String {
    match d.num_hours() {
        0 => "바로".to_owned(),
        h if h < 48 || h % 24 != 0 => format!("{h}시간 안에"),
        h => format!("{}일 안에", h / 24),
    }
}

/// The purpose, what the data is kept for and how long, and what refusing costs.
fn purpose(gives: Gives, r: &Retention) -> (&'static str, String, &'static str) {
    match gives {
        Gives::DrawEntry => (
            "이벤트 응모 확인, 중복 응모 방지, 당첨자 추첨과 당첨 안내",
            format!(
                "추첨 후 {} 파기(당첨자는 경품 전달을 위해 추첨 후 {}, 예비 당첨자는 {} 파기), \
                 추첨하지 않은 이벤트는 종료 후 {} 파기",
                within(r.non_winners),
                within(r.winners),
                within(r.alternates),
                within(r.undrawn),
            ),
            "이벤트에 응모할 수 없습니다",
        ),
        Gives::Pass => (
            "쿠폰 발급, 중복 참여 방지, 잃어버린 쿠폰 다시 찾기",
            format!(
                "쿠폰을 다 쓰거나 사용 기한이 지나면 {} 파기, 늦어도 이벤트가 끝난 뒤 {} 파기",
                within(r.non_winners),
                within(r.undrawn),
            ),
            "쿠폰을 받을 수 없습니다",
        ),
    }
}

/// The notices above the form.
fn before(gives: Gives, facts: NoticeFacts) -> Vec<String> {
    let mut said = Vec::new();
    if gives == Gives::DrawEntry {
        said.push(format!(
            "당첨자 발표: 이벤트가 끝나면 가게에서 추첨하고, 결과는 이 페이지의 '추첨 결과 보기'에서 \
             응모 번호로 확인할 수 있습니다. 당첨되신 분께는 추첨 후 {}일 안에 남기신 휴대폰 번호로 연락드립니다.",
            crate::domain::draw::CONTACT_DAYS
        ));
        if let Some(v) = facts
            .prize_value
            .filter(|v| *v > super::TAX_FREE_PRIZE_LIMIT)
        {
            said.push(format!(
                "경품 가액이 {}원으로 5만 원을 넘어, 당첨되면 제세공과금(경품 가액의 22%, {}원)을 \
                 당첨자가 부담합니다. 신고에 필요한 정보는 당첨 후 가게에서 따로 여쭙니다.",
                super::won(v),
                super::won(v * 22 / 100)
            ));
        }
    }
    if facts.min_age >= 19 {
        said.push("주류를 판매하는 가게의 이벤트라 만 19세 이상만 참여할 수 있습니다.".to_owned());
    }
    if facts.review {
        said.push(
            "혜택을 받고 후기를 올릴 때는 후기에 '가게에서 혜택을 받고 작성한 후기'임을 꼭 밝혀 \
             주세요 (표시·광고 공정화법)."
                .to_owned(),
        );
    }
    said
}

impl Notice {
    pub fn new(shop: &str, retention: &Retention, gives: Gives, facts: NoticeFacts) -> Self {
        let (purpose, kept, refused) = purpose(gives, retention);
        let entrusted = entrusted(gives);
        let privacy = format!(
            "[필수] 개인정보 수집·이용 동의\n\
             - 수집하는 곳: {shop}\n\
             - 목적: {purpose}\n\
             - 항목: 이름, 휴대전화 번호\n\
             - 보유 기간: {kept}\n\
             - 처리 위탁: {entrusted}\n\
             - 동의를 거부할 수 있으며, 거부하면 {refused}."
        );
        let (join, gain) = match gives {
            Gives::DrawEntry => ("응모", "응모와 당첨"),
            Gives::Pass => ("참여", "참여와 혜택"),
        };
        let marketing = format!(
            "[선택] 마케팅 정보 수신 동의\n\
             - 목적: {shop}의 새 이벤트와 혜택 안내\n\
             - 항목: 이름, 휴대전화 번호\n\
             - 보유 기간: 동의한 날부터 {}일\n\
             - 동의하지 않아도 {gain}에는 아무 영향이 없습니다.",
            retention.marketing.num_days(),
        );
        let age = facts.min_age.max(14);
        Self {
            privacy,
            age: format!("[필수] 만 {age}세 이상입니다. 만 {age}세 미만은 {join}할 수 없습니다."),
            marketing,
            before: before(gives, facts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_purpose_items_retention_and_refusal() {
        let n = Notice::new(
            "카페 봄날",
            &Retention::default(),
            Gives::DrawEntry,
            NoticeFacts::default(),
        );
        for part in [
            "목적",
            "항목",
            "보유 기간",
            "거부할 수 있으며",
            "24시간 안에",
            "30일 안에",
        ] {
            assert!(n.privacy.contains(part), "{part}: {}", n.privacy);
        }
        assert!(n.marketing.starts_with("[선택]"));
        assert!(n.marketing.contains("365일"));
        assert!(n.marketing.contains("아무 영향이 없습니다"));
        assert!(n.age.contains("만 14세"));
        let at_once = Retention {
            non_winners: Duration::zero(),
            ..Retention::default()
        };
        let now = Notice::new("카페", &at_once, Gives::DrawEntry, NoticeFacts::default());
        assert!(now.privacy.contains("추첨 후 바로 파기"), "{}", now.privacy);
    }

    #[test]
    fn a_pass_promotion_says_what_is_done_with_a_pass_and_no_draw() {
        let n = Notice::new(
            "카페 봄날",
            &Retention::default(),
            Gives::Pass,
            NoticeFacts::default(),
        );
        assert!(!n.privacy.contains("추첨"), "{}", n.privacy);
        assert!(n.privacy.contains("쿠폰 발급"), "{}", n.privacy);
        assert!(
            n.privacy.contains("사용 기한이 지나면 24시간 안에 파기"),
            "{}",
            n.privacy
        );
        assert!(!(n.age.contains("응모") || n.marketing.contains("응모")));
    }

    #[test]
    fn a_pubs_draw_over_fifty_thousand_won_says_its_age_tax_and_announcement() {
        let facts = NoticeFacts {
            min_age: 19,
            prize_value: Some(100_000),
            review: false,
        };
        let n = Notice::new("호프 봄날", &Retention::default(), Gives::DrawEntry, facts);
        assert!(n.age.contains("만 19세 이상"), "{}", n.age);
        assert!(
            n.privacy.contains("처리 위탁: 이벤트 마케팅 서비스"),
            "{}",
            n.privacy
        );
        let all = n.before.join("\n");
        assert!(
            all.contains("당첨자 발표") && all.contains("7일 안에"),
            "{all}"
        );
        assert!(
            all.contains("제세공과금(경품 가액의 22%, 22,000원)"),
            "{all}"
        );
        assert!(all.contains("만 19세 이상만"), "{all}");
        let pass = NoticeFacts {
            min_age: 14,
            prize_value: Some(100_000),
            review: true,
        };
        let n = Notice::new("카페", &Retention::default(), Gives::Pass, pass);
        let all = n.before.join("\n");
        assert!(
            !all.contains("당첨자 발표") && !all.contains("제세공과금"),
            "{all}"
        );
        assert!(all.contains("혜택을 받고 작성한 후기"), "{all}");
    }
}
