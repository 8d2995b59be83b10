//! Login throttling rules, pure: given how many attempts a key (an account or a client
//! address) has in the current window, how long to slow the answer, and whether and how long
//! to refuse the key.
//!
//! Attempts count within a window of 15 minutes. A few failures are free; then each failing
//! answer is slowed; at a threshold the key is refused (429). Each refusal is a *strike*, and
//! each strike doubles the next refusal, capped at 15 minutes so the real user is never locked
//! out for long. When a refusal has passed, the key is on probation: one more try, whose
//! failure earns the next strike. Attempts while refused are not checked and not counted, so
//! a flood cannot extend the lock; a success clears the account's count and strikes.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Failures allowed before answers are slowed.
    pub free: i32,
    /// Failures at which the key is refused.
    pub block_after: i32,
    /// The first refusal period; doubles with every strike.
    pub first_block: Duration,
    pub max_block: Duration,
    pub step_delay: Duration,
    pub max_delay: Duration,
}

pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Per account: a person mistyping a few times is not slowed; guessing is.
pub const ACCOUNT: ThrottleRule = ThrottleRule {
    free: 3,
    block_after: 5,
    first_block: Duration::from_secs(30),
    max_block: Duration::from_secs(15 * 60),
    step_delay: Duration::from_millis(250),
    max_delay: Duration::from_secs(2),
};

/// Per client address: generous (a town hall shares one address) but bounded.
pub const ADDRESS: ThrottleRule = ThrottleRule {
    free: 10,
    block_after: 30,
    first_block: Duration::from_secs(60),
    max_block: Duration::from_secs(15 * 60),
    step_delay: Duration::from_millis(100),
    max_delay: Duration::from_secs(2),
};

impl ThrottleRule {
    /// How long to hold back the answer to the failure that brought the count to `failures`.
    pub fn delay(&self, failures: i32) -> Duration {
        let over = failures - self.free;
        if over <= 0 {
            return Duration::ZERO;
        }
        (self.step_delay * over as u32).min(self.max_delay)
    }

    /// Whether the failure that brought the count to `failures` starts a refusal.
    pub fn blocks_at(&self, failures: i32) -> bool {
        failures >= self.block_after
    }

    /// Whether an attempt counted as the `attempts`th may be checked at all: a burst of
    /// simultaneous attempts gets consecutive counts, and those past the limit are refused.
    pub fn may_check(&self, attempts: i32) -> bool {
        attempts <= self.block_after
    }

    /// The refusal period for a key with `strikes` earlier refusals.
    pub fn block(&self, strikes: i32) -> Duration {
        let factor = 1u32.checked_shl(strikes.clamp(0, 20) as u32).unwrap_or(u32::MAX);
        self.first_block.saturating_mul(factor).min(self.max_block)
    }

    /// The count a key returns to when its refusal has passed: one try below the threshold.
    pub fn probation(&self) -> i32 {
        self.block_after - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free() {
        for f in 0..=ACCOUNT.free {
            assert_eq!(ACCOUNT.delay(f), Duration::ZERO);
            assert!(!ACCOUNT.blocks_at(f));
        }
    }

    #[test]
    fn delays_grow_and_are_capped() {
        assert_eq!(ACCOUNT.delay(4), Duration::from_millis(250));
        assert_eq!(ACCOUNT.delay(5), Duration::from_millis(500));
        assert_eq!(ACCOUNT.delay(1_000_000), ACCOUNT.max_delay);
        let mut last = Duration::ZERO;
        for f in 0..100 {
            assert!(ACCOUNT.delay(f) >= last);
            last = ACCOUNT.delay(f);
        }
    }

    #[test]
    fn refusals_start_at_the_threshold_and_bursts_past_it_are_not_checked() {
        assert!(!ACCOUNT.blocks_at(4) && ACCOUNT.blocks_at(5) && ACCOUNT.blocks_at(6));
        assert!(ACCOUNT.may_check(5) && !ACCOUNT.may_check(6));
        // Probation allows exactly one more check, whose failure blocks again.
        let p = ACCOUNT.probation();
        assert!(ACCOUNT.may_check(p + 1) && ACCOUNT.blocks_at(p + 1) && !ACCOUNT.may_check(p + 2));
    }

    #[test]
    fn refusals_double_per_strike_and_never_exceed_fifteen_minutes() {
        assert_eq!(ACCOUNT.block(0), Duration::from_secs(30));
        assert_eq!(ACCOUNT.block(1), Duration::from_secs(60));
        assert_eq!(ACCOUNT.block(2), Duration::from_secs(120));
        for s in 0..10_000 {
            assert!(ACCOUNT.block(s) <= Duration::from_secs(900));
            assert!(ADDRESS.block(s) <= Duration::from_secs(900));
            assert!(ACCOUNT.block(s + 1) >= ACCOUNT.block(s));
        }
        assert_eq!(ACCOUNT.block(i32::MAX), ACCOUNT.max_block);
        assert_eq!(ACCOUNT.block(-3), ACCOUNT.first_block);
    }

    #[test]
    fn an_address_tolerates_more_than_an_account() {
        const { assert!(ADDRESS.block_after > ACCOUNT.block_after) };
        assert!(!ADDRESS.blocks_at(ACCOUNT.block_after));
    }
}
