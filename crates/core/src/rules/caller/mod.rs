//! EG4xx — caller, accounts, scenario.

mod admin_master_user;
mod user_owns_data;

pub use admin_master_user::AdminMasterUser;
pub use user_owns_data::UserOwnsData;
