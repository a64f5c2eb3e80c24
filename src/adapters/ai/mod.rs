//! AI plans: the built-in recommender (rules + Korean calendar + platform history), always
//! available, and the place where the Azure OpenAI one plugs in.

pub mod azure_openai;
pub mod azure_openai_images;
pub mod builtin;
