use super::*;
use crate::app::{AuthError, Missing};
use crate::domain::{EventAction, EventError, EventStatus, FieldError, FieldProblem};

fn status_and_code(e: ApiError) -> (u16, &'static str) {
    let p = e.problem();
    (e.status(&p).as_u16(), p.code)
}

/// The stable codes clients rely on (docs/architecture.md, "Errors").
#[test]
fn stable_error_codes() {
    let field =
        |f: &'static str| ApiError::App(AppError::Invalid(FieldError::new(f, FieldProblem::Empty)));
    let app = |e: AppError| ApiError::App(e);
    let cases = [
        (field("objective"), (400, "EVENT_001")),
        (field("channels"), (400, "EVENT_006")),
        (field("name"), (400, "REQ_002")),
        (
            app(AppError::ShopInfoMissing { missing: vec![] }),
            (422, "EVENT_002"),
        ),
        (app(AppError::NotFound(Missing::Event)), (404, "EVENT_003")),
        (app(AppError::NotFound(Missing::Job)), (404, "JOB_001")),
        (
            app(AppError::NotFound(Missing::Recommendation)),
            (404, "REC_001"),
        ),
        (app(AppError::NotFound(Missing::Image)), (404, "IMG_001")),
        (
            app(AppError::Event(EventError::NotAllowed {
                status: EventStatus::Published,
                action: EventAction::Edit,
            })),
            (409, "EVENT_004"),
        ),
        (
            app(AppError::Event(EventError::EndBeforeStart)),
            (400, "EVENT_005"),
        ),
        (app(AppError::ConcurrentModification), (409, "EVENT_007")),
        (
            app(AppError::Event(EventError::NotReadyToPublish {
                missing: vec![],
            })),
            (422, "EVENT_008"),
        ),
        (AuthError::EmailTaken.into(), (409, "AUTH_004")),
        (AuthError::InvalidCredentials.into(), (401, "AUTH_003")),
        (
            AuthError::TooManyLoginAttempts {
                retry_after_secs: 1,
            }
            .into(),
            (429, "AUTH_005"),
        ),
        (AuthError::WrongCurrentPassword.into(), (400, "AUTH_006")),
        (ApiError::MissingToken, (401, "AUTH_001")),
        (AuthError::Unauthenticated.into(), (401, "AUTH_002")),
        (ApiError::PayloadTooLarge, (413, "REQ_003")),
        (ApiError::UnsupportedMediaType, (415, "REQ_004")),
        (ApiError::MethodNotAllowed, (405, "COMMON_405")),
        (ApiError::Timeout, (503, "COMMON_503")),
        (
            app(AppError::Internal(anyhow::anyhow!("db down"))),
            (500, "COMMON_500"),
        ),
    ];
    for (err, want) in cases {
        assert_eq!(status_and_code(err), want);
    }
}

#[test]
fn internal_causes_never_reach_the_body() {
    let res = ApiError::App(AppError::Internal(anyhow::anyhow!(
        "password=hunter2 in SQL"
    )))
    .response_with_id("r-1".to_owned());
    let body = body_text(res);
    assert!(!body.contains("hunter2"), "{body}");
    assert!(
        body.contains("COMMON_500") && body.contains("r-1"),
        "{body}"
    );
}

#[test]
fn a_throttled_answer_says_when_to_come_back() {
    let res = ApiError::from(AuthError::TooManyLoginAttempts {
        retry_after_secs: 42,
    })
    .response_with_id("r-2".to_owned());
    assert_eq!(res.headers()[header::RETRY_AFTER], "42");
}

fn body_text(res: Response) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let bytes = rt
        .block_on(axum::body::to_bytes(res.into_body(), usize::MAX))
        .expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}
