//! Building blocks shared by the pages.

pub mod badges;
pub mod confirm;
pub mod head;
pub mod icons;
pub mod layout;
pub mod states;
