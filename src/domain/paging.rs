//! Paging: `page` is 1-based, `size` 1..=100 (default 20).

use super::field::{FieldError, FieldProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

pub const MAX_PAGE_SIZE: u32 = 100;
pub const DEFAULT_PAGE_SIZE: u32 = 20;

impl PageRequest {
    pub fn parse(page: Option<i64>, size: Option<i64>) -> Result<Self, FieldError> {
        let page = page.unwrap_or(1);
        if !(1..=1_000_000).contains(&page) {
            return Err(FieldError::new(
                "page",
                FieldProblem::OutOfRange {
                    min: 1,
                    max: 1_000_000,
                },
            ));
        }
        let size = size.unwrap_or(i64::from(DEFAULT_PAGE_SIZE));
        if !(1..=i64::from(MAX_PAGE_SIZE)).contains(&size) {
            return Err(FieldError::new(
                "size",
                FieldProblem::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_PAGE_SIZE),
                },
            ));
        }
        // Both bounds were checked just above, so the casts cannot truncate.
        Ok(Self {
            page: page as u32,
            size: size as u32,
        })
    }

    pub fn offset(self) -> i64 {
        (i64::from(self.page) - 1) * i64::from(self.size)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub size: u32,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let p = PageRequest::parse(None, None).unwrap();
        assert_eq!((p.page, p.size, p.offset()), (1, 20, 0));
        assert_eq!(PageRequest::parse(Some(3), Some(10)).unwrap().offset(), 20);
        assert!(PageRequest::parse(Some(0), None).is_err());
        assert!(PageRequest::parse(None, Some(101)).is_err());
        assert!(PageRequest::parse(None, Some(0)).is_err());
    }
}
