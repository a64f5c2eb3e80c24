//! What must hold before an event is published. Every unmet precondition is named at once, in
//! Korean, so the owner can fix them all in one go.

use chrono::NaiveDate;

use super::channel::Channel;
use super::event::Event;
use super::korean::{Particle, with};
use super::poster::PosterStyle;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishProblem {
    NoName,
    NoPeriod,
    PeriodOver {
        end: NaiveDate,
    },
    NoImageSelected,
    NoChannels,
    /// No poster of the chosen style at this channel's size.
    NoPoster {
        channel: Channel,
        style: PosterStyle,
    },
    NotConnected(Channel),
    /// Connected, but the token expired or was refused.
    Reconnect(Channel),
    /// The platform has no endpoint for this channel (its dealer or partner is not set up).
    NotAvailable(Channel),
    /// The post breaks one of the channel's rules.
    Content {
        channel: Channel,
        rule: String,
    },
    /// The promotion's mechanic breaks one of its rules (a field and what is wrong).
    Promotion {
        field: &'static str,
        rule: String,
    },
    /// The owner's cost breakdown in a text customers read (the name, description or prize).
    OwnerCosts {
        field: &'static str,
    },
    /// The channel's poster was painted before the event's title, benefit or period changed.
    StalePoster(Channel),
    /// A text customers read states dates the period no longer has (written before an edit).
    StaleDates {
        field: &'static str,
        said: Vec<String>,
    },
}

impl PublishProblem {
    pub fn code(&self) -> &'static str {
        match self {
            PublishProblem::NoName => "NO_NAME",
            PublishProblem::NoPeriod => "NO_PERIOD",
            PublishProblem::PeriodOver { .. } => "PERIOD_OVER",
            PublishProblem::NoImageSelected => "NO_IMAGE",
            PublishProblem::NoChannels => "NO_CHANNELS",
            PublishProblem::NoPoster { .. } => "NO_POSTER_FOR_CHANNEL",
            PublishProblem::NotConnected(_) => "CHANNEL_NOT_CONNECTED",
            PublishProblem::Reconnect(_) => "CHANNEL_RECONNECT",
            PublishProblem::NotAvailable(_) => "CHANNEL_NOT_AVAILABLE",
            PublishProblem::Content { .. } => "CONTENT_RULE",
            PublishProblem::Promotion { .. } => "PROMOTION_RULE",
            PublishProblem::OwnerCosts { .. } => "OWNER_COSTS",
            PublishProblem::StalePoster(_) => "POSTER_STALE",
            PublishProblem::StaleDates { .. } => "DATES_STALE",
        }
    }

    pub fn channel(&self) -> Option<Channel> {
        match self {
            PublishProblem::NoPoster { channel, .. }
            | PublishProblem::Content { channel, .. }
            | PublishProblem::NotConnected(channel)
            | PublishProblem::Reconnect(channel)
            | PublishProblem::NotAvailable(channel)
            | PublishProblem::StalePoster(channel) => Some(*channel),
            _ => None,
        }
    }

    pub fn message(&self) -> String {
        let eun = |c: &Channel| with(c.label(), Particle::Eun);
        match self {
            PublishProblem::NoName => "이벤트 이름을 정해 주세요.".to_owned(),
            PublishProblem::NoPeriod => "이벤트 시작일과 종료일을 정해 주세요.".to_owned(),
            PublishProblem::PeriodOver { end } => {
                format!("이벤트 기간이 이미 끝났습니다(종료일 {end}). 기간을 다시 정해 주세요.")
            }
            PublishProblem::NoImageSelected => "홍보 이미지를 하나 선택해 주세요.".to_owned(),
            PublishProblem::NoChannels => "배포할 채널을 하나 이상 선택해 주세요.".to_owned(),
            PublishProblem::NoPoster { channel, style } => format!(
                "{}용 '{}' 스타일 이미지가 없습니다. 이미지 생성에 {}{} 포함해 다시 만들어 주세요.",
                channel.label(),
                style.label(),
                channel.label(),
                super::korean::particle_for(channel.label(), Particle::Eul)
            ),
            PublishProblem::NotConnected(c) => {
                format!(
                    "{} 아직 연결되지 않았습니다. 채널 연결에서 연결해 주세요.",
                    eun(c)
                )
            }
            PublishProblem::Reconnect(c) => {
                format!(
                    "{}의 연결이 만료되었습니다. 채널을 다시 연결해 주세요.",
                    c.label()
                )
            }
            PublishProblem::NotAvailable(c) => format!(
                "{} 아직 이 서비스에서 배포할 수 없습니다(발송 대행사 연동 준비 중). 다른 채널을 선택해 주세요.",
                eun(c)
            ),
            PublishProblem::Content { channel, rule } => format!("{}: {rule}", channel.label()),
            PublishProblem::Promotion { rule, .. } => format!("혜택 조건: {rule}"),
            PublishProblem::StalePoster(c) => format!(
                "{} 포스터를 만든 뒤 이벤트의 제목·혜택·기간이 바뀌었습니다. 지금 내용으로 포스터를 다시 만들어 주세요(오늘 만들 수 있는 수를 다 썼다면 내일 다시 만들 수 있습니다).",
                c.label()
            ),
            PublishProblem::StaleDates { field, said } => format!(
                "{}에 적힌 '{}'{} 지금 이벤트 기간과 맞지 않습니다. 기간을 바꾼 뒤라면 날짜도 고쳐 주세요.",
                field_label(field),
                said.join("', '"),
                crate::domain::korean::particle_for(
                    &format!("{}'", said.join("")),
                    crate::domain::korean::Particle::I
                )
            ),
            PublishProblem::OwnerCosts { field } => format!(
                "{}에 사장님만 보실 비용 내역(예상 비용, 합계)이 들어 있어 고객에게 그대로 보입니다. 고객에게 보일 내용만 남겨 주세요.",
                field_label(field)
            ),
        }
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "이벤트 이름",
        "prize" => "경품 문구",
        _ => "설명",
    }
}

/// What customers read states the period as it is now (`said_dates`).
fn stale_dates(event: &Event) -> Vec<PublishProblem> {
    let Some(p) = event.period() else {
        return Vec::new();
    };
    let stated: Vec<NaiveDate> = match event.mechanic.as_ref().and_then(|m| m.validity()) {
        Some(crate::domain::mechanic::Validity::Until { date }) => vec![date],
        _ => Vec::new(),
    };
    let customers_read = [
        ("name", &event.name),
        ("description", &event.description),
        ("prize", &event.prize),
    ];
    (customers_read.into_iter())
        .filter_map(|(field, text)| {
            let said = super::said_dates::stale(text.as_deref()?, p.start(), p.end(), &stated);
            (!said.is_empty()).then_some(PublishProblem::StaleDates { field, said })
        })
        .collect()
}

/// What customers read never carries the owner's cost breakdown (every post, poster and the
/// event page are made from these three).
fn owner_costs(event: &Event) -> Vec<PublishProblem> {
    let customers_read = [
        ("name", &event.name),
        ("description", &event.description),
        ("prize", &event.prize),
    ];
    let has_costs =
        |t: &Option<String>| (t.as_deref()).is_some_and(super::audience::has_owner_costs);
    (customers_read.into_iter())
        .filter(|(_, text)| has_costs(text))
        .map(|(field, _)| PublishProblem::OwnerCosts { field })
        .collect()
}

/// The event's own preconditions (the channel checks need connections and posts).
pub fn event_problems(
    event: &Event,
    today: NaiveDate,
    image_selected: bool,
) -> Vec<PublishProblem> {
    let mut problems = Vec::new();
    if event.name.is_none() {
        problems.push(PublishProblem::NoName);
    }
    match event.period() {
        None => problems.push(PublishProblem::NoPeriod),
        Some(p) if p.end() < today => problems.push(PublishProblem::PeriodOver { end: p.end() }),
        Some(_) => {}
    }
    if !image_selected {
        problems.push(PublishProblem::NoImageSelected);
    }
    if event.channels.is_empty() {
        problems.push(PublishProblem::NoChannels);
    }
    problems.extend(owner_costs(event));
    problems.extend(stale_dates(event));
    if let (Some(m), Some(t)) = (&event.mechanic, event.promotion_type) {
        let period = event.period().map(|p| (p.start(), p.end()));
        problems.extend(
            (m.problems(t, period).into_iter()).map(|e| PublishProblem::Promotion {
                field: e.field,
                rule: e.message(),
            }),
        );
        // What customers read must say what the counter does: the same rule as for plans.
        let prose = format!(
            "{} {}",
            event.description.as_deref().unwrap_or_default(),
            event.prize.as_deref().unwrap_or_default()
        );
        if let Some(number) = m.unstated(&prose) {
            problems.push(PublishProblem::Promotion {
                field: "description",
                rule: format!(
                    "설명과 경품 문구에 '{number}'{} 없습니다. 혜택 설정과 같은 숫자로 고쳐 주세요.",
                    crate::domain::korean::particle_for(&format!("{number}'"), crate::domain::korean::Particle::I)
                ),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Objective, ShopInfo, UserId};

    #[test]
    fn every_problem_at_once_in_korean() {
        let event = Event::draft(
            UserId::new(),
            None,
            Objective::Sales,
            ShopInfo::parse("카페 봄날", "카페", "서울").unwrap(),
            chrono::Utc::now(),
        );
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let problems = event_problems(&event, today, false);
        let codes: Vec<&str> = problems.iter().map(PublishProblem::code).collect();
        assert_eq!(codes, ["NO_NAME", "NO_PERIOD", "NO_IMAGE", "NO_CHANNELS"]);
        let m = PublishProblem::NotConnected(Channel::Instagram).message();
        assert_eq!(
            m,
            "인스타그램은 아직 연결되지 않았습니다. 채널 연결에서 연결해 주세요."
        );
        let m = PublishProblem::NotConnected(Channel::Naver).message();
        assert!(m.starts_with("네이버 카페는 "), "{m}");
        let m = PublishProblem::NoPoster {
            channel: Channel::GiniTv,
            style: PosterStyle::Bold,
        }
        .message();
        assert!(m.contains("지니TV를 포함해"), "{m}");
    }
}
