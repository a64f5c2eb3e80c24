//! What an attempt or a reconciliation makes of a post: its next state, and a message that
//! says what happened and what to do.

use chrono::{DateTime, Utc};

use crate::domain::Channel;
use crate::domain::distribution::{ChannelPost, ChannelStatus, FailureKind, Review};
use crate::domain::korean::{Particle, with};
use crate::ports::{Posted, Reconciled};

fn seoul_time(t: &DateTime<Utc>) -> String {
    let local = t.with_timezone(&crate::domain::calendar::seoul());
    local.format("%m월 %d일 %H:%M").to_string()
}

/// The post after an attempt, with a message that says what happened and what to do.
pub(super) fn settle(post: &ChannelPost, posted: &Posted, now: DateTime<Utc>) -> ChannelPost {
    let label = post.channel.label();
    let base = ChannelPost {
        lease_until: None,
        updated_at: now,
        next_attempt_at: None,
        failure: None,
        ..post.clone()
    };
    match posted {
        Posted::Published { external_id, url } => published(base, external_id, url, None),
        Posted::Accepted {
            external_id,
            review,
        } => published(base, external_id, &None, Some(*review)),
        Posted::Sandbox { path } => ChannelPost {
            status: ChannelStatus::Sandbox,
            external_id: Some(path.clone()),
            message: Some(format!(
                "로컬 샌드박스에 기록만 했습니다. 실제로 {}에 게시되지 않았습니다(채널을 연결하면 실제로 게시됩니다).",
                label
            )),
            ..base
        },
        Posted::Scheduled { at: when, .. } => ChannelPost {
            status: ChannelStatus::Scheduled,
            next_attempt_at: Some(*when),
            message: Some(format!(
                "야간(20:50~08:00)에는 광고 메시지를 보낼 수 없어 {}에 보냅니다.",
                seoul_time(when)
            )),
            ..base
        },
        Posted::RateLimited { retry_at, .. } => ChannelPost {
            status: ChannelStatus::Pending,
            next_attempt_at: Some(*retry_at),
            failure: Some(FailureKind::RateLimited),
            message: Some(format!(
                "{} 게시 한도에 걸려 {}에 다시 시도합니다.",
                label,
                seoul_time(retry_at)
            )),
            ..base
        },
        Posted::Failed { kind, detail } => failed(base, *kind, detail),
        Posted::NeedsReconnect { .. } => ChannelPost {
            status: ChannelStatus::NeedsReconnect,
            message: Some(format!(
                "{}의 연결이 만료되었거나 취소되었습니다. 채널을 다시 연결한 뒤 재시도해 주세요.",
                label
            )),
            ..base
        },
        Posted::Unknown { .. } => unknown(base),
    }
}

/// Published, or accepted and under the channel's review.
fn published(
    base: ChannelPost,
    external_id: &str,
    url: &Option<String>,
    review: Option<Review>,
) -> ChannelPost {
    let label = base.channel.label();
    let message = match review {
        Some(r) => r.said(label),
        None => format!("{label}에 게시했습니다."),
    };
    ChannelPost {
        status: ChannelStatus::Published,
        external_id: Some(external_id.to_owned()),
        url: url.clone(),
        review: review.or(base.review),
        message: Some(message),
        ..base
    }
}

fn failed(base: ChannelPost, kind: FailureKind, detail: &str) -> ChannelPost {
    let label = with(base.channel.label(), Particle::I);
    let message = match kind {
        FailureKind::RateLimited | FailureKind::Transient => {
            format!("{label} 일시적으로 응답하지 않아 게시하지 못했습니다. 다시 시도해 주세요.")
        }
        FailureKind::Rejected => {
            format!("{label} 게시물을 받지 않았습니다({detail}). 내용을 확인해 주세요.")
        }
        FailureKind::Account => {
            format!(
                "{label} 이 계정으로 게시할 수 없다고 답했습니다({detail}). 계정 상태를 확인해 주세요."
            )
        }
        FailureKind::NotConfigured => format!(
            "{} 이 서비스에서 아직 게시할 수 없습니다(연동 설정 필요).",
            with(base.channel.label(), Particle::Eun)
        ),
    };
    ChannelPost {
        status: ChannelStatus::Failed,
        failure: Some(kind),
        message: Some(message),
        ..base
    }
}

/// Maybe posted: never sent again blindly. The message says what is done next, channel by
/// channel, as the adapters do it.
pub(super) fn unknown(base: ChannelPost) -> ChannelPost {
    let label = base.channel.label();
    let next = match base.channel {
        Channel::Naver => {
            "네이버 카페는 올린 글을 조회하는 기능을 제공하지 않아 자동으로 확인할 수 없습니다. 카페 게시판에서 확인한 뒤 이 화면에서 알려 주세요. 중복 게시를 막기 위해 그때까지 다시 보내지 않습니다."
        }
        Channel::Instagram => {
            "인스타그램 계정의 게시 상태를 읽어 자동으로 확인합니다. 확인될 때까지 다시 보내지 않습니다."
        }
        Channel::Kakao => {
            "카카오 딜러의 발송 내역을 읽어 자동으로 확인합니다. 발송 내역에 없으면 같은 요청 키로 다시 보내며(같은 키는 10분 안에 두 번 발송되지 않고, 다시 보내기 전에 발송 내역을 먼저 확인합니다), 세 번 보내도 확인되지 않으면 여기서 확인을 부탁드립니다."
        }
        _ => {
            "KT 파트너에 주문 번호로 조회해 자동으로 확인합니다. 주문이 없으면 같은 주문 번호로 다시 넣습니다(같은 번호는 두 번 주문되지 않습니다)."
        }
    };
    ChannelPost {
        status: ChannelStatus::Unknown,
        message: Some(format!(
            "{}에 게시되었는지 확인하지 못했습니다. {next}",
            label
        )),
        ..base
    }
}

/// The post after a read about it; `true` when that settled it.
pub(super) fn reconciled(
    post: &ChannelPost,
    r: Reconciled,
    now: DateTime<Utc>,
) -> (ChannelPost, bool) {
    match r {
        Reconciled::Published { external_id, url } => (
            ChannelPost {
                status: ChannelStatus::Published,
                external_id: Some(external_id),
                url,
                message: Some(format!(
                    "{}에 게시된 것을 확인했습니다.",
                    post.channel.label()
                )),
                updated_at: now,
                ..post.clone()
            },
            true,
        ),
        Reconciled::Refused(posted) => (settle(post, &posted, now), true),
        Reconciled::Accepted {
            external_id,
            review,
        } => {
            let accepted = Posted::Accepted {
                external_id,
                review,
            };
            (settle(post, &accepted, now), true)
        }
        Reconciled::SendAgain => (
            ChannelPost {
                status: ChannelStatus::Pending,
                message: Some(format!(
                    "{}에서 게시 기록을 찾지 못해 다시 보냅니다.",
                    post.channel.label()
                )),
                next_attempt_at: None,
                updated_at: now,
                ..post.clone()
            },
            true,
        ),
        Reconciled::StillUnknown(why) => {
            tracing::info!(channel = %post.channel, reason = %why, "still unknown");
            (
                ChannelPost {
                    updated_at: now,
                    ..post.clone()
                },
                false,
            )
        }
    }
}
