//! The pre-publish checks and the posts: for each chosen channel, whether it can be posted to
//! (connected, or the local sandbox), its image (the selected style at the channel's size;
//! Instagram's re-encoded as JPEG) and its text, checked against the channel's rules. Every
//! problem is collected; nothing is published unless there are none.

use crate::app::{AppError, Services, analytics, channels};
use crate::domain::calendar::seoul_date;
use crate::domain::connection::Connection;
use crate::domain::entry::EntrySource;
use crate::domain::post::{PostContent, PostImage, PostMaterial, RuleBroken, check_rules};
use crate::domain::poster::{Image, ImageContent, PosterStyle, PosterText, ringback_script};
use crate::domain::publishing::{PublishProblem, event_problems};
use crate::domain::{Channel, Event};
use crate::ports::Link;

/// The tracked link of `channel`, made for every channel before the posts are composed.
fn channel_link(s: &Services, links: &[Link], channel: Channel) -> Result<String, AppError> {
    let source = EntrySource::Channel(channel);
    (links.iter().find(|l| l.source == source))
        .map(|l| analytics::links::link_url(s, l))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no tracked link for {channel:?}")))
}

/// What every channel's post of one event is made from.
struct Material {
    images: Vec<Image>,
    /// The style of the selected image.
    style: Option<PosterStyle>,
    hashtags: Vec<String>,
    connections: Vec<Connection>,
    links: Vec<Link>,
    script: String,
}

impl Material {
    async fn of(s: &Services, event: &Event) -> Result<Self, AppError> {
        let images = s.store.images_of_event(event.id).await?;
        let style = images.iter().find(|i| i.selected).map(|i| match i.content {
            ImageContent::Poster { style, .. } => Some(style),
            ImageContent::Script(_) => None,
        });
        let plan = (s.store.recommendations_of_event(event.id).await?)
            .into_iter()
            .find(|r| r.selected);
        Ok(Self {
            style: style.flatten(),
            images,
            hashtags: plan.map(|r| r.plan.hashtags).unwrap_or_default(),
            connections: channels::connections(s, event.owner).await?,
            links: analytics::links::ensure_links(s, event).await?,
            script: ringback_script(&PosterText::of(event)),
        })
    }
}

/// Each channel's post, or every problem.
pub(super) async fn posts(
    s: &Services,
    event: &Event,
) -> Result<Vec<(Channel, PostContent)>, AppError> {
    let now = s.clock.now();
    let m = Material::of(s, event).await?;
    let selected = m.images.iter().any(|i| i.selected);
    let mut problems = event_problems(event, seoul_date(now), selected);
    let mut posts = Vec::new();
    for &channel in &event.channels {
        problems.extend(reachable(s, channel, &m.connections, now));
        match post_for(s, event, channel, &m).await? {
            Ok(Some(post)) => {
                let broken = check_rules(channel, &post);
                let rule = |r: RuleBroken| PublishProblem::Content { channel, rule: r.0 };
                problems.extend(broken.into_iter().map(rule));
                posts.push((channel, post));
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(posts)
    } else {
        Err(AppError::NotReadyToPublish(problems))
    }
}

/// The post for one channel; `None` when what it needs is missing and already a problem (no
/// name or period, no image selected).
async fn post_for(
    s: &Services,
    event: &Event,
    channel: Channel,
    m: &Material,
) -> Result<Result<Option<PostContent>, PublishProblem>, AppError> {
    if m.style.is_none() && channel != Channel::RingoBiz {
        return Ok(Ok(None));
    }
    let link = channel_link(s, &m.links, channel)?;
    let image = match image_for(s, event, (channel, &link), m.style, &m.images).await? {
        Ok(image) => image,
        Err(problem) => return Ok(Err(problem)),
    };
    let material = PostMaterial {
        hashtags: &m.hashtags,
        link: &link,
        image,
        script: Some(&m.script),
    };
    Ok(Ok(PostContent::compose(channel, event, material)))
}

/// Whether a post can go to `channel`: its connection works, or (locally) the sandbox stands
/// in for an unconnected channel.
fn reachable(
    s: &Services,
    channel: Channel,
    connections: &[Connection],
    now: chrono::DateTime<chrono::Utc>,
) -> Option<PublishProblem> {
    let connection = connections.iter().find(|c| c.channel == channel);
    match (connection, s.channels.client(channel), &s.channels.sandbox) {
        (Some(c), Some(_), _) if c.is_usable(now) => None,
        (Some(_), Some(_), _) => Some(PublishProblem::Reconnect(channel)),
        (Some(_), None, _) => Some(PublishProblem::NotAvailable(channel)),
        (None, _, Some(_)) => None,
        (None, Some(_), None) => Some(PublishProblem::NotConnected(channel)),
        (None, None, None) => Some(PublishProblem::NotAvailable(channel)),
    }
}

/// The image for `channel`: none for RINGOBIZ (a script); else the poster of the selected
/// style at the channel's size with the channel's link as a QR code, as JPEG for Instagram.
async fn image_for(
    s: &Services,
    event: &Event,
    (channel, link): (Channel, &str),
    style: Option<PosterStyle>,
    images: &[Image],
) -> Result<Result<Option<PostImage>, PublishProblem>, AppError> {
    if channel == Channel::RingoBiz {
        return Ok(Ok(None));
    }
    let Some(style) = style else {
        return Ok(Ok(None));
    };
    let poster = images.iter().find_map(|i| match &i.content {
        ImageContent::Poster {
            style: st,
            blob_key,
            width,
            height,
        } if i.platform == channel && *st == style => Some((i, blob_key, *width, *height)),
        _ => None,
    });
    let Some((image, key, width, height)) = poster else {
        return Ok(Err(PublishProblem::NoPoster { channel, style }));
    };
    if image.is_stale(&PosterText::of(event)) {
        return Ok(Err(PublishProblem::StalePoster(channel)));
    }
    let poster = s.blobs.get(key).await.map_err(anyhow::Error::from)?;
    let png = (s.printer.stamp(poster, link.to_owned()).await).map_err(anyhow::Error::from)?;
    let name = format!(
        "{}-{}",
        channel.code().to_lowercase(),
        style.code().to_lowercase()
    );
    let (bytes, content_type, ext) = if channel == Channel::Instagram {
        let jpeg = s.painter.to_jpeg(png).await.map_err(anyhow::Error::from)?;
        (jpeg, "image/jpeg", "jpg")
    } else {
        (png, "image/png", "png")
    };
    let blob_key = format!("events/{}/publish/{name}.{ext}", event.id);
    let size = bytes.len();
    (s.blobs.put(&blob_key, bytes, content_type).await).map_err(anyhow::Error::from)?;
    Ok(Ok(Some(PostImage {
        url: s.blobs.url(&blob_key),
        blob_key,
        content_type: content_type.to_owned(),
        width,
        height,
        bytes: u64::try_from(size).unwrap_or(u64::MAX),
    })))
}

/// The pre-publish checks of an owner's draft, without publishing: every unmet precondition
/// (none when it is ready).
pub async fn checks(
    s: &Services,
    owner: crate::domain::UserId,
    event_id: crate::domain::EventId,
) -> Result<Vec<crate::domain::publishing::PublishProblem>, AppError> {
    let event = crate::app::events::get(s, owner, event_id).await?;
    event.status.check(crate::domain::EventAction::Publish)?;
    match posts(s, &event).await {
        Ok(_) => Ok(Vec::new()),
        Err(AppError::NotReadyToPublish(problems)) => Ok(problems),
        Err(e) => Err(e),
    }
}
