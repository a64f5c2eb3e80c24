//! Promotional images: the owner asks for them (a job), the worker paints one poster per
//! platform and style (a ringback script for RINGOBIZ) and stores them, the owner lists them with
//! their URLs and selects one.

use tracing::instrument;

use super::jobs::{self, JobOutcome};
use super::{AppError, Missing, Services, events};
use crate::domain::job::{ImageRequest, Job, JobFailure, JobNote, JobRequest};
use crate::domain::poster::{
    Image, ImageContent, PosterStyle, PosterText, platform_size, ringback_script,
};
use crate::domain::{Channel, Event, EventAction, EventId, ImageId, UserId};
use crate::ports::{PosterSpec, StoreError};

/// The platforms images are made for when the owner has chosen no channels yet.
pub const DEFAULT_IMAGE_PLATFORMS: [Channel; 3] =
    [Channel::Instagram, Channel::Naver, Channel::Kakao];

/// Starts rendering `styles` (default: all three) for `platforms` (default: the event's
/// channels, or Instagram, Naver and Kakao when none are chosen yet).
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn request(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    platforms: Option<Vec<Channel>>,
    styles: Option<Vec<PosterStyle>>,
) -> Result<Job, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::GenerateImages)?;
    let platforms = match platforms.filter(|p| !p.is_empty()) {
        Some(p) => p,
        None if !event.channels.is_empty() => event.channels.clone(),
        None => DEFAULT_IMAGE_PLATFORMS.to_vec(),
    };
    let mut styles = styles
        .filter(|s| !s.is_empty())
        .unwrap_or(PosterStyle::ALL.to_vec());
    styles.sort();
    styles.dedup();
    let request = JobRequest::ImageGeneration(ImageRequest { platforms, styles });
    jobs::enqueue(s, &event, request).await
}

pub async fn list(s: &Services, owner: UserId, event_id: EventId) -> Result<Vec<Image>, AppError> {
    let event = events::get(s, owner, event_id).await?;
    Ok(s.store.images_of_event(event.id).await?)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn select(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    image: ImageId,
) -> Result<Image, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::SelectImage)?;
    match s.store.select_image(event.id, image).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound(Missing::Image)),
        // A concurrent selection (a double click) loses to the first one.
        Err(StoreError::Duplicate) => return Err(AppError::ConcurrentModification),
        Err(e) => return Err(e.into()),
    }
    s.memo.public_page_changed(event.id);
    s.store
        .images_of_event(event.id)
        .await?
        .into_iter()
        .find(|i| i.id == image)
        .ok_or(AppError::NotFound(Missing::Image))
}

/// What the painting of one job has produced so far.
struct Painting<'a> {
    job: &'a Job,
    event: &'a Event,
    text: PosterText,
    images: Vec<Image>,
    note: Option<JobNote>,
    done: usize,
    total: usize,
}

/// The worker: paints every poster of the request, stores each under a key fixed per job,
/// platform and style (a redelivery overwrites, never adds), then stores the list with the
/// job's completion.
#[instrument(skip_all, fields(job_id = %job.id, delivery))]
pub async fn run(
    s: &Services,
    job: &Job,
    event: &Event,
    delivery: u32,
) -> Result<JobOutcome, AppError> {
    let JobRequest::ImageGeneration(request) = &job.request else {
        return Err(anyhow::anyhow!("not an image job: {:?}", job.job_type()).into());
    };
    let mut painting = Painting {
        job,
        event,
        text: PosterText::of(event),
        images: Vec::new(),
        note: None,
        done: 0,
        total: request.platforms.len() * request.styles.len(),
    };
    for &platform in &request.platforms {
        if let Err(why) = paint_platform(s, &mut painting, platform, &request.styles).await? {
            let failure = JobFailure::ImagesFailed;
            return jobs::give_up_or_retry(s, job, delivery, &why, failure).await;
        }
    }
    let note = painting.note.map(|n| n.message());
    let before = s.store.images_of_event(event.id).await?;
    let completion = s
        .store
        .complete_image_job(job, &painting.images, note, s.clock.now())
        .await?;
    // Files no image of the event refers to any more (the replaced set, or this delivery's own
    // when they were not kept) leave the public container. A file another delivery of this job
    // stored is still referred to, and stays.
    let current = s.store.images_of_event(event.id).await?;
    let in_use: std::collections::HashSet<&str> = current
        .iter()
        .filter_map(|i| i.content.blob_key())
        .collect();
    let unused: Vec<Image> = (before.into_iter().chain(painting.images.iter().cloned()))
        .filter(|i| i.content.blob_key().is_some_and(|k| !in_use.contains(k)))
        .collect();
    s.delete_files(&unused).await;
    jobs::settle(s, job, completion, painting.images.len()).await
}

/// One platform's posters in every style, or its ringback script. `Ok(Err(why))` when the
/// painter or the blob storage failed (worth retrying).
async fn paint_platform(
    s: &Services,
    p: &mut Painting<'_>,
    platform: Channel,
    styles: &[PosterStyle],
) -> Result<Result<(), String>, AppError> {
    let Some((width, height)) = platform_size(platform) else {
        let script = ImageContent::Script(ringback_script(&p.text));
        p.images.push(image(p, platform, script));
        p.done += styles.len();
        return Ok(Ok(()));
    };
    for &style in styles {
        let spec = PosterSpec {
            platform,
            style,
            width,
            height,
            text: p.text.clone(),
        };
        let painted = match s.painter.paint(&spec).await {
            Ok(painted) => painted,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let blob_key = poster_key(p, platform, style);
        if let Err(e) = s.blobs.put(&blob_key, painted.png, "image/png").await {
            return Ok(Err(e.to_string()));
        }
        p.note = p.note.or(painted.note);
        let content = ImageContent::Poster {
            style,
            blob_key,
            width,
            height,
        };
        p.images.push(image(p, platform, content));
        p.done += 1;
        let progress = 10 + (80 * p.done / p.total.max(1));
        let progress = u8::try_from(progress).unwrap_or(90);
        s.store
            .set_job_progress(p.job.id, progress, s.clock.now())
            .await?;
    }
    Ok(Ok(()))
}

fn poster_key(p: &Painting<'_>, platform: Channel, style: PosterStyle) -> String {
    format!(
        "events/{}/{}/{}-{}.png",
        p.event.id,
        p.job.id,
        platform.code().to_lowercase(),
        style.code().to_lowercase()
    )
}

fn image(p: &Painting<'_>, platform: Channel, content: ImageContent) -> Image {
    let painted_text = matches!(content, ImageContent::Poster { .. }).then(|| p.text.painted());
    Image {
        painted_text,
        id: ImageId::new(),
        event_id: p.event.id,
        job_id: p.job.id,
        platform,
        content,
        selected: false,
        created_at: p.job.updated_at,
    }
}

/// The selected poster's PNG, for the shop's printed card.
pub async fn poster_png(s: &Services, event: &Event) -> Result<Option<Vec<u8>>, AppError> {
    let images = s.store.images_of_event(event.id).await?;
    let Some(key) = (images.iter().find(|i| i.selected)).and_then(|i| i.content.blob_key()) else {
        return Ok(None);
    };
    Ok(Some(s.blobs.get(key).await.map_err(anyhow::Error::from)?))
}
