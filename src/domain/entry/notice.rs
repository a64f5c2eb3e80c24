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

impl Notice {
    pub fn new(shop: &str, retention: &Retention, gives: Gives) -> Self {
        let (purpose, kept, refused) = purpose(gives, retention);
        let privacy = format!(
            "[필수] 개인정보 수집·이용 동의\n\
             - 수집하는 곳: {shop}\n\
             - 목적: {purpose}\n\
             - 항목: 이름, 휴대전화 번호\n\
             - 보유 기간: {kept}\n\
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
        Self {
            privacy,
            age: format!("[필수] 만 14세 이상입니다. 만 14세 미만은 {join}할 수 없습니다."),
            marketing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_purpose_items_retention_and_refusal() {
        let n = Notice::new("카페 봄날", &Retention::default(), Gives::DrawEntry);
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
        let now = Notice::new("카페", &at_once, Gives::DrawEntry);
        assert!(now.privacy.contains("추첨 후 바로 파기"), "{}", now.privacy);
    }

    #[test]
    fn a_pass_promotion_says_what_is_done_with_a_pass_and_no_draw() {
        let n = Notice::new("카페 봄날", &Retention::default(), Gives::Pass);
        assert!(!n.privacy.contains("추첨"), "{}", n.privacy);
        assert!(n.privacy.contains("쿠폰 발급"), "{}", n.privacy);
        assert!(
            n.privacy.contains("사용 기한이 지나면 24시간 안에 파기"),
            "{}",
            n.privacy
        );
        assert!(!(n.age.contains("응모") || n.marketing.contains("응모")));
    }
}
