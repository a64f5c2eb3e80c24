//! Units of work for job messages. The in-process relay and the Service Bus–triggered functions
//! are thin shells around `dispatch`. Idempotent: a job that is finished is never touched again,
//! and results are written together with the job's completion.

use tracing::instrument;

use super::jobs::{AI_RECOMMENDATION_QUEUE, IMAGE_GENERATION_QUEUE};
use super::{AppError, Services};
use crate::domain::calendar::seoul_date;
use crate::domain::job::Job;
use crate::domain::poster::{
    Image, ImageContent, PosterStyle, PosterText, platform_size, ringback_script,
};
use crate::domain::promotion::{IndustryKind, Recommendation};
use crate::domain::{Channel, ImageId, JobId, RecommendationId};
use crate::ports::PosterSpec;
use crate::ports::{RecommendationInput, RecommenderError};

/// What a delivery of a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done with this message (including "nothing to do" and "failed for good, job marked").
    Done(String),
    /// Deliver it again later (Service Bus: answer non-2xx).
    Retry(String),
}

/// The job id in a job message's envelope (`data.jobId`).
pub fn job_id_of(payload: &serde_json::Value) -> Option<JobId> {
    payload.get("data")?.get("jobId")?.as_str()?.parse().ok()
}

/// Runs one delivery of `payload` from `destination`. `delivery` counts from 1.
pub async fn dispatch(
    s: &Services,
    destination: &str,
    payload: &serde_json::Value,
    delivery: u32,
) -> Outcome {
    let Some(job_id) = job_id_of(payload) else {
        return Outcome::Done("not a job message: dropped".to_owned());
    };
    let result = match destination {
        AI_RECOMMENDATION_QUEUE => recommendation_job(s, job_id, delivery).await,
        IMAGE_GENERATION_QUEUE => image_job(s, job_id, delivery).await,
        other => return Outcome::Done(format!("no worker for '{other}': dropped")),
    };
    match result {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), delivery, "job delivery failed");
            if delivery >= s.max_deliveries {
                // No further delivery will come: settle the job now (best effort; the stale-job
                // sweep catches it if even this fails).
                let failed = s
                    .store
                    .fail_job(job_id, INTERNAL_FAILED, s.clock.now())
                    .await;
                if failed.is_ok() {
                    return Outcome::Done("failed for good: job marked FAILED".to_owned());
                }
            }
            Outcome::Retry("internal error; will retry".to_owned())
        }
    }
}

const INTERNAL_FAILED: &str =
    "일시적인 오류로 작업을 완료하지 못했습니다. 잠시 후 다시 요청해 주세요.";

/// Jobs untouched this long are given up (a worker died; a message was lost to a dead-letter
/// queue). An AI job takes up to 5 minutes per delivery; images a few seconds per poster.
pub const STALE_AFTER_MINUTES: i64 = 30;

/// Fails the jobs that will never finish by themselves. Run with every relay pass.
pub async fn fail_stale_jobs(s: &Services) -> Result<u64, AppError> {
    let now = s.clock.now();
    let failed = s
        .store
        .fail_stale_jobs(
            now - chrono::Duration::minutes(STALE_AFTER_MINUTES),
            "작업이 너무 오래 진행되지 않아 중단했습니다. 다시 요청해 주세요.",
            now,
        )
        .await?;
    if failed > 0 {
        tracing::warn!(failed, "stale jobs failed");
    }
    Ok(failed)
}

/// A message that will not be delivered again: its job fails with a message the owner can act on.
pub async fn dead_letter(s: &Services, payload: &serde_json::Value) -> Result<(), AppError> {
    if let Some(job_id) = job_id_of(payload) {
        s.store
            .fail_job(
                job_id,
                "작업을 여러 번 시도했지만 완료하지 못했습니다. 잠시 후 다시 요청해 주세요.",
                s.clock.now(),
            )
            .await?;
    }
    Ok(())
}

#[instrument(skip_all, fields(job_id = %job_id, delivery))]
async fn recommendation_job(
    s: &Services,
    job_id: JobId,
    delivery: u32,
) -> Result<Outcome, AppError> {
    let now = s.clock.now();
    let Some(job) = s.store.start_job_delivery(job_id, now).await? else {
        return Ok(Outcome::Done("unknown job: dropped".to_owned()));
    };
    if job.status.is_finished() {
        return Ok(Outcome::Done(format!("job already {}", job.status.code())));
    }
    let Some(event) = s.store.event_by_id(job.event_id).await? else {
        s.store
            .fail_job(job.id, "이벤트가 삭제되어 추천을 만들 수 없습니다.", now)
            .await?;
        return Ok(Outcome::Done("event deleted: job failed".to_owned()));
    };
    let kind = IndustryKind::of(&event.store.industry);
    let history = s.store.promotion_history(kind, event.objective).await?;
    s.store.set_job_progress(job.id, 30, s.clock.now()).await?;
    let input = RecommendationInput {
        objective: event.objective,
        store: event.store.clone(),
        period: event.period().map(|p| (p.start(), p.end())),
        budget: event.budget,
        today: seoul_date(now),
        history,
    };
    let recommended = match s.recommender.recommend(&input).await {
        Ok(r) => r,
        Err(RecommenderError::Retryable(why)) => {
            return give_up_or_retry(s, &job, delivery, &why, RECOMMENDATIONS_FAILED).await;
        }
    };
    s.store.set_job_progress(job.id, 80, s.clock.now()).await?;
    let done_at = s.clock.now();
    let recommendations: Vec<Recommendation> = recommended
        .plans
        .into_iter()
        .zip(1u8..)
        .map(|(plan, rank)| Recommendation {
            id: RecommendationId::new(),
            event_id: event.id,
            job_id: job.id,
            rank,
            plan,
            selected: false,
            created_at: done_at,
        })
        .collect();
    let stored = s
        .store
        .complete_recommendation_job(&job, &recommendations, recommended.note.as_deref(), done_at)
        .await?;
    Ok(Outcome::Done(if stored {
        "3 recommendations stored".to_owned()
    } else {
        "job finished meanwhile: nothing changed".to_owned()
    }))
}

#[instrument(skip_all, fields(job_id = %job_id, delivery))]
async fn image_job(s: &Services, job_id: JobId, delivery: u32) -> Result<Outcome, AppError> {
    let now = s.clock.now();
    let Some(job) = s.store.start_job_delivery(job_id, now).await? else {
        return Ok(Outcome::Done("unknown job: dropped".to_owned()));
    };
    if job.status.is_finished() {
        return Ok(Outcome::Done(format!("job already {}", job.status.code())));
    }
    let Some(event) = s.store.event_by_id(job.event_id).await? else {
        s.store
            .fail_job(job.id, "이벤트가 삭제되어 이미지를 만들 수 없습니다.", now)
            .await?;
        return Ok(Outcome::Done("event deleted: job failed".to_owned()));
    };
    let codes = |key: &str| -> Vec<String> {
        job.request[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let platforms: Vec<Channel> = codes("platforms")
        .iter()
        .filter_map(|c| Channel::parse(c).ok())
        .collect();
    let styles: Vec<PosterStyle> = codes("styles")
        .iter()
        .filter_map(|c| PosterStyle::parse(c).ok())
        .collect();
    let text = PosterText::of(&event);
    let total = platforms.len() * styles.len();
    let mut images = Vec::new();
    let mut note: Option<String> = None;
    let mut done = 0usize;
    for platform in platforms {
        let Some((width, height)) = platform_size(platform) else {
            images.push(Image {
                id: ImageId::new(),
                event_id: event.id,
                job_id: job.id,
                platform,
                content: ImageContent::Script(ringback_script(&text)),
                selected: false,
                created_at: now,
            });
            done += styles.len();
            continue;
        };
        for &style in &styles {
            let spec = PosterSpec {
                platform,
                style,
                width,
                height,
                text: text.clone(),
            };
            let painted = match s.painter.paint(&spec).await {
                Ok(p) => p,
                Err(e) => {
                    return give_up_or_retry(s, &job, delivery, &e.to_string(), IMAGES_FAILED)
                        .await;
                }
            };
            // The key is fixed per job, platform and style: a redelivery overwrites, never adds.
            let key = format!(
                "events/{}/{}/{}-{}.png",
                event.id,
                job.id,
                platform.code().to_lowercase(),
                style.code().to_lowercase()
            );
            note = note.or(painted.note);
            if let Err(e) = s.blobs.put(&key, painted.png, "image/png").await {
                return give_up_or_retry(s, &job, delivery, &e.to_string(), IMAGES_FAILED).await;
            }
            images.push(Image {
                id: ImageId::new(),
                event_id: event.id,
                job_id: job.id,
                platform,
                content: ImageContent::Poster {
                    style,
                    blob_key: key,
                    width,
                    height,
                },
                selected: false,
                created_at: now,
            });
            done += 1;
            let progress = 10 + (80 * done / total.max(1));
            s.store
                .set_job_progress(job.id, u8::try_from(progress).unwrap_or(90), s.clock.now())
                .await?;
        }
    }
    let stored = s
        .store
        .complete_image_job(&job, &images, note.as_deref(), s.clock.now())
        .await?;
    Ok(Outcome::Done(if stored {
        format!("{} image(s) stored", images.len())
    } else {
        "job finished meanwhile: nothing changed".to_owned()
    }))
}

const RECOMMENDATIONS_FAILED: &str =
    "AI 추천 서비스가 응답하지 않아 추천을 만들지 못했습니다. 잠시 후 다시 요청해 주세요.";
const IMAGES_FAILED: &str =
    "이미지를 만들거나 저장하지 못했습니다. 잠시 후 이미지 생성을 다시 요청해 주세요.";

async fn give_up_or_retry(
    s: &Services,
    job: &Job,
    delivery: u32,
    why: &str,
    message: &str,
) -> Result<Outcome, AppError> {
    if delivery >= s.max_deliveries {
        s.store.fail_job(job.id, message, s.clock.now()).await?;
        return Ok(Outcome::Done(format!(
            "gave up after {delivery} deliveries: {why}"
        )));
    }
    tracing::warn!(delivery, reason = why, "retrying later");
    Ok(Outcome::Retry(why.to_owned()))
}
