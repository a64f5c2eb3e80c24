//! Draws: the refusals.

use super::{Kind, Problem};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("already drawn")]
    AlreadyDrawn,
    #[error("no entrants")]
    NoEntrants,
    #[error("not drawn")]
    NotDrawn,
    #[error("no alternate left")]
    NoAlternateLeft,
    #[error("no such winner")]
    NoSuchWinner { winners: usize },
    #[error("entrants' data destroyed")]
    DataDestroyed,
    #[error("the event states no draw")]
    NoDrawStated,
    #[error("counts other than the notice's")]
    CountsFixed { winners: u32, alternates: u32 },
    #[error("before the contact deadline")]
    BeforeContactDeadline { deadline: String },
}

impl DrawError {
    pub fn problem(&self) -> Problem {
        let (kind, code, message) = match self {
            DrawError::AlreadyDrawn => (
                Kind::Conflict,
                "DRAW_001",
                "이미 추첨한 이벤트입니다. 추첨은 한 번만 할 수 있고, 당첨자는 예비 당첨자로만 교체할 수 있습니다.".to_owned(),
            ),
            DrawError::NoEntrants => (
                Kind::Conflict,
                "DRAW_002",
                "추첨할 응모자가 없습니다.".to_owned(),
            ),
            DrawError::NotDrawn => (
                Kind::NotFound,
                "DRAW_003",
                "아직 추첨하지 않은 이벤트입니다.".to_owned(),
            ),
            DrawError::NoAlternateLeft => (
                Kind::Conflict,
                "DRAW_004",
                "남은 예비 당첨자가 없습니다.".to_owned(),
            ),
            DrawError::NoSuchWinner { winners } => (
                Kind::Unprocessable,
                "DRAW_005",
                format!("그 순위의 당첨자가 없습니다. 1부터 {winners} 사이에서 고르세요."),
            ),
            DrawError::DataDestroyed => (
                Kind::Conflict,
                "DRAW_006",
                "응모자 정보의 보관 기간이 지나 파기되어 추첨할 수 없습니다.".to_owned(),
            ),
            DrawError::NoDrawStated => (
                Kind::Conflict,
                "DRAW_007",
                "이 이벤트는 추첨 인원을 공지하지 않아 추첨할 수 없습니다. 추첨은 당첨 인원을 정해 공지한 경품 추첨 이벤트만 할 수 있습니다.".to_owned(),
            ),
            DrawError::CountsFixed {
                winners,
                alternates,
            } => (
                Kind::Unprocessable,
                "DRAW_008",
                format!(
                    "추첨 인원은 공지한 대로 당첨 {winners}명, 예비 당첨 {alternates}명입니다. 다른 인원으로는 추첨할 수 없습니다."
                ),
            ),
            DrawError::BeforeContactDeadline { deadline } => (
                Kind::Conflict,
                "DRAW_009",
                format!(
                    "당첨자는 공지한 연락 기한({deadline}) 뒤에 바꿀 수 있습니다. 그때까지 당첨자에게 연락해 주세요."
                ),
            ),
        };
        Problem::new(kind, code, message)
    }
}
