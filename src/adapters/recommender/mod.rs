//! Event plans: the built-in recommender (rules + Korean calendar + platform history), always
//! available, and the Azure OpenAI one, which falls back to it.

pub mod azure_openai;
pub mod builtin;
