//! EG5xx — secrets and hygiene.

mod secret_in_file;

pub use secret_in_file::SecretInFile;
