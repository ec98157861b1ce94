//! Evaluation of the pipeline's stages against public gold data, with the metrics of
//! the shared tasks that published it, so numbers compare with the literature and
//! with the independent scorers in `shared/tools`.

pub mod conll;
pub mod semeval;
pub mod timeml;
