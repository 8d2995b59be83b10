//! Input read only once the caller is known to be allowed.

use serde_json::Value;

use super::input::FromFields;
use crate::error::Error;

/// A command's input, not yet read. A use case reads it only once the caller is known to be
/// allowed, so that someone who may not act is refused (403) before their input is judged
/// (400): a refusal never depends on what was typed.
pub struct Unread<T> {
    value: Value,
    _of: std::marker::PhantomData<T>,
}

impl<T: FromFields> Unread<T> {
    pub fn new(value: Value) -> Self {
        Unread {
            value,
            _of: std::marker::PhantomData,
        }
    }

    /// Reads it, with every invalid field reported at once.
    pub fn read(self) -> Result<T, Error> {
        T::from_json(&self.value)
    }
}
