//! Photo reviews: the customer adds their post's public address to their pass; the owner
//! approves it (the reward is then ready at the counter) or rejects it with a reason the
//! customer sees (and may add another).

use tracing::instrument;

use super::{PassView, view};
use crate::app::{AppError, PassError, Services, events};
use crate::domain::entrant::Receipt;
use crate::domain::field::{self, FieldError, FieldProblem};
use crate::domain::mechanic::{Mechanic, ReviewSite};
use crate::domain::messages::{Message, ReviewDecided};
use crate::domain::pass::{Pass, PassCode, Review, ReviewState};
use crate::domain::{EventId, OutboxMessage, UserId};
use crate::ports::ReviewDecision;

/// A post's address, if it is a public one of the sites the promotion names.
pub fn review_url(raw: &str, sites: &[ReviewSite]) -> Result<String, FieldError> {
    let bad = |sentence| FieldError::new("url", FieldProblem::Rule { sentence });
    let url = url::Url::parse(raw.trim())
        .map_err(|_| bad("후기 주소는 https://로 시작하는 전체 주소로 붙여 넣어 주세요."))?;
    if url.scheme() != "https" || url.username() != "" || url.as_str().len() > 500 {
        return Err(bad(
            "후기 주소는 https://로 시작하는 전체 주소로 붙여 넣어 주세요.",
        ));
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if !sites.iter().any(|s| s.hosts().contains(&host.as_str())) {
        return Err(bad(
            "이 이벤트에서 정한 곳(인스타그램, 네이버 블로그 등)에 올린 후기 주소가 아닙니다.",
        ));
    }
    Ok(url.to_string())
}

/// The customer adds (or, after a rejection, replaces) their review's address.
#[instrument(skip_all)]
pub async fn submit_review(s: &Services, code: &PassCode, raw: &str) -> Result<PassView, AppError> {
    let v = view(s, code).await?;
    let Mechanic::PhotoReview { sites, .. } = &v.mechanic else {
        return Err(PassError::ReviewClosed.into());
    };
    let open = matches!(
        v.pass.review.as_ref().map(|r| &r.state),
        None | Some(ReviewState::Pending | ReviewState::Rejected { .. })
    );
    if !open || v.pass.expired(s.clock.now()) {
        return Err(PassError::ReviewClosed.into());
    }
    let url = review_url(raw, sites)?;
    let now = s.clock.now();
    let next = Pass {
        review: Some(Review {
            url,
            state: ReviewState::Pending,
            at: now,
        }),
        version: v.pass.version + 1,
        ..v.pass.clone()
    };
    save(s, &next, v.pass.version, None).await?;
    Ok(PassView {
        standing: next.standing(&v.mechanic, now),
        pass: next,
        ..v
    })
}

async fn save(
    s: &Services,
    pass: &Pass,
    read: i64,
    m: Option<&OutboxMessage>,
) -> Result<(), AppError> {
    let decision = ReviewDecision {
        pass,
        read_version: read,
        message: m,
    };
    if !s.store.save_review(decision).await? {
        return Err(PassError::Changed.into());
    }
    if m.is_some() {
        s.relay_kick.notify_one();
    }
    Ok(())
}

/// The owner's event's reviews, waiting ones first.
pub async fn reviews(s: &Services, owner: UserId, event: EventId) -> Result<Vec<Pass>, AppError> {
    let event = events::get(s, owner, event).await?;
    Ok(s.store.reviews(event.id).await?)
}

/// The owner approves a waiting review, or rejects it with a reason the customer reads.
#[instrument(skip_all, fields(event_id = %event))]
pub async fn decide(
    s: &Services,
    owner: UserId,
    event: EventId,
    receipt: &Receipt,
    approve: bool,
    reason: Option<&str>,
) -> Result<Pass, AppError> {
    let event = events::get(s, owner, event).await?;
    let pass = (s.store.pass_of_entry(event.id, receipt).await?).ok_or(PassError::NotFound)?;
    let Some(review) = pass
        .review
        .clone()
        .filter(|r| r.state == ReviewState::Pending)
    else {
        return Err(PassError::ReviewClosed.into());
    };
    let state = if approve {
        ReviewState::Approved
    } else {
        let reason = field::text("reason", reason.unwrap_or_default(), 200)?;
        ReviewState::Rejected { reason }
    };
    let now = s.clock.now();
    let next = Pass {
        review: Some(Review { state, ..review }),
        version: pass.version + 1,
        ..pass.clone()
    };
    let decided = ReviewDecided {
        approved: approve,
        source: crate::domain::analytics::source_code(pass.source).to_owned(),
        at: now,
    };
    let message = OutboxMessage::new(event.id, Message::ReviewDecided(decided), now);
    save(s, &next, pass.version, Some(&message)).await?;
    tracing::info!(approve, "review decided");
    Ok(next)
}
