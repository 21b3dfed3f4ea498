//! EG4xx — caller, accounts, scenario.

mod admin_master_user;
mod cloud_mismatch;
mod master_user_license;
mod missing_scope;
mod profile_aas;
mod profile_header;
mod sp_with_permissions;
mod user_owns_data;

pub use admin_master_user::AdminMasterUser;
pub use cloud_mismatch::CloudMismatch;
pub use master_user_license::MasterUserLicense;
pub use missing_scope::MissingScope;
pub use profile_aas::ProfileAas;
pub use profile_header::ProfileHeader;
pub use sp_with_permissions::SpWithPermissions;
pub use user_owns_data::UserOwnsData;
