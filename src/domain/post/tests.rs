use super::*;
use crate::domain::event::{Change, EventEdit};
use crate::domain::{Objective, ShopInfo, UserId};

fn event() -> Event {
    let mut e = Event::draft(
        UserId::new(),
        None,
        Objective::NewCustomers,
        ShopInfo::parse("카페 봄날", "카페", "서울특별시 마포구 양화로 45").unwrap(),
        chrono::Utc::now(),
    );
    e.edit(
        EventEdit {
            name: Change::Set("봄맞이 인증샷 이벤트".into()),
            description: Change::Set("사진을 올리면 <추첨>으로 선물을 드립니다.".into()),
            prize: Change::Set("아메리카노 1잔".into()),
            start_date: Change::Set(NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()),
            end_date: Change::Set(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .unwrap();
    e
}

fn image(content_type: &str, width: u32, height: u32) -> PostImage {
    PostImage {
        blob_key: "k".into(),
        url: "https://img.example/k".into(),
        content_type: content_type.into(),
        width,
        height,
        bytes: 300_000,
    }
}

fn post(channel: Channel, image: Option<PostImage>, tags: usize) -> PostContent {
    let hashtags: Vec<String> = (0..tags).map(|i| format!("#태그{i}")).collect();
    PostContent::compose(
        channel,
        &event(),
        PostMaterial {
            hashtags: &hashtags,
            link: "https://em.example/e/1",
            image,
            script: Some("(광고) 안녕하세요, 카페 봄날입니다."),
        },
    )
    .unwrap()
}

#[test]
fn a_good_post_breaks_no_rule_on_any_channel() {
    let cases = [
        (Channel::Instagram, Some(image("image/jpeg", 1080, 1350))),
        (Channel::Naver, Some(image("image/png", 1200, 800))),
        (Channel::Kakao, Some(image("image/png", 800, 800))),
        (Channel::GiniTv, Some(image("image/png", 1920, 1080))),
        (Channel::RingoBiz, None),
    ];
    for (channel, img) in cases {
        let p = post(channel, img, 4);
        assert_eq!(check_rules(channel, &p), vec![], "{channel}");
    }
}

#[test]
fn each_rule_is_named_in_korean() {
    let broken = |channel, p: &PostContent| check_rules(channel, p).len();
    // Instagram: PNG, a square too wide, 31 hashtags, a caption over 2,200 characters.
    assert_eq!(
        broken(
            Channel::Instagram,
            &post(Channel::Instagram, Some(image("image/png", 1080, 1350)), 4)
        ),
        1
    );
    assert_eq!(
        broken(
            Channel::Instagram,
            &post(Channel::Instagram, Some(image("image/jpeg", 2000, 1000)), 4)
        ),
        2
    );
    assert_eq!(
        broken(
            Channel::Instagram,
            &post(
                Channel::Instagram,
                Some(image("image/jpeg", 1080, 1350)),
                31
            )
        ),
        1
    );
    let mut long = post(Channel::Instagram, Some(image("image/jpeg", 1080, 1350)), 1);
    long.text = "가".repeat(2_201);
    assert_eq!(broken(Channel::Instagram, &long), 1);
    // Kakao: over 1,300 characters, a tall image.
    let mut kakao = post(Channel::Kakao, Some(image("image/png", 800, 1200)), 1);
    kakao.text = "가".repeat(1_301);
    let problems = check_rules(Channel::Kakao, &kakao);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].0.contains("1300자"), "{problems:?}");
    // A ringback script longer than 20 seconds.
    let mut ringback = post(Channel::RingoBiz, None, 0);
    ringback.text = "가".repeat(101);
    assert_eq!(broken(Channel::RingoBiz, &ringback), 1);
    // TV needs full HD.
    assert_eq!(
        broken(
            Channel::GiniTv,
            &post(Channel::GiniTv, Some(image("image/png", 800, 800)), 0)
        ),
        1
    );
}

#[test]
fn naver_text_is_escaped_html_with_the_link() {
    let p = post(Channel::Naver, Some(image("image/png", 1200, 800)), 2);
    assert!(p.text.contains("&lt;추첨&gt;"), "{}", p.text);
    assert!(
        p.text.contains("<a href=\"https://em.example/e/1\">"),
        "{}",
        p.text
    );
    let k = post(Channel::Kakao, Some(image("image/png", 800, 800)), 0);
    assert_eq!(k.button.as_deref(), Some("이벤트 응모하기"));
}
